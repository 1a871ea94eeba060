"""The isolation matrix: every page and API route, asked for another tenant's objects by every role.

Routes are enumerated from the URL resolver, so a new route is covered automatically — or the
test fails and names it until it is classified below. For each route that takes an object id, an
object is made in village 东安村 (county A, township 1) and requested by users of the other village
of that township, of the other township and of the other county: the answer must be 404 (or 403
for a role that may not use the page at all), never data, and a POST must change nothing. Someone
inside the jurisdiction must get the page, so the test cannot pass by refusing everybody. List pages
and exports must not show the object's marker text to outsiders.
"""

from __future__ import annotations

import itertools
import re
from io import BytesIO

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLResolver, get_resolver
from pghistory.models import Event

from tests.conftest import fresh
from tests.dividends.matrix import make_factories as make_dividends_factories
from tests.factories import CooperativeFactory, DocumentFactory, UserFactory
from tests.finance.matrix import make_factories as make_finance_factories
from tests.supervision.matrix import make_factories as make_supervision_factories
from tests.supervision.matrix_oversight import make_factories as make_oversight_factories

MARKER = "甲村机密"

# Routes that hold no tenant data (auth, schema, the region switcher) — checked elsewhere.
SKIP = re.compile(r"^(admin/|accounts/|account/|api/schema/|api/docs/|api/v1/auth/|scope/|\^media/)")


# -- how to make an object of each routed model inside village 东安村 ----------------------------
_serial = itertools.count(1)


def _cooperative(world):
    return CooperativeFactory(name=f"{MARKER}合作社{next(_serial)}", village=world.v11)


def _approval(world):
    from core.services.approvals import approval_request_create, approval_submit

    doc = DocumentFactory(region_code=world.v11.code)
    req = approval_request_create(
        actor=fresh(world.acc_v11), subject=doc, kind="test_document", title=f"{MARKER}审批", region_code=world.v11.code
    )
    approval_submit(actor=fresh(world.acc_v11), request=req)
    return req


def _region(world):
    return world.v11


def _township(world):
    return world.t1


def _board_term(world):
    from tests.cooperatives.factories import BoardTermFactory

    return BoardTermFactory(cooperative=_cooperative(world))


def _board_member(world):
    from tests.cooperatives.factories import BoardMemberFactory

    return BoardMemberFactory(term=_board_term(world), name=f"{MARKER}理事")


def _charter(world):
    from tests.cooperatives.factories import CharterFactory

    return CharterFactory(cooperative=_cooperative(world), domicile=f"{MARKER}地址")


def _charter_attachment(world):
    from django.core.files.base import ContentFile

    from cooperatives.models import CharterAttachment

    charter = _charter(world)
    attachment = CharterAttachment(
        charter=charter,
        region_code=charter.region_code,
        title=f"{MARKER}附件",
        original_name="minutes.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=world.acc_v11,
    )
    attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return attachment


def _federation_membership(world):
    from tests.factories import FederationMembershipFactory

    federation = CooperativeFactory(name=f"{MARKER}联合社{next(_serial)}", village=world.v11, kind="federation")
    return FederationMembershipFactory(federation=federation, member=_cooperative(world))


def _classification_change(world):
    from cooperatives.models import ClassificationChange

    coop = _cooperative(world)
    return ClassificationChange.objects.create(
        cooperative=coop,
        region_code=coop.region_code,
        classification="leading",
        changed_on="2026-01-05",
        reason=f"{MARKER}分类",
        changed_by=world.twp_t1,
    )


def _demonstration(world):
    from tests.factories import DemonstrationAwardFactory

    return DemonstrationAwardFactory(cooperative=_cooperative(world), award_basis=MARKER)


def _certification(world):
    from tests.factories import ProductCertificationFactory

    return ProductCertificationFactory(cooperative=_cooperative(world), product=f"{MARKER}苹果")


def _major_matter(world):
    from tests.factories import MajorMatterFactory

    return MajorMatterFactory(cooperative=_cooperative(world), title=f"{MARKER}事项")


