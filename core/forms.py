"""Kernel forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import ApprovalAction


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
