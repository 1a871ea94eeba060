"""Template helpers: money formatting, role and state labels, Bootstrap form widgets."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

from core.choices import ApprovalState, Role
from core.money import chinese_capitals

register = template.Library()

STATE_CLASSES = {
    ApprovalState.DRAFT: "secondary",
    ApprovalState.SUBMITTED: "primary",
    ApprovalState.APPROVED: "success",
    ApprovalState.RETURNED: "warning",
    ApprovalState.REJECTED: "danger",
    ApprovalState.WITHDRAWN: "dark",
}


@register.filter
def money(value) -> str:
    """1234567.8 → '1,234,567.80' (two places, thousands separators); empty for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{amount:,.2f}"


@register.filter
def capitals(value) -> str:
    """An amount in Chinese capitals (``core.money.chinese_capitals``); empty for None."""
    if value is None or value == "":
        return ""
    try:
        return chinese_capitals(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def role_label(value) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


@register.filter
def state_badge(approval_state) -> str:
    try:
        state = ApprovalState(approval_state)
    except ValueError:
        return approval_state
    return format_html('<span class="badge text-bg-{}">{}</span>', STATE_CLASSES[state], state.label)


@register.filter
def bootstrap(field):
    """Render a bound field's widget with Bootstrap classes and the invalid state."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    is_select = input_type == "select" or widget.__class__.__name__.endswith("Select")
    css = "form-select" if is_select else "form-control"
    if input_type in ("checkbox", "radio"):
        css = "form-check-input"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def bootstrap_sm(field):
    """Like ``bootstrap`` but small, for filter bars."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    is_select = input_type == "select" or widget.__class__.__name__.endswith("Select")
    css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
    return field.as_widget(attrs={"class": css})


@register.filter
def num(value) -> str:
    """An integer with thousands separators (2248 → 2,248); empty for None."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def figure(value) -> str:
    """A count or amount with thousands separators, keeping its decimal places (12345.6 → '12,345.6',
    '2248' → '2,248'); text that is no number is returned as it is, None as empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    return f"{number:,}"


@register.filter
def percent(value) -> str:
    """A fraction as a percentage without trailing zeros (Decimal('0.30000000') → '30%',
    0.125 → '12.5%'); empty for None."""
    if value is None or value == "":
        return ""
    try:
        number = (Decimal(str(value)) * 100).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    text = f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"
    return f"{text}%"