def _major_matter_step(world):
    from cooperatives.models import MajorMatterStep

    matter = _major_matter(world)
    return MajorMatterStep.objects.create(
        matter=matter,
        region_code=matter.region_code,
        step=1,
        held_on="2026-01-05",
        minutes=f"{MARKER}会议",
        recorded_by=world.acc_v11,
    )


def _expert(world):
    from tests.factories import ExpertFactory

    return ExpertFactory(region=world.t1, name=f"{MARKER}专家{next(_serial)}")


def _proposal(world):
    from tests.factories import ProjectProposalFactory

    return ProjectProposalFactory(cooperative=_cooperative(world), title=f"{MARKER}项目")


def _expert_review(world):
    from cooperatives.models import ExpertReview

    proposal = _proposal(world)
    return ExpertReview.objects.create(
        proposal=proposal,
        expert=_expert(world),
        region_code=proposal.region_code,
        assigned_by=world.twp_t1,
        opinion=f"{MARKER}意见",
    )


def _archived_document(world):
    from tests.factories import ArchivedDocumentFactory

    return ArchivedDocumentFactory(cooperative=_cooperative(world), title=f"{MARKER}档案")


def _seal_use(world):
    from tests.factories import SealUseFactory

    return SealUseFactory(cooperative=_cooperative(world), purpose=f"{MARKER}用印", handler=world.acc_v11)


def _shares_world(world):
    """A cooperative in 东安村 with two members whose contributions are confirmed (rules off)."""
    from decimal import Decimal

    from core.models import CountyPolicy, PolicyProfile
    from core.policies import ensure_templates
    from shares.services import contribution_create, contributions_confirm
    from tests.members.factories import MemberFactory

    ensure_templates()
    off, _ = PolicyProfile.objects.get_or_create(code="test-off", defaults={"name": "all rules off"})
    CountyPolicy.objects.update_or_create(county=world.county_a, defaults={"profile": off})
    coop = _cooperative(world)
    coop.status = "operating"
    coop.save(update_fields=["status"])
    actor = fresh(world.acc_v11)
    first = MemberFactory(cooperative=coop, name=f"{MARKER}社员{next(_serial)}")
    second = MemberFactory(cooperative=coop, name=f"{MARKER}社员{next(_serial)}")
    rows = [
        contribution_create(actor=actor, member=m, kind="cash", amount=Decimal(a))
        for m, a in ((first, "1000.00"), (second, "500.00"))
    ]
    contributions_confirm(actor=actor, cooperative=coop, contributions=rows)
    return coop, first, actor


def _member(world):
    return _shares_world(world)[1]


def _household(world):
    return _shares_world(world)[1].household


def _contribution(world):
    from decimal import Decimal

    from shares.services import contribution_create

    _coop, member, actor = _shares_world(world)
    return contribution_create(actor=actor, member=member, kind="cash", amount=Decimal("200.00"))


def _holding(world):
    from shares.models import Holding

    return Holding.objects.filter(member=_member(world)).first()


def _share_entry(world):
    from shares.models import ShareEntry

    return ShareEntry.objects.filter(member=_member(world)).first()


def _withdrawal(world):
    from decimal import Decimal

    from shares.services import share_withdrawal_apply

    _coop, member, actor = _shares_world(world)
    return share_withdrawal_apply(actor=actor, member=member, amount=Decimal("100.00"), reason=MARKER)


def _certificate(world):
    from shares.services import certificates_issue

    coop, member, actor = _shares_world(world)
    return certificates_issue(actor=actor, cooperative=coop, members=[member])[0]


def _import_batch(world):
    from django.core.files.base import ContentFile

    from shares.models import ImportBatch

    coop = _cooperative(world)
    batch = ImportBatch(
        cooperative=coop,
        region_code=coop.region_code,
        original_name=f"{MARKER}.xlsx",
        created_by=world.acc_v11,
        errors=[{"row": 2, "column": "姓名", "message": MARKER}],
    )
    from io import BytesIO

    from openpyxl import Workbook

    wb, buffer = Workbook(), BytesIO()
    wb.active.append(["姓名", "身份证号码"])
    wb.active.append([MARKER, "bad"])
    wb.save(buffer)
    batch.file.save("roster.xlsx", ContentFile(buffer.getvalue()), save=False)
    batch.save()
    return batch


