"""To-do items of oversight (core.todo): open audit findings, disclosures to publish, and for a member
the disclosures published lately. One selector, one query each."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from core import todo
from core.choices import Role

RECTIFIERS = frozenset({Role.VILLAGE_ACCOUNTANT})  # the accountant answers a finding with the evidence
PREPARERS = frozenset({Role.VILLAGE_ACCOUNTANT, Role.SUPERVISOR})
NEWS_DAYS = 90  # a published disclosure is news to a member for this long


def open_findings(user, roles=RECTIFIERS):
    """Audit findings still open in the cooperatives of the user's villages, oldest audit first."""
    from supervision.choices_oversight import FindingStatus
    from supervision.models import AuditFinding

    return (
        AuditFinding.objects.for_user(user, "rectify")
        .filter(todo.within(user, roles), status=FindingStatus.OPEN)
        .select_related("audit__cooperative__village")
        .order_by("created_at", "pk")
    )


def disclosures_to_publish(user, roles=PREPARERS):
    """Quarterly disclosures not yet published in the user's villages, oldest quarter first."""
    from supervision.choices_oversight import DisclosureStatus
    from supervision.models import Disclosure

    return (
        Disclosure.objects.for_user(user, "change")
        .filter(todo.within(user, roles), status=DisclosureStatus.DRAFT)
        .select_related("cooperative__village")
        .order_by("year", "quarter", "pk")
    )


def disclosures_published_since(user, since: datetime.date):
    """Disclosures published in a member's village from ``since`` on, newest first."""
    from supervision.choices_oversight import DisclosureStatus
    from supervision.models import Disclosure

    return (
        Disclosure.objects.for_user(user)
        .filter(todo.within(user, {Role.MEMBER}), status=DisclosureStatus.PUBLISHED, published_at__date__gte=since)
        .select_related("cooperative__village")
        .order_by("-published_at", "pk")
    )


def _findings(user, today):
    rows, total = todo.take(open_findings(user))
    items = []
    for f in rows:
        coop = f.audit.cooperative
        items.append(
            todo.Item(
                kind="findings",
                label=gettext_now("Audit finding"),
                subject=f.title,
                place=todo.coop_place(coop),
                village=coop.village.name,
                since=f.audit.reported_on or todo.local_date(f.created_at),
                due=f.rectification_deadline,
                url=f.get_absolute_url(),
            )
        )
    return items, total


def _disclosure_label(d) -> str:
    return gettext_now("%(year)s Q%(quarter)s disclosure") % {"year": d.year, "quarter": d.quarter}


def _disclosures_due(user, today):
    rows, total = todo.take(disclosures_to_publish(user))
    return [
        todo.Item(
            kind="disclosures_due",
            label=gettext_now("Disclosure to publish"),
            subject=_disclosure_label(d),
            place=todo.coop_place(d.cooperative),
            village=d.cooperative.village.name,
            since=todo.local_date(d.created_at),  # prepared at quarter end (the quarterly task)
            due=d.deadline,
            url=d.get_absolute_url(),
        )
        for d in rows
    ], total


def _disclosures_new(user, today):
    rows, total = todo.take(disclosures_published_since(user, today - datetime.timedelta(days=NEWS_DAYS)))
    return [
        todo.Item(
            kind="disclosures_new",
            label=gettext_now("Disclosure"),
            subject=_disclosure_label(d),
            place=todo.coop_place(d.cooperative),
            village=d.cooperative.village.name,
            since=todo.local_date(d.published_at),
            url=d.get_absolute_url(),
            news=True,
        )
        for d in rows
    ], total


def register() -> None:
    todo.register(
        todo.Source(
            "findings",
            _("Open audit findings"),
            RECTIFIERS,
            _findings,
            25,
            "oversight:audit_list",
        )
    )
    todo.register(
        todo.Source(
            "disclosures_due",
            _("Disclosures to publish"),
            PREPARERS,
            _disclosures_due,
            35,
            "oversight:disclosure_list",
        )
    )
    todo.register(
        todo.Source(
            "disclosures_new",
            _("New disclosures"),
            frozenset({Role.MEMBER}),
            _disclosures_new,
            85,
            "oversight:disclosure_list",
        )
    )
