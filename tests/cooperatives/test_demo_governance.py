"""The demo's governance data: what the brief asks for, idempotent, and visible to the right demo users."""

import pytest

from core import demo


@pytest.fixture
def demo_world(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return demo.run()


def test_demo_governance_is_complete_and_idempotent(demo_world):
    from cooperatives.models import (
        ArchivedDocument,
        Cooperative,
        DemonstrationAward,
        Expert,
        MajorMatter,
        ProductCertification,
        ProjectProposal,
        SealUse,
    )
    from core.selectors import approval_inbox

    federation = Cooperative.objects.get(kind="township_federation")
    assert federation.region_code == "371323104000"
    assert sorted(federation.memberships.values_list("member__region_code", flat=True)) == [
        "371323104201",
        "371323104202",
        "371323104203",
    ]
    # 沂水县 applies seed 004: municipal title 30,000.00, green food 10,000.00
    assert DemonstrationAward.objects.get().award_amount == 30000
    assert ProductCertification.objects.get().award_amount == 10000
    # the governance demo's own matters (a distribution plan's matter belongs to the dividends demo)
    own = MajorMatter.objects.filter(subject_id__isnull=True)
    assert sorted(own.values_list("status", "current_step")) == [("completed", 6), ("in_progress", 2)]
    assert Expert.objects.count() == 4
    proposal = ProjectProposal.objects.get()
    assert proposal.approval in list(approval_inbox(demo_world.users["demo-township"]))
    assert ArchivedDocument.objects.get().file.read().startswith(b"%PDF")
    entry = SealUse.objects.get()
    assert entry.status == "pending" and entry.handler_confirmed_at and entry.chair_confirmed_by is None
    again = demo.run()
    assert again.changes == []


def test_demo_users_reach_the_governance_pages(client, demo_world):
    from cooperatives.models import ArchivedDocument, ProjectProposal, SealUse

    township = demo_world.users["demo-township"]
    client.force_login(township)
    for url in (
        "/cooperatives/federations/",
        "/cooperatives/major-matters/",
        "/cooperatives/projects/",
        "/cooperatives/experts/",
        "/cooperatives/demonstrations/",
        "/cooperatives/certifications/",
        "/cooperatives/classifications/",
        "/cooperatives/archive/",
        "/cooperatives/seal-uses/",
        ProjectProposal.objects.get().get_absolute_url(),
        ArchivedDocument.objects.get().get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(demo_world.users["demo-chair"])
    entry = SealUse.objects.get()
    assert 'value="chair"' in client.get(entry.get_absolute_url()).content.decode()
    client.force_login(demo_world.users["demo-township2"])
    assert client.get(ProjectProposal.objects.get().get_absolute_url()).status_code == 404
