"""Home page per role and the region switcher."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from core import home
from core.middleware import SESSION_SCOPE_KEY


class HomeView(LoginRequiredMixin, TemplateView):
    """What waits for this user: villages for accountants, the inbox for officials, …"""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["panels"] = home.panels_for(self.request)
        ctx["roles"] = sorted({g.role for g in self.request.user.jurisdiction.grants})
        return ctx


class ScopeSwitchView(LoginRequiredMixin, View):
    """POST an assignment id to work in that role and region only; an empty value shows all."""

    def post(self, request):
        chosen = request.POST.get("assignment", "")
        ids = {g.assignment_id for g in request.user.all_grants}
        if chosen.isdigit() and int(chosen) in ids:
            request.session[SESSION_SCOPE_KEY] = int(chosen)
        else:
            request.session.pop(SESSION_SCOPE_KEY, None)
        target = request.POST.get("next") or resolve_url("core:home")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = resolve_url("core:home")
        return HttpResponseRedirect(target)
