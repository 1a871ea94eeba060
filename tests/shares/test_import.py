"""Roster import from Excel: the template, all-or-nothing with a report naming row and column, the
API's ``import_invalid``, large workbooks through Celery with a progress bar."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from members.models import Household, Member
from shares.choices import ImportState
from shares.importing import SHEET
from shares.models import Contribution, ImportBatch, ShareEntry
from shares.services.imports import ASYNC_ROWS
from tests.members.factories import MemberFactory, resident_id
from tests.shares.workbooks import person_rows, workbook

VALID_ID = "11010519491231002X"


def test_template_has_chinese_headers_an_example_row_and_list_validations(client, world):
    client.force_login(world.acc_v11)
    response = client.get("/shares/import/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    ws = wb[SHEET]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["成员编号", "成员类型", "姓名或名称", "身份证号码"] and "出资方式" in headers
    assert ws.cell(row=2, column=1).value == "示例" and ws.cell(row=2, column=4).value == VALID_ID
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"个人,村集体,企业,其他组织"' in lists and '"是,否"' in lists
    assert any("土地承包经营权" in f for f in lists)


def test_the_unchanged_template_imports_nothing_because_the_example_row_is_skipped(coop, acc):
    from shares.importing import template_bytes
    from shares.services.imports import ImportInvalid, import_start
    from tests.shares.workbooks import SimpleUploadedFile

    with pytest.raises(ImportInvalid):
        import_start(actor=acc, cooperative=coop, file=SimpleUploadedFile("t.xlsx", template_bytes()))
    assert not Member.objects.exists()


def _rows_with_one_bad():
    rows = person_rows(5)
    rows[2]["id_number"] = VALID_ID[:17] + "1"  # workbook row 4 (header is row 1): wrong check character
    return rows


def test_one_bad_row_writes_nothing_and_the_page_names_row_and_column(client, world, coop):
    client.force_login(world.acc_v11)
    response = client.post(
        "/shares/import/", {"cooperative": coop.pk, "file": workbook(_rows_with_one_bad())}, follow=True
    )
    assert response.status_code == 200
    assert not Member.objects.exists() and not Household.objects.exists() and not Contribution.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.state == ImportState.INVALID
    assert batch.errors == [
        {"row": 4, "column": "身份证号码", "message": batch.errors[0]["message"], "person": "村民2"}
    ]
    assert "“X”" in batch.errors[0]["message"]
    page = response.content.decode()
    assert '<td class="num">4</td><td>村民2</td><td>身份证号码</td>' in page


def test_every_problem_of_a_row_is_reported_at_once_naming_the_person(client, world, coop):
    """Four things wrong on one row took four uploads: now one upload lists them all, each with the
    row's person."""
    rows = person_rows(3)
    bad = rows[1]  # workbook row 3: 村民1, a cash contribution
    bad.update(
        id_number=VALID_ID[:17] + "1",  # wrong check character
        household_number="",  # a person needs a household
        vulnerability="富裕户",  # not a vulnerable group of the list
        joined_on="2099-01-01",  # in the future
    )
    client.force_login(world.acc_v11)
    client.post("/shares/import/", {"cooperative": coop.pk, "file": workbook(rows)})
    batch = ImportBatch.objects.get()
    assert sorted(e["column"] for e in batch.errors) == ["入社日期", "弱势群体", "户号", "身份证号码"], batch.errors
    assert {e["person"] for e in batch.errors} == {"村民1"}
    assert not Member.objects.exists()


def test_api_answers_import_invalid_with_each_bad_row(api_client, world, coop):
    api_client.force_authenticate(world.acc_v11)
    rows = _rows_with_one_bad()
    rows[3]["contribution_kind"] = "土地承包经营权"  # row 5: land without area
    rows[3].pop("amount")
    response = api_client.post("/api/v1/imports/", {"cooperative": coop.pk, "file": workbook(rows)}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_invalid"
    assert [(r["row"], r["column"]) for r in body["rows"]] == [(4, "身份证号码"), (5, "土地面积（亩）")]
    assert not Member.objects.exists()


def test_error_report_marks_the_bad_cells_and_gives_the_reason(client, world, coop):
    client.force_login(world.acc_v11)
    client.post("/shares/import/", {"cooperative": coop.pk, "file": workbook(_rows_with_one_bad())})
    batch = ImportBatch.objects.get()
    response = client.get(f"/shares/import/{batch.pk}/report.xlsx")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content))[SHEET]
    headers = [c.value for c in ws[1]]
    id_col = headers.index("身份证号码") + 1
    reason_col = headers.index("错误原因") + 1
    assert ws.cell(row=4, column=id_col).fill.fgColor.rgb == "FFF4CCCC"
    assert ws.cell(row=3, column=id_col).fill.fgColor.rgb != "FFF4CCCC"
    assert ws.cell(row=4, column=reason_col).value.startswith("村民2：身份证号码：")
    assert ws.cell(row=3, column=reason_col).value is None
    # the report is as scoped as the batch
    client.force_login(world.acc_v12)
    assert client.get(f"/shares/import/{batch.pk}/report.xlsx").status_code == 404


