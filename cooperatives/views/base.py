"""Page bases of the cooperatives app: a form or a button that calls one service on one scoped object.

The object is looked up through ``for_user(user, scope_action)`` (another jurisdiction's object is
404), ``allowed_roles`` answers 403 for roles that never use the page, and the service decides the
rest: ``NotPermitted`` becomes 403, any other ``BusinessError`` is shown next to its field (forms) or
as a message (buttons), and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import FormView

from core.exceptions import BusinessError, NotPermitted
from core.views.mixins import ScopedQuerysetMixin


class ScopedObjectMixin(ScopedQuerysetMixin):
    """``self.object``: the scoped object named by the URL's ``pk``, loaded before the handler runs."""

    object = None

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _load(self):
        if self.object is None:
            self.object = self.get_object()
        return self.object


class ServiceFormView(ScopedObjectMixin, FormView):
    """GET shows the form for ``self.object``; a valid POST calls ``perform(form)``; errors stay on the page."""

    success_message = ""

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        return super().post(request, *args, **kwargs)

    def perform(self, form):  # pragma: no cover - each page says what it does
        raise NotImplementedError

    def get_success_url_for(self, result) -> str:
        return result.get_absolute_url()

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except BusinessError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url_for(result))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        return ctx


class ServiceActionView(ScopedObjectMixin, View):
    """A POST-only button: calls ``perform()`` and goes back to ``redirect_url()`` with a message."""

    success_message = ""

    def perform(self):  # pragma: no cover
        raise NotImplementedError

    def redirect_url(self) -> str:
        return self.object.get_absolute_url()

    def post(self, request, *args, **kwargs):
        self._load()
        try:
            self.perform()
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except BusinessError as exc:
            messages.error(request, exc.message)
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return HttpResponseRedirect(self.redirect_url())
