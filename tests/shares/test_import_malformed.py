"""Malformed workbooks (issue: hardening, finding 9): random bytes named .xlsx, a zip that is not a
workbook, a truncated one, one without sheets, and workbooks that pass the archive checks but are
damaged inside (a part that does not inflate, XML that does not parse, a cell pointing at a shared
string that is not there). Each answers a clear Chinese message on the upload page and a 400 from
the API, and leaves no import batch behind: before, the damaged ones answered 500 and left a batch
"failed" in the list of recent imports."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from core import spreadsheets
from members.models import Member
from shares.choices import ImportState
from shares.importing import COLUMNS
from shares.models import ImportBatch
from shares.services.imports import ASYNC_ROWS, import_start
from tests.core.hostile_xlsx import malformed, replace_parts
from tests.shares.workbooks import person_rows, workbook

GOOD = workbook(person_rows(2)).read()
CASES = malformed(GOOD)
IDS = [label for label, _data, _code in CASES]


def _message(code: str) -> str:
    with translation.override("zh-hans"):
        if code == "xlsx_damaged":
            return spreadsheets.damaged_message()
        return gettext("This file is not an Excel workbook.")


def test_the_good_workbook_the_cases_are_made_from_is_read():
    assert spreadsheets.workbook_check(BytesIO(GOOD), name="roster.xlsx").rows == 2


@pytest.mark.parametrize(("label", "data", "code"), CASES, ids=IDS)
def test_the_service_refuses_before_anything_is_stored(coop, acc, label, data, code):
    with pytest.raises(spreadsheets.SpreadsheetRefused) as info:
        import_start(actor=acc, cooperative=coop, file=SimpleUploadedFile("roster.xlsx", data))
    assert info.value.code == code, label
    assert (ImportBatch.objects.count(), Member.objects.count()) == (0, 0)


@pytest.mark.parametrize(("label", "data", "code"), CASES, ids=IDS)
def test_the_upload_page_says_why_and_lists_no_stale_import(client, world, coop, label, data, code):
    client.force_login(world.acc_v11)
    with translation.override("zh-hans"):
        response = client.post(
            "/shares/import/", {"cooperative": coop.pk, "file": SimpleUploadedFile("roster.xlsx", data)}
        )
    page = response.content.decode()
    assert response.status_code == 200 and _message(code) in page, label
    assert "最近导入" not in page  # the list of recent imports stays empty
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize(("label", "data", "code"), CASES, ids=IDS)
def test_the_api_answers_400_with_the_reason(api_client, world, coop, label, data, code):
    api_client.force_authenticate(world.acc_v11)
    with translation.override("zh-hans"):
        response = api_client.post(
            "/api/v1/imports/",
            {"cooperative": coop.pk, "file": SimpleUploadedFile("roster.xlsx", data)},
            format="multipart",
        )
    body = response.json()
    assert response.status_code == 400 and body["code"] == code, (label, body)
    assert body["detail"] == _message(code) and body["errors"] == {"file": [_message(code)]}
    assert ImportBatch.objects.count() == 0


def test_a_large_workbook_damaged_inside_is_refused_before_it_is_queued(coop, acc, django_capture_on_commit_callbacks):
    data = replace_parts(workbook(person_rows(ASYNC_ROWS + 1)).read(), {"xl/styles.xml": b"<styleSheet"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(spreadsheets.SpreadsheetRefused):
        import_start(actor=acc, cooperative=coop, file=SimpleUploadedFile("big.xlsx", data))
    assert callbacks == [] and ImportBatch.objects.count() == 0


def test_a_large_workbook_whose_sheet_fails_in_the_task_keeps_its_batch_with_the_reason(
    client, world, coop, acc, django_capture_on_commit_callbacks
):
    # the task reads the rows of a large workbook: a sheet damaged there leaves the batch the page
    # polls, rejected, with the reason in Chinese (nothing else was stored)
    head = "".join(f'<c t="inlineStr"><is><t>{c.header}</t></is></c>' for c in COLUMNS)
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>9999</v></c></row>' for r in range(2, ASYNC_ROWS + 3))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{head}</row>{rows}</sheetData></worksheet>'
    ).encode()
    data = replace_parts(GOOD, {"xl/worksheets/sheet1.xml": sheet})
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = import_start(actor=acc, cooperative=coop, file=SimpleUploadedFile("big.xlsx", data))
        assert batch.state == ImportState.PENDING and batch.total_rows == ASYNC_ROWS + 1
    assert len(callbacks) == 1  # the task, run eagerly
    batch.refresh_from_db()
    assert batch.state == ImportState.INVALID and batch.errors[0]["message"] == _message("xlsx_damaged")
    assert Member.objects.count() == 0
    client.force_login(world.acc_v11)
    with translation.override("zh-hans"):
        page = client.get(batch.get_absolute_url()).content.decode()
    assert _message("xlsx_damaged") in page
    # its error report cannot be written into that workbook either: the page says why, no 500
    with translation.override("zh-hans"):
        report = client.get(f"/shares/import/{batch.pk}/report.xlsx", follow=True)
    assert report.redirect_chain == [(batch.get_absolute_url(), 302)]
    assert _message("xlsx_damaged") in report.content.decode()
