"""Page slots that higher apps fill: the home page per role, the cooperative page, the village page.

A lower app renders a slot; a higher app registers panels into it from its ``AppConfig.ready``. The
lower app never imports the higher one, and the page still shows everything the user may see.

    panels.register("cooperative_detail", Panel("shares", "shares/panels/structure.html",
                                                 roles=STAFF_ROLES, context=structure_context, order=30))
    panels.render_context("cooperative_detail", request, cooperative=coop)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    roles: frozenset[str]
    context: Callable[..., dict | None] = field(default=lambda request, **kwargs: {})
    order: int = 100


_slots: dict[str, dict[str, Panel]] = defaultdict(dict)


def register(slot: str, panel: Panel) -> None:
    _slots[slot][panel.key] = panel


def panels_for(slot: str, request, **kwargs) -> list[dict]:
    """Panels of ``slot`` the user's roles allow, each with its context (a panel may return None to hide)."""
    user = request.user
    roles = user.jurisdiction.roles
    chosen = [p for p in _slots[slot].values() if roles & p.roles]
    rendered = []
    for p in sorted(chosen, key=lambda p: (p.order, p.key)):
        ctx = p.context(request, **kwargs)
        if ctx is not None:
            rendered.append({"key": p.key, "template": p.template, **ctx})
    return rendered
