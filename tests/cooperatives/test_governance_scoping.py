"""Every governance page and endpoint, for users outside the object's township or village: 404 (or
403 when their role may not use the page at all), and nothing changes. Own users reach every page."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperatives import models as m
from cooperatives.services.archive import document_archive, seal_use_record
from cooperatives.services.federations import MemberEntry, federation_create
from cooperatives.services.major_matters import major_matter_open, major_matter_record_step
from cooperatives.services.projects import (
    project_experts_assign,
    project_proposal_create,
    project_proposal_submit,
)
from tests.conftest import fresh
from tests.factories import ExpertFactory

GOVERNANCE_MODELS = [
    m.FederationMembership,
    m.ClassificationChange,
    m.DemonstrationAward,
    m.ProductCertification,
    m.MajorMatter,
    m.MajorMatterStep,
    m.Expert,
    m.ProjectProposal,
    m.ExpertReview,
    m.ArchivedDocument,
    m.SealUse,
]


@pytest.fixture
def objs(gov, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    o = {}
    o["federation"] = federation_create(
        actor=fresh(gov.twp_t1),
        village=gov.t1,
        members=[MemberEntry(c) for c in (gov.coop11, gov.coop12, gov.coop13)],
        joined_on=date(2024, 1, 1),
        name="许家湖镇联合社",
        kind="township_federation",
        legal_representative="李秀英",
        chair_name="赵德明",
        registered_capital=Decimal("0"),
    )
    o["membership"] = o["federation"].memberships.first()
    o["matter"] = major_matter_open(actor=fresh(gov.acc_v11), cooperative=gov.coop11, title="冷库", category="project")
    o["step"] = major_matter_record_step(
        actor=fresh(gov.acc_v11),
        matter=o["matter"],
        step=1,
        held_on=date(2024, 3, 1),
        attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
    )
    experts = [ExpertFactory(region=gov.t1) for _ in range(3)]
    o["expert"] = experts[0]
    proposal = project_proposal_create(
        actor=fresh(gov.acc_v11),
        cooperative=gov.coop11,
        title="冷库项目",
        main_business="冷藏",
        scale="300吨",
        total_investment=Decimal("100.00"),
        own_funds=Decimal("100.00"),
        expected_annual_return=Decimal("10.00"),
        market_study="好",
        risks="低",
        market_study_file=SimpleUploadedFile("m.pdf", b"%PDF-1.4"),
    )
    o["proposal"] = project_proposal_submit(actor=fresh(gov.acc_v11), proposal=proposal)
    o["review"] = project_experts_assign(actor=fresh(gov.twp_t1), proposal=o["proposal"], experts=experts)[0]
    o["document"] = document_archive(
        actor=fresh(gov.twp_t1),
        cooperative=gov.coop11,
        file=SimpleUploadedFile("c.pdf", b"%PDF-1.4"),
        doc_type="charter",
        title="章程",
        doc_date=date(2024, 1, 1),
        keeper="李",
    )
    o["seal"] = seal_use_record(
        actor=fresh(gov.acc_v11),
        cooperative=gov.coop11,
        used_on=date(2024, 5, 1),
        purpose="盖章",
        document_title="合同",
        handler=gov.acc_v11,
    )
    return o


def _pages(o):
    """(method, url, data) of every page that names one object."""
    return [
        ("get", f"/cooperatives/{o['federation'].pk}/", None),
        ("get", f"/cooperatives/federations/{o['federation'].pk}/members/add/", None),
        ("post", f"/cooperatives/federations/{o['federation'].pk}/members/add/", {"joined_on": "2024-05-01"}),
        ("get", f"/cooperatives/federations/memberships/{o['membership'].pk}/remove/", None),
        ("post", f"/cooperatives/federations/memberships/{o['membership'].pk}/remove/", {"left_on": "2024-05-01"}),
        ("get", f"/cooperatives/{o['proposal'].cooperative_id}/classify/", None),
        (
            "post",
            f"/cooperatives/{o['proposal'].cooperative_id}/classify/",
            {"classification": "leading", "changed_on": "2024-05-01", "reason": "x"},
        ),
        ("get", f"/cooperatives/major-matters/{o['matter'].pk}/", None),
        ("post", f"/cooperatives/major-matters/{o['matter'].pk}/steps/2/", {"held_on": "2024-05-01", "minutes": "x"}),
        ("get", f"/cooperatives/major-matters/steps/{o['step'].pk}/attachment/", None),
        ("post", f"/cooperatives/experts/{o['expert'].pk}/edit/", {"name": "改名", "field": "x"}),
        ("get", f"/cooperatives/projects/{o['proposal'].pk}/", None),
        ("post", f"/cooperatives/projects/{o['proposal'].pk}/edit/", {"title": "改名"}),
        ("post", f"/cooperatives/projects/{o['proposal'].pk}/submit/", {}),
        ("post", f"/cooperatives/projects/{o['proposal'].pk}/experts/", {"experts": []}),
        (
            "post",
            f"/cooperatives/projects/{o['proposal'].pk}/decide/",
            {"decision": "refuse", "reasons": ["high_risk"]},
        ),
        ("get", f"/cooperatives/projects/{o['proposal'].pk}/market-study/", None),
        ("post", f"/cooperatives/projects/reviews/{o['review'].pk}/", {"feasibility": 5}),
        ("get", f"/cooperatives/archive/{o['document'].pk}/", None),
        ("post", f"/cooperatives/archive/{o['document'].pk}/edit/", {"title": "改名"}),
        ("get", f"/cooperatives/archive/{o['document'].pk}/download/", None),
        ("get", f"/cooperatives/seal-uses/{o['seal'].pk}/", None),
        ("post", f"/cooperatives/seal-uses/{o['seal'].pk}/confirm/", {"as": "handler"}),
    ]


def _apis(o):
    return [
        ("get", f"/api/v1/federations/{o['federation'].pk}/", None),
        ("post", f"/api/v1/federation-memberships/{o['membership'].pk}/remove/", {"left_on": "2024-05-01"}),
        ("get", f"/api/v1/major-matters/{o['matter'].pk}/", None),
        ("post", f"/api/v1/major-matters/{o['matter'].pk}/steps/", {"step": 2, "held_on": "2024-05-01"}),
        ("patch", f"/api/v1/experts/{o['expert'].pk}/", {"name": "改名"}),
        ("get", f"/api/v1/project-proposals/{o['proposal'].pk}/", None),
        ("patch", f"/api/v1/project-proposals/{o['proposal'].pk}/", {"title": "改名"}),
        ("post", f"/api/v1/project-proposals/{o['proposal'].pk}/submit/", {}),
        ("post", f"/api/v1/project-proposals/{o['proposal'].pk}/assign-experts/", {"experts": []}),
        ("post", f"/api/v1/project-proposals/{o['proposal'].pk}/approve/", {}),
        ("post", f"/api/v1/project-proposals/{o['proposal'].pk}/refuse/", {"reasons": ["high_risk"]}),
        ("post", f"/api/v1/project-proposals/{o['proposal'].pk}/return/", {"comment": "x"}),
        ("patch", f"/api/v1/expert-reviews/{o['review'].pk}/", {"feasibility": 5}),
        ("get", f"/api/v1/archived-documents/{o['document'].pk}/download/", None),
        ("post", f"/api/v1/seal-uses/{o['seal'].pk}/confirm/", {"role": "handler"}),
    ]


def _snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in GOVERNANCE_MODELS}


@pytest.mark.parametrize("outsider", ["twp_t2", "acc_v21", "county_b_off", "acc_v31"])
def test_outsiders_get_404_or_403_on_every_page_and_nothing_changes(client, gov, objs, outsider):
    client.force_login(getattr(gov, outsider))
    before = _snapshot()
    for method, url, data in _pages(objs):
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (403, 404), f"{outsider} {method} {url}: {response.status_code}"
    assert _snapshot() == before


@pytest.mark.parametrize("outsider", ["twp_t2", "acc_v21", "county_b_off"])
def test_outsiders_get_404_or_403_on_every_endpoint_and_nothing_changes(api_client, gov, objs, outsider):
    api_client.force_authenticate(getattr(gov, outsider))
    before = _snapshot()
    for method, url, data in _apis(objs):
        response = getattr(api_client, method)(url, data or {}, format="json")
        assert response.status_code in (403, 404), f"{outsider} {method} {url}: {response.status_code}"
    assert _snapshot() == before


def test_list_endpoints_hold_only_the_callers_rows(api_client, gov, objs):
    api_client.force_authenticate(gov.twp_t2)
    for url in (
        "/api/v1/federations/",
        "/api/v1/federation-memberships/",
        "/api/v1/major-matters/",
        "/api/v1/project-proposals/",
        "/api/v1/expert-reviews/",
        "/api/v1/archived-documents/",
        "/api/v1/seal-uses/",
    ):
        assert api_client.get(url).json()["count"] == 0, url
    # the experts of 许家湖镇's pool are not 院东头镇's
    assert api_client.get("/api/v1/experts/").json()["count"] == 0


@pytest.mark.parametrize(
    ("username", "urls"),
    [
        (
            "acc_v11",
            [
                "/cooperatives/major-matters/new/",
                "/cooperatives/projects/new/",
                "/cooperatives/seal-uses/new/",
                "/cooperatives/federations/",
                "/cooperatives/archive/",
            ],
        ),
        (
            "twp_t1",
            [
                "/cooperatives/federations/new/",
                "/cooperatives/archive/new/",
                "/cooperatives/experts/new/",
                "/cooperatives/demonstrations/new/",
                "/cooperatives/certifications/new/",
            ],
        ),
    ],
)
def test_own_users_reach_the_forms(client, gov, objs, username, urls):
    client.force_login(getattr(gov, username))
    for url in urls:
        assert client.get(url).status_code == 200, url
    for url in (
        f"/cooperatives/{gov.coop11.pk}/",
        f"/cooperatives/major-matters/{objs['matter'].pk}/",
        f"/cooperatives/projects/{objs['proposal'].pk}/",
        f"/cooperatives/seal-uses/{objs['seal'].pk}/",
        f"/cooperatives/archive/{objs['document'].pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_township_reaches_its_review_pages(client, gov, objs):
    client.force_login(gov.twp_t1)
    for url in (
        f"/cooperatives/projects/{objs['proposal'].pk}/experts/",
        f"/cooperatives/projects/reviews/{objs['review'].pk}/",
        f"/cooperatives/federations/{objs['federation'].pk}/members/add/",
        f"/cooperatives/federations/memberships/{objs['membership'].pk}/remove/",
        f"/cooperatives/archive/{objs['document'].pk}/edit/",
        f"/cooperatives/experts/{objs['expert'].pk}/edit/",
        f"/cooperatives/{gov.coop11.pk}/classify/",
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(gov.acc_v11)
    for url in (
        f"/cooperatives/major-matters/{objs['matter'].pk}/steps/2/",
        f"/cooperatives/projects/{objs['proposal'].pk}/edit/",
    ):
        assert client.get(url).status_code == 200, url
