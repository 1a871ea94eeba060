"""The isolation matrix within one jurisdiction: what each role of 东安村, its township and its county
reads of other people (issue 17, data minimisation as a rule of the kernel).

``tests/test_isolation_matrix.py`` proves that no role reaches another tenant's rows. This module
asks the next question, inside one jurisdiction. Every GET route of the project (pages and API, lists
and details, each object route with another member's row and with the member's own), every export
(``?format=xlsx``, downloads) and the API's two computing POSTs are requested by every role of one
village, its township and its county, and each answer (HTML, JSON, the cells of a workbook) is
searched for

* another person's resident ID number (18 characters) or phone (11 digits) unmasked, or their birth
  date in full (the part of the ID number the mask hides): only the roster keepers (the village
  accountant, the system administrator) and the person themself read them; everyone else reads
  ``371323********001X``, ``138****5678`` and the year of birth (``core/privacy.py``);
* another member's figures (shares held, the plan's allocation, the payout, a contribution, the
  year's transactions, a withdrawal) read by an ordinary member: a member reads their own shares and
  dividends and the cooperative's disclosures (DESIGN.md, the member role), never another member's
  figures. Staff of the jurisdiction read them (the chair checks the plan, the supervisory board
  audits, the township files the plan, the county spot-checks);
* the figures of a plan that does not exist (a preview, a what-if comparison): only for who drafts
  plans (docs/security.md).

The rule is written here a second time, apart from ``core/privacy.py``, so that a change of the
kernel that shows more fails this module. Where a role may read what the rule refuses, ``ALLOWED``
says so with the rule that allows it. Routes are enumerated from the URL resolver: a route neither
requested nor named in ``NOT_REQUESTED`` with its reason fails ``test_every_route_is_requested``.
Each role's test also proves it reached the people it may read (in full or masked), so it cannot pass
by reaching nothing.

The world is built once per module (and per xdist worker) inside a transaction rolled back at the end;
each role is one test, so the two workers share the walk.
"""

from __future__ import annotations

import datetime
import inspect
import re
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.urls import get_resolver

from core.choices import Role
from tests.conftest import fresh, make_world
from tests.factories import UserFactory
from tests.test_isolation_matrix import (
    FACTORIES,
    FIXED_KWARGS,
    ROUTE_FACTORIES,
    _concrete,
    _id_kwargs,
    _methods,
    _model_of,
    _walk,
)

D = Decimal


# -- the people of the world, with values a text search finds without ambiguity --------------------


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    id_number: str
    phone: str


# A is the member who logs in; B and C are the other members of the cooperative; D chairs its
# board, E its supervisory board; F is a row of a roster upload that failed.
A = Person("A", "郑秋实", "37132319690908414X", "13953917735")
B = Person("B", "冯春燕", "371323197603152466", "15864287319")
C = Person("C", "韩冬青", "371323198307225311", "18753962048")
D_CHAIR = Person("D", "石宝林", "371323197809263575", "13562941706")
E_SUPERVISOR = Person("E", "罗金凤", "371323198712043626", "13869374152")
F_UPLOADED = Person("F", "贺明远", "371323199106115831", "17853901264")
PEOPLE = {p.key: p for p in (A, B, C, D_CHAIR, E_SUPERVISOR, F_UPLOADED)}
B_NEW_PHONE = "15864287390"  # the accountant corrects B's phone: the audit trail keeps both numbers

HOLDINGS = {"A": D("41286.53"), "B": D("73519.27"), "C": D("28640.19")}  # held from 1 January 2025
SURPLUS_2025 = D("36950.00")
B_CONTRIBUTION_2026 = D("5817.36")  # paid in cash in February 2026: an entry of the Q1 disclosure
B_PATRONAGE_2026 = D("6183.47")
C_WITHDRAWAL = D("2468.13")
WHAT_IF = {"year": 2026, "surplus": D("41850.00"), "policies": ("217-law", "law")}


