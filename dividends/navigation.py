"""Navigation entry (盈余分配), the cooperative-page panel, the member's home panel and the to-do
items of plans (drafts for the accountant, the chair's check, the supervisory board's opinion)."""

import datetime

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import home, navigation, panels, todo
from core.choices import STAFF_ROLES, Role
from core.panels import Panel


def _plans_panel(request, cooperative=None, **kwargs):
    from dividends.models import DistributionPlan
    from finance.views.base import can

    plans = (
        DistributionPlan.objects.for_user(request.user).filter(cooperative=cooperative).order_by("-year", "-version")
    )
    return {
        "cooperative": cooperative,
        "plans": list(plans[:5]),
        "can_write": can(request.user, DistributionPlan, "add", cooperative.region_code),
        "half": True,
    }


def _my_statements(request, **kwargs):
    from dividends.models import MemberAllocation
    from dividends.views import MEMBER_VISIBLE

    user = request.user
    rows = (
        MemberAllocation.objects.for_user(user)
        .filter(member__user=user, plan__state__in=MEMBER_VISIBLE)
        .select_related("plan__cooperative")
        .order_by("-plan__year")
    )
    return {"allocations": list(rows[:5])}


NEWS_DAYS = 90  # a statement is news to the member for this long after the plan was filed


def _plan_items(kind, label, states, roles, action="view"):
    def items(user, today):
        from dividends.selectors import plans_in_state

        rows, total = todo.take(plans_in_state(user, states, roles, action))
        return [
            todo.Item(
                kind=kind,
                label=gettext_now(label),
                subject=gettext_now("%(year)s surplus distribution plan, version %(version)s")
                % {"year": p.year, "version": p.version},
                place=todo.coop_place(p.cooperative),
                village=p.cooperative.village.name,
                since=todo.local_date(p.updated_at),
                url=p.get_absolute_url(),
                amount=p.surplus,
            )
            for p in rows
        ], total

    return items


def _new_statements(user, today):
    from dividends.selectors import new_statements

    rows, total = todo.take(new_statements(user, today - datetime.timedelta(days=NEWS_DAYS)))
    return [
        todo.Item(
            kind="new_statements",
            label=gettext_now("Distribution statement"),
            subject=gettext_now("My %(year)s distribution: %(amount)s yuan")
            % {"year": a.plan.year, "amount": f"{a.total:,.2f}"},
            place=todo.coop_place(a.plan.cooperative),
            village=a.plan.cooperative.village.name,
            since=todo.local_date(a.plan.updated_at),
            url=a.get_absolute_url(),
            news=True,
        )
        for a in rows
    ], total


def register() -> None:
    from dividends.choices import PlanState

    accountant, chair, supervisor = (
        frozenset({Role.VILLAGE_ACCOUNTANT}),
        frozenset({Role.COOP_CHAIR}),
        frozenset({Role.SUPERVISOR}),
    )
    todo.register(
        todo.Source(
            "plan_drafts",
            _("Draft plans"),
            accountant,
            _plan_items("plan_drafts", gettext_noop("Draft plan"), [PlanState.DRAFT], accountant, "change"),
            45,
            "dividends:plan_list",
            "state=draft",
        )
    )
    todo.register(
        todo.Source(
            "plans_to_check",
            _("Plans to check"),
            chair,
            _plan_items("plans_to_check", gettext_noop("Plan to check"), [PlanState.CHECKING], chair, "check"),
            20,
            "dividends:plan_list",
            "state=checking",
        )
    )
    todo.register(
        todo.Source(
            "plans_for_opinion",
            _("Plans to give an opinion on"),
            supervisor,
            _plan_items(
                "plans_for_opinion",
                gettext_noop("Plan before the member assembly"),
                [PlanState.CHECKING, PlanState.CHECKED],
                supervisor,
            ),
            30,
            "dividends:plan_list",
        )
    )
    todo.register(
        todo.Source(
            "new_statements",
            _("New distribution statements"),
            frozenset({Role.MEMBER}),
            _new_statements,
            80,
            "dividends:my_statements",
        )
    )
    navigation.register(
        navigation.NavItem("dividends", _("Distribution"), "dividends:plan_list", STAFF_ROLES, "cash-coin", 45)
    )
    navigation.register(
        navigation.NavItem(
            "my_dividends", _("My distributions"), "dividends:my_statements", frozenset({Role.MEMBER}), "cash-coin", 45
        )
    )
    panels.register(
        "cooperative_detail", Panel("dividends_plans", "dividends/panels/plans.html", STAFF_ROLES, _plans_panel, 45)
    )
    home.register(
        Panel("dividends_mine", "dividends/panels/my_statements.html", frozenset({Role.MEMBER}), _my_statements, 12)
    )
