"""Classification (four types, seed 004) with dated history; demonstration titles and product
certifications with the one-off awards of the county's policy profile (seed 002 §24); selectors."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.http import Http404
from openpyxl import load_workbook

from cooperatives.models import ClassificationChange, DemonstrationAward
from cooperatives.selectors import (
    awards_by_township,
    awards_total,
    classification_counts,
    demonstration_count,
    demonstration_counts_by_township,
    demonstration_rate,
)
from cooperatives.services.classification import certification_record, cooperative_classify, demonstration_grant
from cooperatives.services.registry import cooperative_update
from core.exceptions import BusinessError
from core.models import PolicyProfile
from tests.conftest import fresh
from tests.factories import CountyPolicyFactory, DemonstrationAwardFactory, PolicyProfileFactory


@pytest.fixture
def seed004(gov):
    """沂水县 (county A) applies seed 004's profile, as in the demo."""
    CountyPolicyFactory(county=gov.county_a, profile=PolicyProfile.objects.get(code="seed-004"))
    return gov


# -- classification -------------------------------------------------------------------------------


def test_classification_change_is_dated_with_who_and_why(gov):
    change = cooperative_classify(
        actor=fresh(gov.twp_t1),
        cooperative=gov.coop11,
        classification="improving",
        changed_on=date(2023, 1, 10),
        reason="财务制度不健全，列为规范提升型",
    )
    gov.coop11.refresh_from_db()
    assert gov.coop11.classification == "improving"
    assert (change.previous, change.classification, change.changed_by) == ("", "improving", gov.twp_t1)
    second = cooperative_classify(
        actor=fresh(gov.county_a_off),
        cooperative=gov.coop11,
        classification="leading",
        changed_on=date(2024, 1, 15),
        reason="获评县级示范社",
    )
    gov.coop11.refresh_from_db()
    assert gov.coop11.classification == "leading" and second.previous == "improving"
    assert list(gov.coop11.classification_changes.values_list("classification", flat=True)) == ["leading", "improving"]


def test_classification_needs_a_reason_a_change_and_an_ordered_date(gov):
    actor = fresh(gov.twp_t1)
    with pytest.raises(BusinessError) as exc:
        cooperative_classify(
            actor=actor, cooperative=gov.coop11, classification="leading", changed_on=date(2024, 1, 1), reason=" "
        )
    assert exc.value.code == "reason_required"
    cooperative_classify(
        actor=actor, cooperative=gov.coop11, classification="leading", changed_on=date(2024, 1, 1), reason="示范"
    )
    with pytest.raises(BusinessError) as exc:
        cooperative_classify(
            actor=actor, cooperative=gov.coop11, classification="leading", changed_on=date(2024, 2, 1), reason="x"
        )
    assert exc.value.code == "classification_unchanged"
    with pytest.raises(BusinessError) as exc:
        cooperative_classify(
            actor=actor, cooperative=gov.coop11, classification="rebuilding", changed_on=date(2023, 12, 31), reason="x"
        )
    assert exc.value.code == "date_before_last_change"


def test_village_roles_cannot_classify_and_the_registration_form_does_not_either(gov):
    with pytest.raises(Http404):
        cooperative_classify(
            actor=fresh(gov.acc_v11),
            cooperative=gov.coop11,
            classification="leading",
            changed_on=date(2024, 1, 1),
            reason="自评",
        )
    gov.coop11.refresh_from_db()
    assert gov.coop11.classification == "" and not ClassificationChange.objects.exists()
    cooperative_update(actor=fresh(gov.acc_v11), cooperative=gov.coop11, classification="leading")
    gov.coop11.refresh_from_db()
    assert gov.coop11.classification == ""


def test_classify_page(client, gov):
    client.force_login(gov.twp_t1)
    response = client.post(
        f"/cooperatives/{gov.coop11.pk}/classify/",
        {"classification": "transforming", "changed_on": "2024-02-01", "reason": ""},
    )
    assert response.status_code == 200  # the reason is required
    response = client.post(
        f"/cooperatives/{gov.coop11.pk}/classify/",
        {"classification": "transforming", "changed_on": "2024-02-01", "reason": "产业单一，需改造转化"},
    )
    assert response.status_code == 302
    page = client.get(gov.coop11.get_absolute_url()).content.decode()
    assert "产业单一" in page
    client.force_login(gov.twp_t2)
    assert client.get(f"/cooperatives/{gov.coop11.pk}/classify/").status_code == 404
    client.force_login(gov.acc_v11)
    assert client.get(f"/cooperatives/{gov.coop11.pk}/classify/").status_code == 403