def mask_id(number: str) -> str:
    """The mask the rule prescribes, written out here: 6 characters kept, 8 masked, 4 kept."""
    return number[:6] + "*" * 8 + number[-4:]


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


# -- who asks: the roles of one jurisdiction --------------------------------------------------------

ROLES = ["accountant", "chair", "supervisor", "member", "township", "county", "system admin"]
MEMBER = "member"
# Who keeps the village's roster and reads every person's ID number and phone in full; written here,
# not read from core.privacy, so that a rule which shows more to anyone fails this module.
ROSTER_KEEPERS = {"accountant", "system admin"}
PLAN_DRAFTERS = {"accountant", "system admin"}  # docs/security.md: preview and comparison
AUDITORS = {"township", "county", "system admin"}  # the audit trail page

# Whose ID number and phone each role must find somewhere (in full or masked), so that its test
# cannot pass by reaching nobody: the member reads their own record and the boards of their village.
REACHES = {
    "accountant": "ABCDEF",
    "system admin": "ABCDEF",
    "chair": "ABCDE",
    "supervisor": "ABCDE",
    "township": "ABCDE",
    "county": "ABCDE",
    MEMBER: "ADE",
}


def _users(world) -> dict:
    return {
        "accountant": world.acc_v11,
        "chair": world.chair_v11,
        "supervisor": UserFactory(username="supervisor_v11", roles=[(Role.SUPERVISOR, world.v11)]),
        MEMBER: world.member_v11,
        "township": world.twp_t1,
        "county": world.county_a_off,
        "system admin": UserFactory(username="admin_county_a", roles=[(Role.SYSTEM_ADMIN, world.county_a)]),
    }


# -- the world: one cooperative of 东安村 with everything a page can show of its people -------------


