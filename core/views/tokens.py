"""The user's own API tokens: what is still valid, and a button to end one or all of them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.services.tokens import token_revoke, tokens_of, tokens_revoke_all


class TokenListView(LoginRequiredMixin, TemplateView):
    """``/account/tokens/``: the user's tokens (their first characters, when made, until when)."""

    template_name = "core/tokens.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tokens"] = list(tokens_of(self.request.user))
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("all"):
            ended = tokens_revoke_all(user=request.user)
        else:
            ended = token_revoke(user=request.user, token_key=request.POST.get("token_key", "")[:25])
        messages.success(request, _("%(n)s API tokens ended.") % {"n": ended})
        return redirect("core:tokens")
