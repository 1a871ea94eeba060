"""Navigation entries, home-page panels, to-do items and cooperative-page sections of the cooperatives app."""

import datetime

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from core import home, navigation, panels, todo
from core.choices import STAFF_ROLES, Role
from core.panels import Panel

COOPERATIVE_SLOT = "cooperative_detail"


def _my_cooperatives(request, **kwargs):
    from cooperatives.models import Cooperative

    coops = (
        Cooperative.objects.for_user(request.user)
        .select_related("village__parent")
        .order_by("region_code", "name")[:20]
    )
    return {"cooperatives": coops}


def _charter_section(request, *, cooperative, **kwargs):
    """The charter in force and the version under way (one query)."""
    from cooperatives.choices import CharterState
    from cooperatives.selectors import charter_summary, may

    summary = charter_summary(cooperative=cooperative, user=request.user)
    user = request.user
    may_draft = may(user, cooperative.region_code, "add")
    return {
        **summary,
        "cooperative": cooperative,
        "half": True,
        "can_draft": may_draft and summary["effective"] is None and summary["pending"] is None,
        "can_amend": may_draft
        and summary["pending"] is None
        and summary["effective"] is not None
        and summary["effective"].state == CharterState.EFFECTIVE,
    }


def _board_section(request, *, cooperative, **kwargs):
    """The current terms' people and the posts they hold on the village two committees (two queries)."""
    from cooperatives.models import BoardTerm
    from cooperatives.selectors import board_overview, may

    return {
        **board_overview(cooperative=cooperative, user=request.user),
        "cooperative": cooperative,
        "can_change": may(request.user, cooperative.region_code, "change", model=BoardTerm),
    }


def _charter_drafts(user, today):
    from cooperatives.selectors import charter_drafts

    rows, total = todo.take(charter_drafts(user))
    return [
        todo.Item(
            kind="charter_drafts",
            label=gettext_now("Draft charter"),
            subject=gettext_now("Charter version %(version)s") % {"version": c.version},
            place=todo.coop_place(c.cooperative),
            village=c.cooperative.village.name,
            since=todo.local_date(c.created_at),
            url=c.get_absolute_url(),
        )
        for c in rows
    ], total


def _charters_to_file(user, today):
    """County: adopted charters waiting for filing (备案), oldest vote first."""
    from cooperatives.selectors import charters_to_file

    rows, total = todo.take(charters_to_file(user))
    return [
        todo.Item(
            kind="charters_to_file",
            label=gettext_now("Charter to file"),
            subject=gettext_now("%(cooperative)s, charter version %(version)s")
            % {"cooperative": c.cooperative.name, "version": c.version},
            place=todo.coop_place(c.cooperative),
            village=c.cooperative.village.name,
            township=c.cooperative.village.parent.name,
            since=todo.local_date(c.adopted_at or c.updated_at),
            due=todo.local_date(c.adopted_at or c.updated_at) + datetime.timedelta(days=todo.DECISION_DAYS),
            url=c.get_absolute_url(),
        )
        for c in rows
    ], total


def _matters(user, today):
    from cooperatives.selectors import matters_to_carry_on

    rows, total = todo.take(matters_to_carry_on(user))
    return [
        todo.Item(
            kind="matters",
            label=gettext_now("Major matter"),
            subject=gettext_now("%(title)s — next: %(step)s") % {"title": m.title, "step": m.next_step.label}
            if m.next_step
            else m.title,
            place=todo.coop_place(m.cooperative),
            village=m.cooperative.village.name,
            since=todo.local_date(m.updated_at),
            url=m.get_absolute_url(),
        )
        for m in rows
    ], total


def _seal_uses_awaiting(request, **kwargs):
    from cooperatives.selectors import seal_uses_awaiting

    entries = list(seal_uses_awaiting(request.user)[:10])
    return {"entries": entries} if entries else None


def register() -> None:
    # governance: federations, major matters, projects, recognition, archive
    for key, label, url_name, icon, order in (
        ("federations", _("Federations"), "cooperatives:federation_list", "diagram-2", 20),
        ("major_matters", _("Major matters"), "cooperatives:majormatter_list", "megaphone", 21),
        ("projects", _("Projects"), "cooperatives:projectproposal_list", "clipboard-check", 22),
        ("demonstrations", _("Awards"), "cooperatives:demonstrationaward_list", "award", 23),
        ("archive", _("Archive"), "cooperatives:archiveddocument_list", "archive", 24),
    ):
        navigation.register(navigation.NavItem(key, label, url_name, STAFF_ROLES, icon, order))
    home.register(
        Panel(
            "seal_uses_awaiting",
            "cooperatives/panels/seal_uses_awaiting.html",
            frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR}),
            _seal_uses_awaiting,
            5,
        )
    )
    navigation.register(
        navigation.NavItem(
            "cooperatives", _("Cooperatives"), "cooperatives:cooperative_list", STAFF_ROLES, "people", 10
        )
    )
    navigation.register(
        navigation.NavItem(
            "charters",
            _("Charters"),
            "cooperatives:charter_list",
            frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN}),
            "journal-text",
            20,
        )
    )
    home.register(
        Panel(
            "my_cooperatives",
            "cooperatives/panels/my_cooperatives.html",
            frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR, Role.MEMBER}),
            _my_cooperatives,
            1,
        )
    )
    todo.register(
        todo.Source("charter_drafts", _("Draft charters"), frozenset({Role.VILLAGE_ACCOUNTANT}), _charter_drafts, 40)
    )
    todo.register(
        todo.Source(
            "charters_to_file",
            _("Charters to file"),
            frozenset({Role.COUNTY_OFFICIAL}),
            _charters_to_file,
            15,
            "cooperatives:charter_list",
            "state=adopted",
        )
    )
    todo.register(
        todo.Source(
            "matters",
            _("Major matters under way"),
            frozenset({Role.COOP_CHAIR}),
            _matters,
            50,
            "cooperatives:majormatter_list",
        )
    )
    panels.register(
        COOPERATIVE_SLOT,
        Panel("charter", "cooperatives/panels/charter.html", STAFF_ROLES | {Role.MEMBER}, _charter_section, 10),
    )
    panels.register(
        COOPERATIVE_SLOT,
        Panel("board", "cooperatives/panels/board.html", STAFF_ROLES | {Role.MEMBER}, _board_section, 20),
    )
