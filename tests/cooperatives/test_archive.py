"""The township archive (seed 002 §10) and the seal-use log: uploads checked, downloads scoped,
lists per township with filters and export, two different confirmers including the chair."""

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from openpyxl import load_workbook

from cooperatives.models import ArchivedDocument, SealUse
from cooperatives.services.archive import document_archive, seal_use_confirm, seal_use_record
from core.choices import Role
from core.exceptions import BusinessError, NotPermitted
from tests.conftest import fresh
from tests.factories import ArchivedDocumentFactory, SealUseFactory, UserFactory

DOC = {
    "doc_type": "charter",
    "title": "东安村果品合作社章程",
    "number": "ZC-2024-01",
    "doc_date": date(2024, 3, 1),
    "keeper": "李秀英",
}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path


def _pdf(name="章程.pdf", body=b"%PDF-1.4 charter"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_township_archives_a_charter_outside_the_public_media(gov, private_media):
    document = document_archive(actor=fresh(gov.twp_t1), cooperative=gov.coop11, file=_pdf(), **DOC)
    assert document.region_code == "371323104201" and document.file_name == "章程.pdf"
    assert document.file_size == len(b"%PDF-1.4 charter")
    stored = Path(document.file.path)
    assert stored.is_relative_to(private_media / "private") and stored.read_bytes() == b"%PDF-1.4 charter"
    assert not any((private_media / "media").rglob("*.pdf"))
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - private files have no public URL


def test_uploads_are_checked_by_extension_and_size(gov):
    with pytest.raises(BusinessError) as exc:
        document_archive(actor=fresh(gov.twp_t1), cooperative=gov.coop11, file=_pdf("章程.exe"), **DOC)
    assert exc.value.code == "file_type" and exc.value.field == "file"
    # 10 MB = 10,485,760 bytes is allowed, one byte more is not
    with pytest.raises(BusinessError) as exc:
        document_archive(actor=fresh(gov.twp_t1), cooperative=gov.coop11, file=_pdf(body=b"0" * 10_485_761), **DOC)
    assert exc.value.code == "file_too_large"
    document_archive(actor=fresh(gov.twp_t1), cooperative=gov.coop11, file=_pdf(body=b"0" * 10_485_760), **DOC)
    assert ArchivedDocument.objects.count() == 1


def test_the_archive_is_the_townships(gov):
    with pytest.raises(NotPermitted):
        document_archive(actor=fresh(gov.acc_v11), cooperative=gov.coop11, file=_pdf(), **DOC)
    with pytest.raises((NotPermitted, Http404)):
        document_archive(actor=fresh(gov.twp_t2), cooperative=gov.coop11, file=_pdf(), **DOC)
    assert not ArchivedDocument.objects.exists()


def test_downloads_are_scoped(client, api_client, gov):
    document = document_archive(actor=fresh(gov.twp_t1), cooperative=gov.coop11, file=_pdf(), **DOC)
    url = f"/cooperatives/archive/{document.pk}/download/"
    for user, expected in (
        (gov.twp_t1, 200),
        (gov.acc_v11, 200),
        (gov.county_a_off, 200),
        (gov.twp_t2, 404),
        (gov.acc_v12, 404),
        (gov.county_b_off, 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user.username
        if expected == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 charter"
            assert "attachment" in response["Content-Disposition"]
    api_client.force_authenticate(gov.twp_t2)
    assert api_client.get(f"/api/v1/archived-documents/{document.pk}/download/").status_code == 404
    api_client.force_authenticate(gov.twp_t1)
    assert api_client.get(f"/api/v1/archived-documents/{document.pk}/download/").status_code == 200


def test_archive_page_upload_and_list_per_township_with_filters_and_export(client, gov):
    client.force_login(gov.twp_t1)
    response = client.post(
        "/cooperatives/archive/new/",
        {
            "cooperative": gov.coop12.pk,
            "doc_type": "contract",
            "title": "土地流转合同",
            "doc_date": "2024-04-01",
            "keeper": "李秀英",
            "file": _pdf("合同.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ArchivedDocumentFactory(cooperative=gov.coop11, title="东安村章程")
    ArchivedDocumentFactory(cooperative=gov.coop21, title="北岭村章程")
    # the village accountant may read, not archive
    client.force_login(gov.acc_v11)
    assert client.get("/cooperatives/archive/new/").status_code == 403
    client.force_login(gov.county_a_off)
    page = client.get("/cooperatives/archive/").content.decode()
    assert "东安村章程" in page and "北岭村章程" in page and "土地流转合同" in page
    page = client.get("/cooperatives/archive/", {"township": gov.t2.pk}).content.decode()
    assert "北岭村章程" in page and "东安村章程" not in page
    page = client.get("/cooperatives/archive/", {"doc_type": "contract"}).content.decode()
    assert "土地流转合同" in page and "东安村章程" not in page
    response = client.get("/cooperatives/archive/", {"format": "xlsx", "township": gov.t1.pk})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(r[4] for r in rows[1:]) == ["东安村章程", "土地流转合同"]
    client.force_login(gov.twp_t2)
    assert "东安村章程" not in client.get("/cooperatives/archive/").content.decode()


@pytest.mark.parametrize("n", [1, 40])
def test_archive_list_query_count_does_not_grow(client, gov, django_assert_max_num_queries, n):
    for _ in range(n):
        ArchivedDocumentFactory(cooperative=gov.coop11)
    client.force_login(gov.twp_t1)
    with django_assert_max_num_queries(10):
        assert client.get("/cooperatives/archive/").status_code == 200


# -- seal use ------------------------------------------------------------------------------------


def _entry(gov, handler):
    return seal_use_record(
        actor=fresh(gov.acc_v11),
        cooperative=gov.coop11,
        used_on=date(2024, 5, 6),
        purpose="签订农资采购合同",
        document_title="农资采购合同",
        handler=handler,
    )


def test_an_entry_is_complete_when_the_user_and_the_chair_confirm(gov):
    entry = _entry(gov, gov.acc_v11)
    assert entry.status == "pending"
    entry = seal_use_confirm(actor=fresh(gov.chair_v11), entry=entry, as_chair=True)
    assert entry.status == "pending"  # one of two
    entry = seal_use_confirm(actor=fresh(gov.acc_v11), entry=entry, as_chair=False)
    assert entry.status == "complete"
    assert entry.chair_confirmed_by == gov.chair_v11 and entry.handler_confirmed_at is not None


def test_only_the_user_of_the_seal_confirms_as_user(gov):
    entry = _entry(gov, gov.acc_v11)
    with pytest.raises(NotPermitted) as exc:
        seal_use_confirm(actor=fresh(gov.supervisor_v11), entry=entry, as_chair=False)
    assert exc.value.code == "not_the_handler"


def test_chair_confirmation_needs_the_chair_role_of_that_village(gov):
    entry = _entry(gov, gov.acc_v11)
    # the supervisory board and the accountant are not the chair
    for user in (gov.supervisor_v11, gov.acc_v11):
        with pytest.raises(NotPermitted) as exc:
            seal_use_confirm(actor=fresh(user), entry=entry, as_chair=True)
        assert exc.value.code == "not_the_chair"
    # the chair of 西岭村 does not even see 东安村's log
    with pytest.raises(Http404):
        seal_use_confirm(actor=fresh(gov.chair_v12), entry=entry, as_chair=True)
    entry.refresh_from_db()
    assert entry.chair_confirmed_by is None


def test_two_confirmations_by_two_different_people(gov):
    # the chair used the seal himself: he confirms as its user, and cannot also confirm as chair
    entry = _entry(gov, gov.chair_v11)
    entry = seal_use_confirm(actor=fresh(gov.chair_v11), entry=entry, as_chair=False)
    with pytest.raises(BusinessError) as exc:
        seal_use_confirm(actor=fresh(gov.chair_v11), entry=entry, as_chair=True)
    assert exc.value.code == "same_person"
    assert SealUse.objects.get(pk=entry.pk).status == "pending"
    # a second holder of the chair role for the village (e.g. after re-election) confirms
    deputy = UserFactory(username="chair2_v11", roles=[(Role.COOP_CHAIR, gov.v11)])
    entry = seal_use_confirm(actor=fresh(deputy), entry=entry, as_chair=True)
    assert entry.status == "complete"


def test_the_user_of_the_seal_holds_a_role_in_the_village(gov):
    with pytest.raises(BusinessError) as exc:
        _entry(gov, gov.acc_v12)
    assert exc.value.code == "handler_not_village_staff"


def test_pending_entries_are_listed_and_confirmed_on_the_page(client, gov):
    done = _entry(gov, gov.acc_v11)
    seal_use_confirm(actor=fresh(gov.chair_v11), entry=done, as_chair=True)
    seal_use_confirm(actor=fresh(gov.acc_v11), entry=done, as_chair=False)
    pending = seal_use_record(
        actor=fresh(gov.acc_v11),
        cooperative=gov.coop11,
        used_on=date(2024, 6, 1),
        purpose="出具收款证明",
        document_title="收款证明",
        handler=gov.acc_v11,
    )
    client.force_login(gov.twp_t1)
    page = client.get("/cooperatives/seal-uses/", {"status": "pending"}).content.decode()
    assert "出具收款证明" in page and "签订农资采购合同" not in page
    client.force_login(gov.chair_v11)
    assert "出具收款证明" in client.get("/").content.decode()  # waiting on the chair's home page
    page = client.get(pending.get_absolute_url()).content.decode()
    assert 'value="chair"' in page and 'value="handler"' not in page
    client.post(f"/cooperatives/seal-uses/{pending.pk}/confirm/", {"as": "chair"})
    client.force_login(gov.acc_v11)
    client.post(f"/cooperatives/seal-uses/{pending.pk}/confirm/", {"as": "handler"})
    pending.refresh_from_db()
    assert pending.status == "complete"


def test_api_confirm(api_client, gov):
    entry = _entry(gov, gov.acc_v11)
    api_client.force_authenticate(gov.supervisor_v11)
    response = api_client.post(f"/api/v1/seal-uses/{entry.pk}/confirm/", {"role": "chair"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_the_chair"
    api_client.force_authenticate(gov.chair_v11)
    response = api_client.post(f"/api/v1/seal-uses/{entry.pk}/confirm/", {"role": "chair"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "pending"


@pytest.mark.parametrize("n", [1, 40])
def test_seal_list_query_count_does_not_grow(client, gov, django_assert_max_num_queries, n):
    for _ in range(n):
        SealUseFactory(cooperative=gov.coop11, handler=gov.acc_v11)
    client.force_login(gov.twp_t1)
    with django_assert_max_num_queries(10):
        assert client.get("/cooperatives/seal-uses/").status_code == 200