def _notification(world):
    from core.services.notifications import notify

    n = next(_serial)
    return notify(
        recipients=[world.acc_v11],
        kind="submitted",
        text=f"{MARKER}通知{n}",
        link="/",
        event_key=f"matrix:{n}",
        region_code=world.v11.code,
    )[0]


FACTORIES = {
    "members.member": _member,
    "members.household": _household,
    "shares.contribution": _contribution,
    "shares.holding": _holding,
    "shares.shareentry": _share_entry,
    "shares.sharewithdrawal": _withdrawal,
    "shares.sharecertificate": _certificate,
    "shares.importbatch": _import_batch,
    "cooperatives.federationmembership": _federation_membership,
    "cooperatives.classificationchange": _classification_change,
    "cooperatives.demonstrationaward": _demonstration,
    "cooperatives.productcertification": _certification,
    "cooperatives.majormatter": _major_matter,
    "cooperatives.majormatterstep": _major_matter_step,
    "cooperatives.expert": _expert,
    "cooperatives.projectproposal": _proposal,
    "cooperatives.expertreview": _expert_review,
    "cooperatives.archiveddocument": _archived_document,
    "cooperatives.sealuse": _seal_use,
    "cooperatives.cooperative": _cooperative,
    "cooperatives.boardterm": _board_term,
    "cooperatives.boardmember": _board_member,
    "cooperatives.charter": _charter,
    "cooperatives.charterattachment": _charter_attachment,
    "core.approvalrequest": _approval,
    "core.region": _region,
    "core.notification": _notification,
    **make_finance_factories(MARKER),
    **make_supervision_factories(MARKER),
    **make_dividends_factories(MARKER),
    **make_oversight_factories(MARKER),
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _model_of(pattern):
    callback = pattern.callback
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    for attr in ("model", "queryset_model"):
        model = getattr(view, attr, None)
        if model is not None:
            return model
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _with_file(obj, field):
    from django.core.files.base import ContentFile

    getattr(obj, field).save("evidence.pdf", ContentFile(b"%PDF-1.4 " + MARKER.encode()), save=False)
    for name_field in (f"{field}_name", "attachment_name"):
        if hasattr(obj, name_field):
            setattr(obj, name_field, "evidence.pdf")
            type(obj).objects.filter(pk=obj.pk).update(**{name_field: "evidence.pdf"})
            break
    type(obj).objects.filter(pk=obj.pk).update(**{field: getattr(obj, field).name})
    return obj


def _federation(world):
    return CooperativeFactory(name=f"{MARKER}联合社{next(_serial)}", village=world.v11, kind="federation")


# Routes whose id is not an object of the view's ``model`` (or whose view names no model).
ROUTE_FACTORIES = {
    "api/v1/cooperatives/<int:pk>/compliance/": _cooperative,
    "shares/contributions/<int:pk>/evidence/": lambda world: _with_file(_contribution(world), "evidence"),
    "shares/contributions/<int:pk>/": lambda world: _contribution(world),
    "shares/withdrawals/<int:pk>/": lambda world: _withdrawal(world),
    "shares/import/<int:pk>/": lambda world: _import_batch(world),
    "cooperatives/<int:pk>/classify/": _cooperative,
    "cooperatives/federations/<int:pk>/members/add/": _federation,
    "api/v1/^federations/": _federation,
    "cooperatives/major-matters/<int:pk>/steps/<int:step>/": lambda world: _major_matter(world),
    "cooperatives/major-matters/steps/<int:pk>/attachment/": lambda world: _with_file(
        _major_matter_step(world), "attachment"
    ),
    "cooperatives/projects/<int:pk>/market-study/": lambda world: _with_file(_proposal(world), "market_study_file"),
    "cooperatives/archive/<int:pk>/download/": lambda world: _archived_document(world),
    "cooperatives/projects/<int:pk>/experts/": lambda world: _proposal(world),
    "supervision/audits/townships/<int:pk>/annual/": _township,
}
# Pages that open only in a later state of the object (e.g. experts are assigned to a submitted
# proposal): outsiders are still checked; the "someone inside can open it" check is skipped.
STATE_DEPENDENT = {"cooperatives/projects/<int:pk>/experts/"}


def _factory_for(route, pattern):
    for prefix, make in ROUTE_FACTORIES.items():
        if route.startswith(prefix):
            return make
    model = _model_of(pattern)
    return FACTORIES.get(model._meta.label_lower) if model is not None else None


# URL arguments that are not object ids, with the value the matrix uses
FIXED_KWARGS = {"step": 1}


def _id_kwargs(route: str) -> list[str]:
    names = re.findall(r"\(\?P<(\w+)>", route) + re.findall(r"(?<!\?P)<(?:\w+:)?(\w+)>", route)
    return list(dict.fromkeys(n for n in names if n not in ("format", "path", *FIXED_KWARGS)))


def _methods(pattern) -> list[str]:
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return sorted(actions)
    view = getattr(pattern.callback, "view_class", None)
    names = [m for m in ("get", "post") if view is not None and hasattr(view, m)]
    return names or ["get"]


def _concrete(route: str, values: dict[str, int]) -> str:
    path = route.replace("^", "").replace("$", "")
    for name, value in values.items():
        path = re.sub(rf"\(\?P<{name}>[^)]*\)", str(value), path)
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    return "/" + path


@pytest.fixture(params=[True, False], ids=["rls", "orm-only"])
def layers(request, settings):
    """Each layer must hold on its own: with row-level security, and with the ORM scope alone."""
    settings.LINGBAN_RLS = request.param
    return request.param


ROUTES = [(route, p) for route, p in _walk(get_resolver().url_patterns) if not SKIP.match(route)]
OBJECT_ROUTES = [(r, p) for r, p in ROUTES if _id_kwargs(r)]
LIST_ROUTES = [(r, p) for r, p in ROUTES if not _id_kwargs(r)]


def test_the_change_counter_sees_a_change_and_its_rollback(world):
    from django.db import transaction

    before = _events_written()
    CooperativeFactory(village=world.v11)
    assert _events_written() > before
    written = _events_written()
    with transaction.atomic():
        CooperativeFactory(village=world.v12)
        transaction.set_rollback(True)
    assert _events_written() > written  # a write undone before the 404 is still seen


def test_every_object_route_is_classified():
    unknown = [
        route for route, pattern in OBJECT_ROUTES if _factory_for(route, pattern) is None or len(_id_kwargs(route)) != 1
    ]
    assert unknown == [], f"add these routes to the isolation matrix: {unknown}"


def _events_written() -> int:
    """History events written so far in the test's transaction: every tracked change writes one.

    PostgreSQL's transaction-local counters (``pg_stat_xact_user_tables``) answer in one cheap
    query; counting the rows of ``pghistory``'s union of every event table took 50 ms a time. The
    counter also counts an event written and then rolled back, so a request that writes before it
    refuses is caught too."""
    tables = [m._meta.db_table for m in apps.get_models() if issubclass(m, Event) and not m._meta.abstract]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables "
            "WHERE relname = ANY(%s)",
            [tables],
        )
        return cursor.fetchone()[0]


