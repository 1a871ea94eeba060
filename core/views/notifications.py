"""Notification pages: the bell, the list (mark read, mark all read), the e-mail preference and a
region's group robot."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.choices import NotificationKind
from core.exceptions import BusinessError
from core.forms import GroupWebhookForm, NotificationPreferenceForm
from core.models import GroupWebhook, Notification, Region, WebhookDelivery
from core.services import notifications as service
from core.views.mixins import BusinessErrorMessageMixin


class NotificationListView(LoginRequiredMixin, ListView):
    """``/notifications/``: the user's notifications, newest first; ``?unread=1`` only the unread."""

    model = Notification
    template_name = "core/notification_list.html"
    paginate_by = 30

    def get_queryset(self):
        qs = service.notifications_of(self.request.user)
        if self.request.GET.get("unread"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread_only"] = bool(self.request.GET.get("unread"))
        ctx["kinds"] = dict(NotificationKind.choices)
        return ctx


class NotificationBellView(TemplateView):
    """``/notifications/bell/``: the bell and its unread count (one query), loaded into the top bar.
    After the session has ended it answers 204, so the bar keeps its plain bell instead of a login
    page."""

    template_name = "core/includes/notification_bell.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponse(status=204)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread_count"] = service.unread_count(self.request.user)
        return ctx


class NotificationReadView(LoginRequiredMixin, View):
    """POST ``/notifications/<pk>/read/``: mark it read and go where it points (another person's
    notification is 404)."""

    model = Notification

    def post(self, request, pk):
        try:
            notification = service.notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist as exc:
            raise Http404(str(Notification._meta.verbose_name)) from exc
        link = notification.link
        if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(link)
        return redirect("core:notification_list")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = service.notifications_mark_all_read(user=request.user)
        messages.success(request, _("%(n)s notifications marked read.") % {"n": count})
        return redirect("core:notification_list")


class NotificationPreferenceView(LoginRequiredMixin, FormView):
    """``/account/notifications/``: in the app always; e-mail at once, as a daily digest, or not."""

    template_name = "core/notification_preferences.html"
    form_class = NotificationPreferenceForm

    def get_initial(self):
        return {"email_mode": service.email_mode_of(self.request.user)}

    def form_valid(self, form):
        service.notification_preference_set(user=self.request.user, email_mode=form.cleaned_data["email_mode"])
        messages.success(self.request, _("Your notification settings are saved."))
        return redirect("core:notification_preferences")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["webhook_regions"] = service.webhook_regions(self.request.user)
        return ctx


class GroupWebhookView(BusinessErrorMessageMixin, LoginRequiredMixin, FormView):
    """``/regions/<pk>/webhook/``: the group robot of a village (its accountant) or of a township (its
    official). A region outside the user's jurisdiction is 404; one they do not keep, 403."""

    model = Region
    template_name = "core/webhook_form.html"
    form_class = GroupWebhookForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.region = get_object_or_404(Region.objects.for_user(request.user), pk=kwargs["pk"])
        if not service.may_keep_webhook(request.user, self.region):
            raise PermissionDenied
        self.hook = GroupWebhook.objects.filter(region=self.region).first()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.hook is None:
            return {"enabled": True}
        return {"kind": self.hook.kind, "url": self.hook.url, "enabled": self.hook.enabled}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["region"], ctx["hook"] = self.region, self.hook
        ctx["deliveries"] = (
            list(WebhookDelivery.objects.filter(webhook=self.hook).order_by("-created_at", "-pk")[:10])
            if self.hook
            else []
        )
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            service.group_webhook_set(
                actor=self.request.user,
                region=self.region,
                kind=data["kind"],
                url=data["url"],
                secret=data["secret"],
                clear_secret=data["clear_secret"],
                enabled=data["enabled"],
            )
        except BusinessError as exc:
            self.report_business_error(exc, form)
            return self.form_invalid(form)
        messages.success(self.request, _("The group robot is saved."))
        return redirect("core:region_webhook", pk=self.region.pk)
