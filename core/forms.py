"""Kernel forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import ApprovalAction, EmailMode, WebhookKind


class ApprovalActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (a.value, a.label)
            for a in (
                ApprovalAction.SUBMIT,
                ApprovalAction.APPROVE,
                ApprovalAction.RETURN,
                ApprovalAction.REJECT,
                ApprovalAction.WITHDRAW,
            )
        ],
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NotificationPreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(label=_("E-mail"), choices=EmailMode.choices, widget=forms.RadioSelect)


class GroupWebhookForm(forms.Form):
    kind = forms.ChoiceField(label=_("Robot"), choices=WebhookKind.choices)
    url = forms.CharField(
        label=_("Webhook address"),
        max_length=500,
        help_text=_("The address the group robot's settings show, beginning with https://"),
    )
    secret = forms.CharField(
        label=_("Signing secret (DingTalk)"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Only for a DingTalk robot with signing; leave empty to keep the secret on file."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the secret on file"), required=False)
    enabled = forms.BooleanField(label=_("Send notifications to this group"), required=False, initial=True)