def _outsiders(world):
    return {
        "other village": world.acc_v12,
        "other township": world.twp_t2,
        "other county": world.county_b_off,
        "other county accountant": world.acc_v31,
    }


def _insiders(world):
    return [world.acc_v11, world.twp_t1, world.county_a_off, UserFactory(username="root", is_superuser=True)]


def _contains_marker(response) -> bool:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        wb = load_workbook(BytesIO(response.content), read_only=True)
        return any(
            MARKER in str(c)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c is not None
        )
    return MARKER in response.content.decode(errors="ignore")


def _ask(client, method: str, path: str):
    if method in ("put", "patch"):
        return getattr(client, method)(path, data={}, content_type="application/json")
    return getattr(client, method)(path)


@pytest.mark.parametrize(("route", "pattern"), OBJECT_ROUTES, ids=[r for r, _ in OBJECT_ROUTES])
def test_foreign_objects_answer_404_and_change_nothing(client, world, settings, route, pattern):
    """With row-level security on (as in production): every method of every object route."""
    settings.LINGBAN_RLS = True
    obj = _factory_for(route, pattern)(world)
    path = _concrete(route, {_id_kwargs(route)[0]: obj.pk, **FIXED_KWARGS})
    methods = _methods(pattern)

    for label, user in _outsiders(world).items():
        client.force_login(user)
        for method in methods:
            before = _events_written()
            response = _ask(client, method, path)
            assert response.status_code in (403, 404), f"{label} {method.upper()} {path} → {response.status_code}"
            assert not _contains_marker(response), f"{label} saw the object at {path}"
            assert _events_written() == before, f"{label} {method.upper()} {path} changed data"

    if "get" in methods and route not in STATE_DEPENDENT:
        statuses = []
        for user in _insiders(world):
            client.force_login(user)
            statuses.append(client.get(path).status_code)
        assert 200 in statuses, f"nobody inside the jurisdiction can open {path}: {statuses}"


