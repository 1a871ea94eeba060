"""Audits: the annual audit once a year, county spot checks reproducible from their seed, findings
with rectification evidence checked by type and size, the report to the member assembly, closure,
and the items a cadre's term or departure audit lists."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.exceptions import BusinessError, NotPermitted, StateConflict
from supervision.choices_oversight import AuditKind, AuditStatus, FindingStatus, Severity
from supervision.models import Audit, SpotCheckDraw
from supervision.services import audits as svc
from tests.conftest import fresh
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 rectified"
_serial = itertools.count(1)


def _operating(world, n):
    villages = [world.v11, world.v12, world.v21]
    return [
        CooperativeFactory(name=f"审计社{next(_serial)}", village=villages[i % 3], status="operating") for i in range(n)
    ]


def test_spot_check_sample_is_reproducible_from_its_seed(world):
    coops = _operating(world, 9)
    CooperativeFactory(village=world.v31, status="operating")  # another county: never drawn
    county = fresh(world.county_a_off)

    draw = svc.spot_check_draw(actor=county, county=world.county_a, year=2026, size=3, seed=20260501)

    # the population is the 9 operating cooperatives of county A, in id order
    assert draw.population == sorted(c.pk for c in coops)
    assert len(draw.drawn) == 3 and set(draw.drawn) <= set(draw.population)
    # the same seed over the same population gives the same sample, recorded and recomputed
    assert svc.draw_sample(draw.population, 3, 20260501) == draw.drawn
    assert svc.spot_check_verify(draw)
    again = svc.spot_check_draw(actor=county, county=world.county_a, year=2026, size=3, seed=20260501)
    assert again.drawn == draw.drawn
    # a different seed gives (here) a different sample; a tampered record no longer verifies
    assert svc.draw_sample(draw.population, 3, 7) != draw.drawn
    draw.drawn = sorted(set(draw.population) - set(draw.drawn))[:3]
    assert not svc.spot_check_verify(draw)
    # one spot-check audit per cooperative drawn
    assert sorted(Audit.objects.filter(spot_check_id=again.pk).values_list("cooperative_id", flat=True)) == again.drawn


def test_spot_check_size_comes_from_the_county_profile(world):
    from core.models import CountyPolicy, PolicyProfile

    profile = PolicyProfile.objects.create(code="county-a", name="A", spot_check_size=2)
    CountyPolicy.objects.create(county=world.county_a, profile=profile)
    _operating(world, 5)
    draw = svc.spot_check_draw(actor=fresh(world.county_a_off), county=world.county_a, year=2026)
    assert draw.sample_size == 2 and len(draw.drawn) == 2 and draw.seed >= 0


def test_a_township_cannot_draw_and_another_county_finds_nothing(world):
    _operating(world, 3)
    with pytest.raises(BusinessError):
        svc.spot_check_draw(actor=fresh(world.county_b_off), county=world.county_a, year=2026, size=1, seed=1)
    from django.http import Http404

    with pytest.raises(Http404):
        svc.spot_check_draw(actor=fresh(world.twp_t1), county=world.county_a, year=2026, size=1, seed=1)
    assert SpotCheckDraw.objects.count() == 0


def test_annual_audit_once_a_year_and_only_by_the_township_of_the_cooperative(world, coop, township):
    svc.audit_create(actor=township, cooperative=coop, kind=AuditKind.ANNUAL, year=2026, scope="财务收支")
    with pytest.raises(StateConflict):
        svc.audit_create(actor=township, cooperative=coop, kind=AuditKind.ANNUAL, year=2026, scope="财务收支")
    with pytest.raises(NotPermitted):
        svc.audit_create(actor=fresh(world.twp_t2), cooperative=coop, kind=AuditKind.ANNUAL, year=2025, scope="x")
    opened = svc.annual_audits_open(actor=township, region=world.t1, year=2026)
    assert opened == []  # the only operating cooperative of T1 has its audit already


def test_finding_rectified_with_evidence_closed_reported_to_the_assembly(world, coop, township, acc):
    audit = svc.audit_create(actor=township, cooperative=coop, kind=AuditKind.ANNUAL, year=2026, scope="财务收支")
    with pytest.raises(BusinessError) as exc:
        svc.finding_add(actor=township, audit=audit, title="白条入账", severity=Severity.HIGH)
    assert exc.value.field == "rectification_deadline"
    finding = svc.finding_add(
        actor=township,
        audit=audit,
        title="白条入账",
        severity=Severity.HIGH,
        rectification_deadline=datetime.date(2026, 12, 31),
    )
    # the auditor cannot close it before the cooperative reports the rectification with evidence
    with pytest.raises(StateConflict):
        svc.finding_close(actor=township, finding=finding)
    with pytest.raises(BusinessError):
        svc.finding_rectified(actor=acc, finding=finding, note="已补正规发票")
    # evidence: the content decides the type, and 10 MB is the limit
    with pytest.raises(BusinessError) as exc:
        svc.evidence_add(actor=acc, finding=finding, file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))
    assert exc.value.code == "file_type"
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(BusinessError) as exc:
        svc.evidence_add(actor=acc, finding=finding, file=big)
    assert exc.value.code == "file_too_large"
    evidence = svc.evidence_add(actor=acc, finding=finding, file=SimpleUploadedFile("发票.pdf", PDF), note="发票")
    assert evidence.content_type == "application/pdf"
    svc.finding_rectified(actor=acc, finding=finding, note="已补正规发票")
    closed = svc.finding_close(actor=township, finding=finding)
    assert closed.status == FindingStatus.CLOSED
    # the audit closes only after the report to the member assembly
    with pytest.raises(StateConflict):
        svc.audit_close(actor=township, audit=audit)
    svc.audit_report(actor=township, audit=audit, conclusion="基本规范", reported_on=datetime.date(2026, 11, 1))
    with pytest.raises(StateConflict):
        svc.audit_close(actor=township, audit=audit)
    svc.audit_report(
        actor=township,
        audit=audit,
        conclusion="基本规范",
        reported_on=datetime.date(2026, 11, 1),
        assembly_reported_on=datetime.date(2026, 11, 20),
        assembly_minutes="成员大会通报审计结果，到会86户",
    )
    assert svc.audit_close(actor=township, audit=audit).status == AuditStatus.CLOSED
    # the accountant may rectify but not audit
    with pytest.raises(NotPermitted):
        svc.finding_add(actor=acc, audit=audit, title="x", rectification_required=False)


def test_departure_audit_lists_the_cooperative_items_of_the_term(world, books, township, acc):
    from decimal import Decimal

    from finance.services.contracts import contract_create

    coop = books
    contract_create(
        actor=acc,
        cooperative=coop,
        instalments=[],
        number="HT-2026-01",
        subject="果品收购合同",
        counterparty="沂水果业公司",
        amount=Decimal("50000.00"),
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    with pytest.raises(BusinessError):
        svc.audit_create(actor=township, cooperative=coop, kind=AuditKind.DEPARTURE, year=2026, scope="离任")
    audit = svc.audit_create(
        actor=township,
        cooperative=coop,
        kind=AuditKind.DEPARTURE,
        year=2026,
        scope="离任经济责任审计",
        cadre_name="赵德明",
        office_from=datetime.date(2023, 3, 18),
        office_to=datetime.date(2026, 10, 31),
    )
    items = svc.cadre_audit_items(audit)
    assert [c.number for c in items["contracts"]] == ["HT-2026-01"]
    assert items["threshold"] == Decimal("10000.00")


def test_audit_pages(client, world, coop, township, acc):
    client.force_login(township)
    response = client.post(
        "/supervision/audits/new/",
        {"cooperative": coop.pk, "kind": "annual", "year": 2026, "scope": "财务收支、合同管理"},
    )
    audit = Audit.objects.get(cooperative=coop)
    assert response.status_code == 302 and response["Location"] == audit.get_absolute_url()
    client.post(
        f"/supervision/audits/{audit.pk}/findings/new/",
        {
            "title": "公开不及时",
            "severity": "medium",
            "rectification_required": "on",
            "rectification_deadline": "2026-12-31",
        },
    )
    finding = audit.findings.get()
    client.force_login(acc)
    client.post(f"/supervision/findings/{finding.pk}/evidence/", {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert finding.evidence.count() == 1
    page = client.get(audit.get_absolute_url())
    assert page.status_code == 200 and "公开不及时" in page.content.decode()
    # the accountant may not record findings
    assert client.post(f"/supervision/audits/{audit.pk}/findings/new/", {"title": "x"}).status_code == 403


def _message(response) -> tuple[str, list[str]]:
    """The level of the message the request added (earlier ones wait unread in the cookie) and
    the numbers it gives, in order (a translation may put them in another order)."""
    from django.contrib.messages import get_messages

    message = list(get_messages(response.wsgi_request))[-1]
    return message.level_tag, sorted(re.findall(r"\d+", str(message)))


def test_township_opens_its_annual_audits_from_the_audit_list(client, world, coop, township):
    second = CooperativeFactory(village=world.v12, status="operating")
    CooperativeFactory(village=world.v12, status="registered")  # not operating: no audit
    other_township = CooperativeFactory(village=world.v21, status="operating")
    url = f"/supervision/audits/townships/{world.t1.pk}/annual/"
    client.force_login(township)
    page = client.get("/supervision/audits/")
    assert url in page.content.decode() and world.t1.name in page.content.decode()

    response = client.post(url, {"year": 2026, "scope": "财务收支、社务公开"})
    assert response.status_code == 302 and response["Location"].startswith("/supervision/audits/?township=")
    annual = Audit.objects.filter(kind=AuditKind.ANNUAL, year=2026)
    assert sorted(annual.values_list("cooperative_id", flat=True)) == sorted([coop.pk, second.pk])
    assert set(annual.values_list("scope", flat=True)) == {"财务收支、社务公开"}
    assert set(annual.values_list("auditor_region", flat=True)) == {world.t1.pk}
    assert _message(response) == ("success", ["0", "2", "2026"])  # 2 opened, 0 already open
    # again, with one more cooperative operating: only that one is opened, and the message says
    # how many were open already
    third = CooperativeFactory(village=world.v11, status="operating")
    response = client.post(url, {"year": 2026, "scope": "财务收支"})
    assert sorted(annual.values_list("cooperative_id", flat=True)) == sorted([coop.pk, second.pk, third.pk])
    assert not Audit.objects.filter(cooperative=other_township).exists()
    assert _message(response) == ("success", ["1", "2", "2026"])  # 1 opened, 2 already open
    # a year out of range is refused by the form, nothing opened
    assert _message(client.post(url, {"year": 1900, "scope": "x"}))[0] == "error"
    assert Audit.objects.count() == 3


def test_annual_audits_page_is_the_township_officials(client, world, coop):
    url = f"/supervision/audits/townships/{world.t1.pk}/annual/"
    data = {"year": 2026, "scope": "财务收支"}
    # the village's accountant may not audit; another township's official does not find township 1
    client.force_login(world.acc_v11)
    assert client.post(url, data).status_code == 403
    assert client.get("/supervision/audits/").context["annual_forms"] == []
    client.force_login(world.twp_t2)
    assert client.post(url, data).status_code == 404
    client.force_login(world.county_b_off)
    assert client.post(url, data).status_code == 404
    # a village is not a township
    client.force_login(world.twp_t1)
    assert client.post(f"/supervision/audits/townships/{world.v11.pk}/annual/", data).status_code == 404
    assert not Audit.objects.exists()
