"""Template helpers of the cooperatives app."""

from django import template
from django.utils.html import format_html

from cooperatives.choices import CharterState

register = template.Library()

CHARTER_STATE_CLASSES = {
    CharterState.DRAFT: "secondary",
    CharterState.SUBMITTED: "primary",
    CharterState.RETURNED: "warning",
    CharterState.TOWNSHIP_APPROVED: "info",
    CharterState.ADOPTED: "info",
    CharterState.EFFECTIVE: "success",
    CharterState.SUPERSEDED: "light border",
    CharterState.WITHDRAWN: "dark",
    CharterState.REJECTED: "danger",
}


@register.filter
def charter_badge(state) -> str:
    """A coloured badge with the charter state's label."""
    try:
        value = CharterState(state)
    except ValueError:
        return state
    return format_html('<span class="badge text-bg-{}">{}</span>', CHARTER_STATE_CLASSES[value], value.label)


@register.filter
def policy_name(code) -> str:
    """A charter's distribution policy by its name (the charter keeps the policy's code)."""
    from cooperatives.models.charters import policy_name as name_of

    return name_of(code)