# -- awards ---------------------------------------------------------------------------------------


def test_demonstration_award_comes_from_the_county_profile(seed004):
    gov = seed004
    # seed 002 §24 as shipped in the seed-004 profile: municipal 30,000.00
    award = demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop11, level="municipal", year=2024)
    assert award.award_amount == Decimal("30000.00") and award.award_basis == "seed-004"
    national = demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop12, level="national", year=2024)
    assert national.award_amount == Decimal("100000.00")
    county = demonstration_grant(actor=fresh(gov.twp_t1), cooperative=gov.coop13, level="county", year=2023)
    assert county.award_amount == Decimal("10000.00")


def test_the_amount_is_taken_when_granted_and_kept(seed004):
    gov = seed004
    first = demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop11, level="municipal", year=2023)
    # the county then adopts its own copy raising the municipal award to 35,000.00
    own = PolicyProfileFactory(
        county=gov.county_a, based_on=PolicyProfile.objects.get(code="seed-004"), award_municipal=Decimal("35000.00")
    )
    policy = gov.county_a.policy
    policy.profile = own
    policy.save()
    second = demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop12, level="municipal", year=2024)
    first.refresh_from_db()
    assert (first.award_amount, second.award_amount) == (Decimal("30000.00"), Decimal("35000.00"))
    assert second.award_basis == own.code


def test_a_title_is_granted_once_per_level(seed004):
    gov = seed004
    demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop11, level="county", year=2023)
    with pytest.raises(BusinessError) as exc:
        demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop11, level="county", year=2024)
    assert exc.value.code == "already_granted"
    with pytest.raises(BusinessError) as exc:
        demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop11, level="municipal", year=2999)
    assert exc.value.code == "invalid_year"


def test_certification_awards_come_from_the_profile(seed004):
    gov = seed004
    actor = fresh(gov.twp_t1)
    organic = certification_record(
        actor=actor,
        cooperative=gov.coop11,
        kind="organic",
        product="有机苹果",
        certificate_number="ORG-001",
        certified_on=date(2024, 5, 1),
    )
    gi = certification_record(
        actor=actor,
        cooperative=gov.coop11,
        kind="geographical_indication",
        product="沂水苹果",
        certificate_number="AGI-002",
        certified_on=date(2024, 6, 1),
    )
    pollution_free = certification_record(
        actor=actor,
        cooperative=gov.coop12,
        kind="pollution_free",
        product="小麦",
        certificate_number="WGH-3",
        certified_on=date(2023, 6, 1),
    )
    # organic 30,000; geographical indication 100,000; pollution-free 5,000 (seed 002 §24)
    assert (organic.award_amount, gi.award_amount, pollution_free.award_amount) == (
        Decimal("30000.00"),
        Decimal("100000.00"),
        Decimal("5000.00"),
    )
    with pytest.raises(BusinessError) as exc:
        certification_record(
            actor=actor,
            cooperative=gov.coop13,
            kind="organic",
            product="有机苹果",
            certificate_number="ORG-001",
            certified_on=date(2024, 5, 1),
        )
    assert exc.value.code == "certificate_taken"