def _build(world, users) -> SimpleNamespace:
    """A cooperative with books; A, B and C holding shares; the 2025 distribution carried out and
    B and A paid; in 2026 B's cash contribution and transactions, C's withdrawal application, a sale;
    certificates; B's phone corrected; the board and the supervisory board; a failed roster upload;
    the first quarter's disclosure published. Everything through the services."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from cooperatives.services.board import board_member_create, board_term_create
    from dividends.models import DistributionPolicy, Payout
    from dividends.services.execution import payout_mark_paid, plan_execute
    from dividends.services.plans import plan_create, plan_input
    from finance.services.books import books_open
    from finance.services.members import patronage_create
    from members.services import member_update
    from shares.importing import COLUMNS
    from shares.services import contribution_create, contributions_confirm
    from shares.services.certificates import certificates_issue
    from shares.services.imports import ImportInvalid, import_start
    from shares.services.withdrawals import share_withdrawal_apply
    from supervision.services.disclosures import disclosure_generate, disclosure_publish, disclosure_update
    from tests.dividends.factories import cooperative, file_plan, hold
    from tests.finance.factories import voucher
    from tests.members.factories import MemberFactory

    acc = fresh(world.acc_v11)
    coop = cooperative(world, name="东安村秋实果品专业合作社")
    books_open(actor=acc, cooperative=coop, year=2026)
    members = {
        p.key: MemberFactory(
            cooperative=coop,
            name=p.name,
            id_number=p.id_number,
            phone=p.phone,
            gender="M" if int(p.id_number[16]) % 2 else "F",
            birth_date=datetime.date(int(p.id_number[6:10]), int(p.id_number[10:12]), int(p.id_number[12:14])),
            user=world.member_v11 if p is A else None,
        )
        for p in (A, B, C)
    }
    hold(acc, coop, [(members[k], "ordinary", str(v)) for k, v in HOLDINGS.items()])

    # the 2025 distribution: drafted, checked, resolved, filed with the township, carried out
    data = plan_input(
        cooperative=coop, year=2025, policy=DistributionPolicy.objects.get(code="217"), surplus=SURPLUS_2025
    )
    plan = file_plan(world, plan_create(actor=acc, data=data, note="2025年度盈余分配"))
    plan_execute(actor=acc, plan=plan, on=datetime.date(2026, 1, 20))
    plan.refresh_from_db()
    for key, day in (("B", 10), ("A", 11)):
        payout_mark_paid(
            actor=acc,
            payout=Payout.objects.get(plan=plan, member=members[key]),
            method="cash",
            paid_on=datetime.date(2026, 2, day),
            signed_by=PEOPLE[key].name,
        )

    # 2026: B pays in more capital in cash and trades with the cooperative; C applies to withdraw
    contribution = contribution_create(
        actor=acc,
        member=members["B"],
        kind="cash",
        amount=B_CONTRIBUTION_2026,
        contributed_on=datetime.date(2026, 2, 3),
    )
    contributions_confirm(actor=acc, cooperative=coop, contributions=[contribution])
    patronage_create(
        actor=acc,
        member=members["B"],
        date=datetime.date(2026, 3, 1),
        product="苹果",
        quantity=D("2061.16"),
        amount=B_PATRONAGE_2026,
    )
    share_withdrawal_apply(
        actor=acc, member=members["C"], amount=C_WITHDRAWAL, applied_on=datetime.date(2026, 3, 5), reason="家中急用"
    )
    # another receipt of the quarter (A's payout is the other payment): no total is one member's figure
    voucher(acc, coop, datetime.date(2026, 3, 10), "零售苹果收现", ("101", "9876.54", 0), ("501", 0, "9876.54"))
    certificates_issue(actor=acc, cooperative=coop, members=list(members.values()))
    member_update(actor=acc, member=members["B"], phone=B_NEW_PHONE)

    # the board and the supervisory board, with their ID numbers and phones
    for body, position, person in (("board", "chair", D_CHAIR), ("supervisory", "supervisory_chair", E_SUPERVISOR)):
        term = board_term_create(
            actor=acc,
            cooperative=coop,
            body=body,
            number=1,
            elected_on=datetime.date(2023, 3, 18),
            start_date=datetime.date(2023, 3, 18),
            end_date=datetime.date(2028, 3, 17),
        )
        board_member_create(
            actor=acc, term=term, name=person.name, id_number=person.id_number, position=position, phone=person.phone
        )

    # a roster upload that failed (B is already a member): the raw rows stay with the batch
    workbook, buffer = Workbook(), BytesIO()
    workbook.active.append([c.header for c in COLUMNS])
    for person in (F_UPLOADED, B):
        row = {"kind": "个人", "name": person.name, "id_number": person.id_number, "phone": person.phone}
        row["household_number"] = f"H-{person.key}"
        workbook.active.append([row.get(c.key, "") for c in COLUMNS])
    workbook.save(buffer)
    with pytest.raises(ImportInvalid):
        import_start(actor=acc, cooperative=coop, file=SimpleUploadedFile("花名册.xlsx", buffer.getvalue()))

    # the first quarter's disclosure (社务公开), published by the supervisory board
    disclosure, _ = disclosure_generate(cooperative=coop, year=2026, quarter=1)
    disclosure = disclosure_update(
        actor=acc, disclosure=disclosure, plan_summary="一季度计划", operations_summary="一季度经营情况"
    )
    disclosure_publish(actor=fresh(users["supervisor"]), disclosure=disclosure)
    return SimpleNamespace(coop=coop, members=members, plan=plan)


def _objects(built) -> dict:
    """Model label → the objects that fill its routes: another member's row (B's, else C's) first,
    then the logged-in member's own (A's), where the rows belong to members."""
    from cooperatives.models import BoardMember, BoardTerm
    from dividends.models import MemberAllocation, Payout
    from finance.models import Account, CooperativeBooks, FiscalYear, PatronageTransaction, Period, Voucher
    from shares.models import Contribution, Holding, ImportBatch, ShareCertificate, ShareEntry, ShareWithdrawal
    from supervision.models import Disclosure

    coop, a, b = built.coop, built.members["A"], built.members["B"]
    built.own = []

    def other_and_own(rows, member_of=lambda row: row.member_id):
        rows = sorted(rows, key=lambda row: (member_of(row) != b.pk, row.pk))
        own = [r for r in rows if member_of(r) == a.pk][:1]
        built.own.extend(own)
        return [r for r in rows if member_of(r) != a.pk][:1] + own

    return {
        "cooperatives.cooperative": [coop],
        "cooperatives.boardterm": list(BoardTerm.objects.filter(cooperative=coop)),
        "cooperatives.boardmember": list(BoardMember.objects.filter(cooperative=coop)),
        "members.member": other_and_own([a, b], member_of=lambda m: m.pk),
        "members.household": other_and_own([a.household, b.household], member_of=lambda h: h.members.get().pk),
        "shares.holding": other_and_own(Holding.objects.filter(cooperative=coop)),
        "shares.shareentry": other_and_own(ShareEntry.objects.filter(cooperative=coop)),
        "shares.contribution": other_and_own(Contribution.objects.filter(cooperative=coop)),
        "shares.sharewithdrawal": other_and_own(ShareWithdrawal.objects.filter(cooperative=coop)),
        "shares.sharecertificate": other_and_own(ShareCertificate.objects.filter(cooperative=coop)),
        "shares.importbatch": list(ImportBatch.objects.filter(cooperative=coop)),
        "finance.cooperativebooks": [CooperativeBooks.objects.get(cooperative=coop)],
        "finance.fiscalyear": [FiscalYear.objects.get(cooperative=coop, year=2026)],
        "finance.period": [Period.objects.get(cooperative=coop, fiscal_year__year=2026, number=2)],
        "finance.account": [Account.objects.get(cooperative=coop, code="301")],
        # the vouchers with member lines: B's contribution (301) and B's payout (221/222)
        "finance.voucher": list(
            Voucher.objects.filter(cooperative=coop, lines__member=b).distinct().order_by("pk")[:2]
        ),
        "finance.patronagetransaction": other_and_own(PatronageTransaction.objects.filter(cooperative=coop)),
        "dividends.distributionplan": [built.plan],
        "dividends.memberallocation": other_and_own(MemberAllocation.objects.filter(plan=built.plan)),
        "dividends.payout": other_and_own(Payout.objects.filter(plan=built.plan)),
        "supervision.disclosure": list(Disclosure.objects.filter(cooperative=coop)),
    }


# -- what must not be read, by whom ---------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    owner: str  # the person's key ("" for a figure of a plan that does not exist)
    kind: str  # "ID number", "phone", "holding" or "what-if"
    label: str
    pattern: re.Pattern


def _exact(text: str) -> re.Pattern:
    return re.compile(rf"(?<![0-9A-Za-z]){re.escape(text)}(?![0-9A-Za-z])")


def _birth_date(id_number: str) -> re.Pattern:
    """The birth date is the part of the ID number its mask hides (characters 7–14): shown in full next
    to ``371323********2466`` it gives the whole number back. 1976-03-15, 1976/03/15, 1976年3月15日."""
    year, month, day = id_number[6:10], id_number[10:12], id_number[12:14]
    forms = [f"{year}-{month}-{day}", f"{year}/{month}/{day}", f"{year}年{int(month)}月{int(day)}日"]
    forms.append(f"{year}年{month}月{day}日")
    return re.compile(rf"(?<![0-9])(?:{'|'.join(re.escape(f) for f in forms)})(?![0-9])")


def _amount(value: Decimal) -> re.Pattern:
    """73519.27 as the API writes it, 73,519.27 as a page does; never a part of a longer number."""
    forms = {re.escape(f"{value:.2f}"), re.escape(f"{value:,.2f}")}
    return re.compile(rf"(?<![\d.,])(?:{'|'.join(sorted(forms))})(?!\d)")


def _figures(built) -> dict[str, dict[str, Decimal]]:
    """Each member's figures: person key → label → amount."""
    from dividends.models import MemberAllocation, Payout
    from shares.models import Holding

    figures: dict[str, dict[str, Decimal]] = {}
    for key, member in built.members.items():
        mine = figures[key] = {"shares held on 1 January 2025": HOLDINGS[key]}
        for h in Holding.objects.filter(member=member):
            mine[f"{h.share_class} shares held"] = h.amount
        allocation = MemberAllocation.objects.get(plan=built.plan, member=member)
        for name in ("share_weight", "patronage_refund", "share_dividend", "reserve_share", "total"):
            mine[f"2025 allocation, {name}"] = getattr(allocation, name)
        mine["2025 payout"] = Payout.objects.get(plan=built.plan, member=member).amount
    figures["B"] |= {"contribution of 2026": B_CONTRIBUTION_2026, "transactions of 2026": B_PATRONAGE_2026}
    figures["C"]["withdrawal applied for"] = C_WITHDRAWAL
    return {key: {label: v for label, v in mine.items() if v} for key, mine in figures.items()}