def test_a_good_workbook_imports_members_households_and_draft_contributions(client, world, coop):
    rows = person_rows(4)
    rows.append({**rows[1], "contribution_kind": "现金", "amount": "300", "name": ""})  # another contribution of row 3
    rows.append({"kind": "村集体", "name": "东安村股份经济合作社", "uscc": "N2371323MA0000011" + "X"})
    from core.validators import uscc_check_character

    rows[-1]["uscc"] = rows[-1]["uscc"][:17] + uscc_check_character(rows[-1]["uscc"][:17])
    client.force_login(world.acc_v11)
    response = client.post("/shares/import/", {"cooperative": coop.pk, "file": workbook(rows)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.state == ImportState.DONE, batch.errors
    assert (batch.created_members, batch.created_households, batch.created_contributions) == (5, 4, 5)
    assert list(Member.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    # land: 2.5 mu × 800 = 2,000.00
    assert Contribution.objects.filter(kind="land", amount="2000.00").count() == 2
    assert Contribution.objects.filter(member__name="村民1").count() == 2
    assert not ShareEntry.objects.exists()  # drafts until confirmed
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "shares/contributions/confirm/" in page


def test_an_existing_member_is_reported_not_duplicated(coop, acc):
    from shares.services.imports import ImportInvalid, import_start

    existing = MemberFactory(cooperative=coop, id_number=resident_id(1001))
    with pytest.raises(ImportInvalid) as exc:
        import_start(actor=acc, cooperative=coop, file=workbook(person_rows(3)))
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "身份证号码")]
    assert f"编号 {existing.number}" in exc.value.errors[0].message
    assert Member.objects.count() == 1


def test_import_with_confirmation_writes_the_ledger_in_the_same_transaction(coop, acc, use_profile):
    use_profile("off")
    from shares.services.imports import import_start

    batch = import_start(actor=acc, cooperative=coop, file=workbook(person_rows(6)), confirm=True)
    assert batch.state == ImportState.DONE
    assert ShareEntry.objects.filter(entry_type="subscribe").count() == 6
    assert not Contribution.objects.filter(state="draft").exists()


def test_township_official_cannot_import(client, world, coop):
    client.force_login(world.twp_t1)
    assert client.get("/shares/import/").status_code == 403
    assert client.post("/shares/import/", {"cooperative": coop.pk, "file": workbook(person_rows(1))}).status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_large_workbook_runs_as_a_celery_task_with_a_progress_bar(
    client, world, coop, django_capture_on_commit_callbacks
):
    rows = person_rows(ASYNC_ROWS + 1, land_every=3)
    client.force_login(world.acc_v11)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/shares/import/", {"cooperative": coop.pk, "file": workbook(rows, "big.xlsx")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert batch.state == ImportState.PENDING and batch.total_rows == ASYNC_ROWS + 1 and len(callbacks) == 1
    # while it waits, the page polls the progress endpoint
    page = client.get(batch.get_absolute_url()).content.decode()
    assert f'hx-get="/shares/import/{batch.pk}/progress/"' in page and "<progress" in page
    callbacks[0]()  # the worker picks the task up (Celery runs eagerly in tests)
    batch.refresh_from_db()
    assert batch.state == ImportState.DONE and batch.created_members == ASYNC_ROWS + 1
    progress = client.get(f"/shares/import/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true" and "<progress" not in progress.content.decode()
    # the task is idempotent: running it again on a finished batch changes nothing
    from shares.tasks import import_roster

    assert import_roster.delay(batch.pk, world.acc_v11.pk).get() == ImportState.DONE
    assert Member.objects.count() == ASYNC_ROWS + 1


def test_the_fast_sheet_reader_reads_what_openpyxl_reads(monkeypatch):
    """Cells of every kind Excel writes: shared and inline strings, escaped characters, integers,
    decimals, dates, booleans and gaps; the fast XML reader agrees with openpyxl's cell reader."""
    import datetime
    from decimal import Decimal

    from openpyxl import Workbook

    from shares import importing
    from tests.shares.workbooks import SimpleUploadedFile

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c.header for c in importing.COLUMNS])
    ws.append(["", "个人", "A&B <公司>", VALID_ID, None, "13800000000", "0001", None, 4, "一组", True, False])
    ws.append([7, "企业", "某公司"])
    ws.cell(row=3, column=importing.COLUMNS.index(importing.COLUMN_BY_KEY["amount"]) + 1, value=1234.56)
    ws.cell(
        row=3, column=importing.COLUMNS.index(importing.COLUMN_BY_KEY["joined_on"]) + 1, value=datetime.date(2024, 3, 1)
    )
    ws.append([])
    ws.append([None, "个人", "隔一行"])
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("mixed.xlsx", buffer.getvalue())

    fast = importing.read_rows(upload)
    monkeypatch.setattr(importing, "_fast_sheet_rows", lambda ws, archive: None)
    slow = importing.read_rows(upload)
    assert [n for n, _ in fast.rows] == [n for n, _ in slow.rows] == [2, 3, 5]

    def normal(raw):
        out = {}
        for key, value in raw.items():
            if key == "joined_on" and value is not None:
                value = importing.date(value)
            elif key in ("amount", "household_size", "number") and value not in (None, ""):
                value = Decimal(importing.number_text(value))
            elif key.startswith("is_") and value is not None:
                value = importing.flag(value)
            elif value is not None:
                value = importing.text(value)
            out[key] = value or None
        return out

    assert [normal(r) for _, r in fast.rows] == [normal(r) for _, r in slow.rows]
    assert normal(fast.rows[0][1])["name"] == "A&B <公司>"
    assert normal(fast.rows[1][1])["joined_on"] == datetime.date(2024, 3, 1)
    assert normal(fast.rows[1][1])["amount"] == Decimal("1234.56")