def test_selectors_for_dashboards(seed004):
    gov = seed004
    county = fresh(gov.county_a_off)
    demonstration_grant(actor=county, cooperative=gov.coop11, level="county", year=2023)  # 10,000
    demonstration_grant(actor=county, cooperative=gov.coop11, level="municipal", year=2024)  # 30,000
    demonstration_grant(actor=county, cooperative=gov.coop12, level="county", year=2024)  # 10,000
    demonstration_grant(actor=county, cooperative=gov.coop21, level="provincial", year=2024)  # 50,000
    certification_record(
        actor=county,
        cooperative=gov.coop11,
        kind="green_food",
        product="苹果",
        certificate_number="LB-1",
        certified_on=date(2024, 3, 1),
    )  # 10,000
    rows = demonstration_counts_by_township(county, year=2024)
    assert [(r["township_name"], r["level"], r["count"]) for r in rows] == [
        ("许家湖镇", "county", 1),
        ("许家湖镇", "municipal", 1),
        ("院东头镇", "provincial", 1),
    ]
    # 2024: demonstration 30,000 + 10,000 + 50,000 = 90,000; certification 10,000; total 100,000
    totals = awards_total(county, year=2024)
    assert (totals.demonstration, totals.certification, totals.total) == (
        Decimal("90000.00"),
        Decimal("10000.00"),
        Decimal("100000.00"),
    )
    # all years: 100,000 + 10,000 = 110,000
    assert awards_total(county).total == Decimal("110000.00")
    assert awards_by_township(county, year=2024) == [
        {
            "township_code": "371323104",
            "demonstration": Decimal("40000.00"),
            "certification": Decimal("10000.00"),
            "total": Decimal("50000.00"),
        },
        {
            "township_code": "371323105",
            "demonstration": Decimal("50000.00"),
            "certification": Decimal("0.00"),
            "total": Decimal("50000.00"),
        },
    ]
    # distinct cooperatives with a title by 2023: 东安 (1); by 2024: 东安, 西岭, 北岭 (3)
    assert demonstration_count(county, year=2023) == 1 and demonstration_count(county, year=2024) == 3
    # county A has 4 cooperatives (东安, 西岭, 南坪, 北岭): 3 / 4 = 0.75 in 2024, 1 / 4 = 0.25 in 2023
    assert demonstration_rate(county, year=2024) == Decimal("0.7500")
    assert demonstration_rate(county, year=2023, prefix="371323104") == Decimal("0.3333")  # 1 of 3 in 许家湖镇
    # the township official sees only 许家湖镇
    assert awards_total(fresh(gov.twp_t1), year=2024).demonstration == Decimal("40000.00")
    assert demonstration_count(fresh(gov.twp_t2)) == 1
    cooperative_classify(
        actor=county, cooperative=gov.coop11, classification="leading", changed_on=date(2024, 1, 1), reason="示范"
    )
    assert classification_counts(county) == {"leading": 1, "": 3}


def test_award_pages_scoped_with_export_and_api(client, api_client, seed004):
    gov = seed004
    demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop11, level="municipal", year=2024)
    demonstration_grant(actor=fresh(gov.county_a_off), cooperative=gov.coop21, level="county", year=2024)
    client.force_login(gov.twp_t2)
    page = client.get("/cooperatives/demonstrations/").content.decode()
    assert "北岭村粮食合作社" in page and "东安村果品合作社" not in page
    client.force_login(gov.county_a_off)
    response = client.get("/cooperatives/demonstrations/", {"format": "xlsx", "level": "municipal"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    # the award basis reads as the profile's name, not its code (seed-004)
    basis = "沂水县：集体20–40%、党员≥1%、单个≤20%、入社≥10%"
    assert [(r[2], r[6], r[7]) for r in rows[1:]] == [("东安村果品合作社", 30000, basis)]
    response = client.post(
        "/cooperatives/demonstrations/new/", {"cooperative": gov.coop12.pk, "level": "provincial", "year": "2024"}
    )
    assert response.status_code == 302
    assert DemonstrationAward.objects.get(cooperative=gov.coop12).award_amount == Decimal("50000.00")
    api_client.force_authenticate(gov.twp_t1)
    response = api_client.post(
        "/api/v1/demonstrations/", {"cooperative": gov.coop13.pk, "level": "county", "year": 2024}, format="json"
    )
    assert response.status_code == 201 and response.json()["award_amount"] == "10000.00"
    response = api_client.post(
        "/api/v1/demonstrations/", {"cooperative": gov.coop21.pk, "level": "national", "year": 2024}, format="json"
    )
    assert response.status_code == 400  # 院东头镇's cooperative is not a valid choice for 许家湖镇


@pytest.mark.parametrize("n", [1, 40])
def test_demonstration_list_query_count_does_not_grow(client, gov, django_assert_max_num_queries, n):
    for _ in range(n):
        DemonstrationAwardFactory(level="county")  # each on a new cooperative in 许家湖镇
    client.force_login(gov.county_a_off)
    with django_assert_max_num_queries(12):
        assert client.get("/cooperatives/demonstrations/").status_code == 200