def _what_if(built) -> list[Decimal]:
    """Every member's amount in the what-if the matrix asks for (computed by the service itself)."""
    from dividends.models import DistributionPolicy
    from dividends.services.plans import plan_assess, plan_input

    amounts = []
    for code in WHAT_IF["policies"]:
        policy = DistributionPolicy.objects.get(code=code)
        data = plan_input(cooperative=built.coop, year=WHAT_IF["year"], policy=policy, surplus=WHAT_IF["surplus"])
        amounts += [m.total for m in plan_assess(data).members if m.total]
    return amounts


def _secrets(built) -> list[Secret]:
    found = []
    for p in PEOPLE.values():
        found.append(Secret(p.key, "ID number", f"{p.name}'s ID number", _exact(p.id_number)))
        found.append(Secret(p.key, "phone", f"{p.name}'s phone", _exact(p.phone)))
        found.append(Secret(p.key, "ID number", f"{p.name}'s birth date", _birth_date(p.id_number)))
    found.append(Secret("B", "phone", f"{B.name}'s new phone", _exact(B_NEW_PHONE)))
    figures = _figures(built)
    own = set(figures["A"].values())
    for key in ("B", "C"):
        for label, value in figures[key].items():
            assert value not in own, f"{label} of {key} equals a figure of A's: choose other numbers"
            found.append(Secret(key, "holding", f"{PEOPLE[key].name}'s {label} ({value})", _amount(value)))
    known = own | {v for key in ("B", "C") for v in figures[key].values()}
    for value in _what_if(built):
        assert value not in known, f"a what-if amount ({value}) equals a figure of the world: choose another surplus"
        found.append(Secret("", "what-if", f"a what-if amount ({value})", _amount(value)))
    return found


