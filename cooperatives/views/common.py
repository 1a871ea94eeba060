"""Building blocks of the governance pages: a form page that calls one service, object lookups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.exceptions import BusinessError
from core.views.mixins import ScopedQuerysetMixin


class ServiceFormView(ScopedQuerysetMixin, FormView):
    """A form whose valid data goes to one service (``perform``); a BusinessError lands next to its field.

    Subclasses set ``model``, ``form_class``, ``allowed_roles`` and implement ``perform(form)``
    returning the saved object; ``object_model`` / ``object_action`` load the object the page is
    about (``self.object``, 404 when out of scope).
    """

    template_name = "cooperatives/includes/form_page.html"
    page_title = ""
    submit_label = ""
    intro = ""
    object_model = None
    object_action = "change"
    object = None
    pass_user = True
    success_message = gettext_lazy("Saved.")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        # a role that may not use the page at all gets 403 (below) before any lookup; otherwise foreign is 404
        if user.is_authenticated and self.object_model is not None and self._role_ok(user):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def _role_ok(self, user) -> bool:
        return self.allowed_roles is None or user.is_superuser or bool(user.jurisdiction.roles & self.allowed_roles)

    def get_object(self):
        qs = self.object_model.objects.for_user(self.request.user, self.object_action)
        return get_object_or_404(self.object_queryset(qs), pk=self.kwargs["pk"])

    def object_queryset(self, qs):
        return qs

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.pass_user:
            kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            page_title=self.get_page_title(),
            submit_label=self.submit_label,
            intro=self.intro,
            cancel_url=self.get_cancel_url(),
            object=self.object,
        )
        return ctx

    def get_page_title(self):
        return self.page_title

    cancel_url_name = ""

    def get_cancel_url(self) -> str:
        if self.object is not None and hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        return reverse(self.cancel_url_name) if self.cancel_url_name else reverse("core:home")

    def perform(self, form):
        raise NotImplementedError

    def get_success_url_for(self, obj) -> str:
        return obj.get_absolute_url()

    def form_valid(self, form):
        try:
            obj = self.perform(form)
        except BusinessError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url_for(obj))
