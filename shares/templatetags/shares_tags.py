"""Template helpers of the shares app."""

from django import template

from shares.compliance import percent as _percent

register = template.Library()

STATUS_CLASSES = {
    "passed": "success",
    "warning": "warning",
    "failed": "danger",
    "not_applicable": "secondary",
}
STATUS_ICONS = {
    "passed": "check-circle-fill",
    "warning": "exclamation-triangle-fill",
    "failed": "x-octagon-fill",
    "not_applicable": "dash-circle",
}


@register.filter
def percent(ratio) -> str:
    """A ratio as a percentage with two places: 0.2 → 20.00%."""
    return _percent(ratio)


@register.filter
def status_class(status) -> str:
    return STATUS_CLASSES.get(str(status), "secondary")


@register.filter
def status_icon(status) -> str:
    return STATUS_ICONS.get(str(status), "dash-circle")