def forbidden(role: str, secret: Secret) -> bool:
    """The rule this module checks (see the module docstring)."""
    if secret.kind in ("ID number", "phone"):
        return role not in ROSTER_KEEPERS and not (role == MEMBER and secret.owner == "A")
    if secret.kind == "what-if":
        return role not in PLAN_DRAFTERS
    return role == MEMBER and secret.owner != "A"


# Where a role may read what ``forbidden`` refuses, and why: (role, kind, route) → the rule.
DISCLOSED = (
    # Seed 002 §9 (DOMAIN.md §1.4): every quarter the income and expenditure are published to the
    # members and villagers, "itemised entry by entry", by the supervisory board. A member's cash
    # contribution and a payout paid in cash are such entries, and their summaries name the member,
    # so a published disclosure shows them to every member of the village (the page, its sheet and the
    # API, whose list carries each disclosure whole); the list page shows the totals only. No ID
    # number, phone or birth date is in it.
    "seed 002 §9: the published quarterly disclosure itemises every receipt and payment"
)
ALLOWED = {
    (MEMBER, "holding", "supervision/disclosures/<int:pk>/"): DISCLOSED,
    (MEMBER, "holding", "api/v1/^supervision/disclosures/(?P<pk>[^/.]+)/$"): DISCLOSED,
    (MEMBER, "holding", "api/v1/^supervision/disclosures/$"): DISCLOSED,  # each with its entries
}


