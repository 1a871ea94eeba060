"""Every change to a tracked row is kept with who, when, before/after, and the request's IP."""

import pghistory.models
import pytest

from core.models import Region
from tests.conftest import fresh


@pytest.mark.django_db
def test_update_is_recorded_with_before_and_after(world):
    world.v11.households = 400
    world.v11.save(update_fields=["households"])
    events = pghistory.models.Events.objects.tracks(world.v11).order_by("pgh_id")
    last = list(events)[-1]
    assert last.pgh_label == "update"
    assert last.pgh_diff["households"] == [386, 400]


@pytest.mark.django_db
def test_request_context_holds_user_and_ip(world, client):
    from core.choices import ApprovalState
    from core.services.approvals import approval_request_create, approval_submit
    from tests.factories import DocumentFactory

    doc = DocumentFactory(region_code=world.v11.code)
    req = approval_request_create(
        actor=fresh(world.acc_v11), subject=doc, kind="test_document", title="t", region_code=doc.region_code
    )
    approval_submit(actor=fresh(world.acc_v11), request=req)
    client.force_login(world.twp_t1)
    response = client.post(
        f"/approvals/{req.pk}/act/", {"action": "approve", "comment": "同意"}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == ApprovalState.APPROVED
    event = pghistory.models.Events.objects.tracks(req).filter(pgh_label="update").order_by("pgh_id").last()
    assert event.pgh_context["user"] == world.twp_t1.pk
    assert event.pgh_context["ip"] == "10.1.2.3"
    assert event.pgh_diff["state"] == ["submitted", "approved"]


@pytest.mark.django_db
def test_delete_is_recorded(world):
    region = Region.objects.create(code="371323199", level="township", name="临时镇", parent=world.county_a)
    pk = region.pk
    region.delete()
    from django.apps import apps

    region_event = apps.get_model("core", "RegionEvent")
    labels = list(region_event.objects.filter(pgh_obj_id=pk).order_by("pgh_id").values_list("pgh_label", flat=True))
    assert labels == ["insert", "delete"]