def test_foreign_objects_answer_404_under_the_orm_scope_alone(client, world, settings):
    """Row-level security off: the views' querysets alone keep every foreign object out.

    Every method of a route looks its object up through the same scoped queryset, so one method per
    route proves it (the test above drives every method). One world for all routes, one object per
    factory (page and API routes of a model share it); each failure names its route."""
    settings.LINGBAN_RLS = False
    made: dict = {}
    failures = []
    outsiders = _outsiders(world)
    for route, pattern in OBJECT_ROUTES:
        make = _factory_for(route, pattern)
        if make not in made:
            made[make] = make(world)
        path = _concrete(route, {_id_kwargs(route)[0]: made[make].pk, **FIXED_KWARGS})
        methods = _methods(pattern)
        method = "get" if "get" in methods else methods[0]
        for label, user in outsiders.items():
            client.force_login(user)
            before = _events_written()
            response = _ask(client, method, path)
            if response.status_code not in (403, 404):
                failures.append(f"{label} {method.upper()} {path} → {response.status_code}")
            elif _contains_marker(response):
                failures.append(f"{label} saw the object at {path}")
            elif _events_written() != before:
                failures.append(f"{label} {method.upper()} {path} changed data")
    assert len(made) > 50
    assert failures == [], "\n".join(failures)


GET_LIST_ROUTES = [(r, p) for r, p in LIST_ROUTES if "get" in _methods(p)]


def test_lists_and_exports_show_nothing_foreign(client, world, layers):
    """Every list, export and filtered view (``{}``, ``?format=xlsx``, ``?region=<foreign village>``)
    as each outsider shows nothing of the foreign rows.

    One test per layer walks every GET collection route over one set of foreign rows (every factory
    once): building that set is most of the cost, and the routes only read. POST-only collection
    routes are covered by their service tests. Each failure names its route."""
    for make in FACTORIES.values():
        make(world)
    failures = []
    for route, _pattern in GET_LIST_ROUTES:
        path = _concrete(route, {})
        for label, user in _outsiders(world).items():
            client.force_login(user)
            for query in ({}, {"format": "xlsx"}, {"region": world.v11.code}):
                response = client.get(path, query)
                # 400: a filter value outside the user's choices is refused, which shows nothing either
                if response.status_code not in (200, 400, 403, 404):
                    failures.append(f"{label} GET {path} {query} → {response.status_code}")
                elif _contains_marker(response):
                    failures.append(f"{label} saw foreign data at {path} {query}")
    assert len(GET_LIST_ROUTES) > 50
    assert failures == [], "\n".join(failures)