# -- every route, and what it is asked -------------------------------------------------------------

# Routes not requested, each with its reason (a regular expression on the route).
NOT_REQUESTED = {
    r"^admin/": "Django's admin: only a superuser enters it, and a superuser keeps every roster",
    r"^accounts/": "login, logout and the password form: nobody else's data",
    r"^api/schema/|^api/docs/": "the OpenAPI schema and its viewer: no tenant data",
    r"^api/v1/auth/": "API token login and logout: nobody else's data",
    r"^scope/$": "the region switcher: a redirect",
}
# A route that answers POST (PUT, PATCH, DELETE) only is a write: it answers the row written, and
# who may write keeps the roster or is refused. Except these two, which compute every member's figures:
READ_BY_POST = {"api/v1/^dividends/plans/preview/$", "api/v1/^dividends/plans/compare/$"}
WRITE_ONLY = "a write: no GET"


def _reason_not_requested(route: str, pattern) -> str | None:
    for expression, reason in NOT_REQUESTED.items():
        if re.search(expression, route):
            return reason
    if "get" not in _methods(pattern) and route not in READ_BY_POST:
        return WRITE_ONLY
    return None


# Routes whose id is not an object of the view's model, or whose object this module makes itself
# rather than the cross-tenant matrix's factories: route → model label.
ROUTE_OBJECTS = {
    "api/v1/cooperatives/<int:pk>/compliance/": "cooperatives.cooperative",
    "cooperatives/<int:pk>/classify/": "cooperatives.cooperative",
    "shares/contributions/<int:pk>/": "shares.contribution",
    "shares/contributions/<int:pk>/edit/": "shares.contribution",
    "shares/withdrawals/<int:pk>/": "shares.sharewithdrawal",
    "shares/import/<int:pk>/": "shares.importbatch",
    "shares/import/<int:pk>/progress/": "shares.importbatch",
    "shares/import/<int:pk>/report.xlsx": "shares.importbatch",
}


def _queries(route: str, j) -> list[dict]:
    """The query strings a route is asked with (besides its export)."""
    coop, b = j.built.coop, j.built.members["B"]
    if route == "audit/":
        # the page shows the newest 50 changes, its export all of them; both for the village and for
        # the cooperative
        return [{"region": coop.region_code}, {"region": coop.region_code, "cooperative": coop.pk}]
    if route in ("finance/cooperatives/<int:pk>/member-accounts/", "finance/cooperatives/<int:pk>/ledger/"):
        return [{}, {"member": b.pk}]
    if route == "dividends/cooperatives/<int:pk>/compare/":
        from dividends.models import DistributionPolicy

        first, second = (DistributionPolicy.objects.get(code=code).pk for code in WHAT_IF["policies"])
        return [{"year": WHAT_IF["year"], "surplus": WHAT_IF["surplus"], "policy_a": first, "policy_b": second}]
    if route in ("shares/contributions/new/", "shares/register/", "members/new/"):
        return [{"cooperative": coop.pk}]
    return [{}]


PROJECT_MODULES = ("core.", "cooperatives.", "members.", "shares.", "finance.", "dividends.", "supervision.")


