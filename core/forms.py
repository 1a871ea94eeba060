"""Kernel forms, and the fields every page's form uses for numbers with decimals."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import ApprovalAction, EmailMode, WebhookKind
from core.money import plain_decimal, plain_text


class PlainDecimalField(forms.DecimalField):
    """A decimal typed on a page (money, a rate, a weight, an area), read by the kernel's one rule
    (``core.money.plain_decimal``) with thousands separators allowed where they belong: ``1234.50``,
    ``1,234.50`` and ``-3.10`` are read; ``1e5``, ``１２３``, ``NaN``, ``1,23`` are refused with a message
    that says what to write.

    A text box with the decimal keypad (``inputmode``), not ``type=number``: a browser empties a number
    box it cannot read (``1,234.50``) and a form that does not validate in the browser would then send
    nothing. A stored value is shown as plain digits (``0.10000000``, never ``1.0E-1``), so a form sent
    back unchanged passes the rule.
    """

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return plain_decimal(value, grouped=True)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="plain_decimal") from None

    def prepare_value(self, value):
        return plain_text(value) if isinstance(value, Decimal) and value.is_finite() else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.TextInput) and not isinstance(widget, forms.NumberInput):
            attrs.setdefault("inputmode", "decimal")
        return attrs


def formfield_for(db_field, **kwargs):
    """A model field's form field; a model ``DecimalField`` becomes ``PlainDecimalField``."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", PlainDecimalField)
    return db_field.formfield(**kwargs)


class _ModelFormMetaclass(forms.models.ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(formfield_for)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_ModelFormMetaclass):
    """Django's ModelForm with the model's decimal fields read by ``PlainDecimalField`` (every page's
    ModelForm derives from it; ``tests/core/test_money_input.py`` checks every form of the project)."""


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