def _exports(pattern) -> bool:
    """Does the page answer ``?format=xlsx`` with a workbook? (read from its view's code)"""
    from core.views.lists import ScopedListView

    view = getattr(pattern.callback, "view_class", None)
    if view is None:
        return False
    if issubclass(view, ScopedListView):
        return bool(view.export_columns)
    return any(
        '"xlsx"' in inspect.getsource(klass) for klass in view.__mro__ if klass.__module__.startswith(PROJECT_MODULES)
    )


@dataclass(frozen=True)
class Request:
    route: str
    method: str
    path: str
    query: tuple = ()
    own: bool = False  # the object is the logged-in member's own: asked by the member only

    def asked_by(self, role: str) -> bool:
        return role == MEMBER or not self.own

    def __str__(self):
        query = "&".join(f"{k}={v}" for k, v in self.query)
        return f"{self.method.upper()} {self.path}{'?' + query if query else ''}"


def _plan_requests(j) -> tuple[list[Request], list[str]]:
    """Every request of the matrix, and the routes it could not fill."""
    made: dict = {}

    def objects_for(route, pattern) -> list:
        if route not in ROUTE_OBJECTS:
            for prefix, make in ROUTE_FACTORIES.items():
                if route.startswith(prefix):
                    made.setdefault(make, make(j.world))
                    return [made[make]]
            model = _model_of(pattern)
            label = model._meta.label_lower if model is not None else None
        else:
            label = ROUTE_OBJECTS[route]
        if label in j.objects:
            return j.objects[label]
        make = FACTORIES.get(label)
        if make is None:
            return []
        if make not in made:
            made[make] = make(j.world)
        return [made[make]]

    requests, unfilled = [], []
    for route, pattern in ROUTES:
        if _reason_not_requested(route, pattern):
            continue
        names = _id_kwargs(route)
        objects = objects_for(route, pattern) if names else [None]
        if len(names) > 1 or not objects:
            unfilled.append(route)
            continue
        for obj in objects:
            path = _concrete(route, {names[0]: obj.pk, **FIXED_KWARGS} if names else FIXED_KWARGS)
            if route in READ_BY_POST:
                requests.append(Request(route, "post", path))
                continue
            own = obj is not None and obj in j.own
            for query in _queries(route, j):
                requests.append(Request(route, "get", path, tuple(query.items()), own))
                if _exports(pattern):
                    requests.append(Request(route, "get", path, (*query.items(), ("format", "xlsx")), own))
    return requests, unfilled


def _ask(client, request: Request, j):
    if request.method == "post":
        first, second = WHAT_IF["policies"]
        body = {"cooperative": j.built.coop.pk, "year": WHAT_IF["year"], "surplus": str(WHAT_IF["surplus"])}
        return client.post(request.path, {**body, "policy": first, "policy_b": second}, content_type="application/json")
    return client.get(request.path, dict(request.query))


def _text(response) -> str:
    """What the answer shows: a workbook's cells (numbers also to the fen), else the body as text."""
    # the test client closes the response (a streamed one once it is read through)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" not in response.get("Content-Type", ""):
        return body.decode("utf-8", errors="ignore")
    from openpyxl import load_workbook

    cells = []
    for sheet in load_workbook(BytesIO(body), read_only=True).worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
                    cells.append(f"{value} {value:.2f}")
                elif value is not None:
                    cells.append(str(value))
    return "\n".join(cells)


ROUTES = list(_walk(get_resolver().url_patterns))


@pytest.fixture(scope="module")
def jurisdiction(django_db_setup, django_db_blocker):
    """The world, the secrets and the requests: built once, rolled back after the module's tests."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        world = make_world()
        users = _users(world)
        j = SimpleNamespace(world=world, users=users, built=_build(world, users))
        j.objects = _objects(j.built)
        j.own = j.built.own
        j.secrets = _secrets(j.built)
        j.figures = _figures(j.built)
        j.requests, j.unfilled = _plan_requests(j)
        yield j
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_route_is_requested_or_named_with_its_reason(jurisdiction):
    requested = {r.route for r in jurisdiction.requests}
    unexplained = [r for r, p in ROUTES if r not in requested and not _reason_not_requested(r, p)]
    assert jurisdiction.unfilled == [], f"routes with no object to fill them: {jurisdiction.unfilled}"
    assert unexplained == [], f"request these routes, or say in NOT_REQUESTED why not: {unexplained}"
    assert len(requested) > 250


def _expected(role: str, j) -> dict[str, re.Pattern]:
    """What ``role`` must find somewhere: whose ID numbers and phones (in full where it may, masked
    where not), the member's own figures, what-if figures for who drafts plans."""
    expected = {}
    for key in REACHES[role]:
        p = PEOPLE[key]
        full = role in ROSTER_KEEPERS or (role == MEMBER and key == "A")
        expected[f"{p.name}'s ID number"] = _exact(p.id_number if full else mask_id(p.id_number))
        phone = B_NEW_PHONE if key == "B" else p.phone
        if key != "F":  # the uploaded row's phone is only in the raw roster, which holds it in full
            expected[f"{p.name}'s phone"] = _exact(phone if full else mask_phone(phone))
    if role in AUDITORS:  # B's phone before the correction, in the audit trail
        expected[f"{B.name}'s old phone"] = _exact(B.phone if role in ROSTER_KEEPERS else mask_phone(B.phone))
    if role == MEMBER:
        for label in ("ordinary shares held", "2025 allocation, total", "2025 payout"):
            expected[f"own {label}"] = _amount(j.figures["A"][label])
    if role in PLAN_DRAFTERS:
        expected["what-if amounts"] = next(s.pattern for s in j.secrets if s.kind == "what-if")
    return expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_reads_of_other_people(client, jurisdiction, role):
    from django.db import transaction

    j = jurisdiction
    client.force_login(j.users[role])
    refused = [s for s in j.secrets if forbidden(role, s)]
    expected = _expected(role, j)
    leaks, crashes, found, allowed, closed = [], [], set(), set(), []
    for request in (r for r in j.requests if r.asked_by(role)):
        # each request in a savepoint: one that breaks leaves the next ones a working transaction
        savepoint = transaction.savepoint()
        try:
            response = _ask(client, request, j)
        except Exception as exc:  # a page that breaks answers 500 to the user
            crashes.append(f"{request}: {exc!r}")
            continue
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            crashes.append(f"{request}: {response.status_code}")
        if response.status_code != 200 and (request.route, response.status_code) not in ANSWERS_OTHERWISE:
            closed.append(f"{request} → {response.status_code}")
        text = _text(response)
        for secret in refused:
            if secret.pattern.search(text):
                reason = ALLOWED.get((role, secret.kind, request.route))
                if reason is None:
                    leaks.append(f"{role} {request}: {secret.label}")
                else:
                    allowed.add(reason)
        found |= {label for label, pattern in expected.items() if pattern.search(text)}

    assert crashes == [], f"{role}: answers that broke:\n" + "\n".join(crashes)
    assert leaks == [], f"{len(leaks)} leaks:\n" + "\n".join(leaks)
    missing = sorted(set(expected) - found)
    assert missing == [], f"{role} never read {missing}: the matrix no longer reaches them"
    if role == MEMBER:
        # the exception is real: the published disclosure names B's contribution and payout
        assert allowed == {DISCLOSED}
    if role == "system admin":
        # the administrator of the county opens every route of the matrix, so each is asked something
        assert closed == [], "requests nobody inside the jurisdiction can open:\n" + "\n".join(closed)


# What the system administrator is answered with other than 200, and why: (route, status) → reason.
ANSWERS_OTHERWISE = {
    ("finance/cooperatives/<int:pk>/member-accounts/", 404): "the sheet is one member's account (?member=)",
    ("finance/vouchers/<int:pk>/edit/", 302): "a posted voucher is not edited: the page sends to the voucher",
}
