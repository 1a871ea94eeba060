"""Importing a roster of members and contributions from the Excel template.

Every row is checked first; if any row is bad nothing is written and the batch keeps a report
naming each bad row, column and reason. A good workbook is written in one transaction with
``bulk_create`` in large batches (10,000 rows in a few seconds). Workbooks of more than
``ASYNC_ROWS`` rows are imported by a Celery task while the page polls the progress.

Progress is written through a second, autocommit database connection, so the page sees it while the
import's own transaction is still open (and a rolled-back import leaves only its final state).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import pghistory
from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core.exceptions import BusinessError
from core.locks import advisory_xact_lock
from core.models import User
from core.spreadsheets import SpreadsheetRefused, open_check
from core.tenancy import assert_in_scope
from members.choices import MemberKind
from members.models import Household, Member
from members.services import lock_cooperative, member_problems, quiet_trigger_checks
from shares.choices import ImportState
from shares.importing import (
    COLUMN_BY_KEY,
    CONTRIBUTION_LABELS,
    FIELD_COLUMNS,
    KIND_LABELS,
    VULNERABILITY_LABELS,
    CellError,
    ParsedSheet,
    RowError,
    choice,
    code_text,
    date,
    flag,
    integer,
    number_text,
    read_rows,
    text,
    workbook_check,
)
from shares.models import Contribution, ImportBatch
from shares.services.contributions import contribution_clean, contributions_confirm

logger = logging.getLogger(__name__)

ASYNC_ROWS = 2000
BATCH_SIZE = 2000
PROGRESS_EVERY = 500


class ImportInvalid(BusinessError):
    """Some rows are bad; nothing was imported. ``errors`` names each row, column and reason."""

    code = "import_invalid"

    def __init__(self, batch: ImportBatch, errors: list[RowError]):
        super().__init__(
            _("%(n)d problem(s) in the workbook; nothing was imported. Correct the rows and upload it again.")
            % {"n": len(errors)}
        )
        self.batch = batch
        self.errors = errors


class Progress:
    """Writes a batch's progress through its own autocommit connection (visible at once)."""

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self._conn = None

    def update(self, **fields) -> None:
        if self._conn is None:
            self._conn = connections.create_connection("default")
        assignments = ", ".join(f"{name} = %s" for name in fields)
        with self._conn.cursor() as cursor:
            cursor.execute(
                f"UPDATE shares_importbatch SET {assignments} WHERE id = %s",  # noqa: S608 - fixed column names
                [*fields.values(), self.batch_id],
            )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@dataclass
class Prepared:
    """The checked rows, ready to write."""

    members: list[Member] = field(default_factory=list)
    new_households: dict[str, Household] = field(default_factory=dict)
    # (index into members, cleaned contribution data)
    contributions: list[tuple[int, dict]] = field(default_factory=list)


MEMBER_CELLS: dict[str, Callable] = {
    "phone": text,
    "address": text,
    "is_party_member": flag,
    "is_branch_member": flag,
    "is_village_cadre": flag,
    "is_poverty_registered": flag,
    "joined_on": date,
}
CONTRIBUTION_CELLS: dict[str, Callable] = {
    "amount": number_text,
    "area_mu": number_text,
    "location": text,
    "term_years": integer,
    "value_per_mu": number_text,
    "appraiser": text,
    "appraisal_date": date,
    "contributed_on": date,
}


def validate_rows(
    cooperative: Cooperative, rows: list[tuple[int, dict]], *, on_progress: Callable[[int], None] | None = None
) -> tuple[Prepared, list[RowError]]:
    """Check every row against the services' rules and the cooperative's roster (a handful of queries)."""
    village = cooperative.village
    existing_ids = dict(
        Member.objects.filter(cooperative=cooperative).exclude(id_number="").values_list("id_number", "number")
    )
    existing_codes = dict(Member.objects.filter(cooperative=cooperative).exclude(uscc="").values_list("uscc", "number"))
    used_numbers = set(Member.objects.filter(cooperative=cooperative).values_list("number", flat=True))
    has_collective = Member.objects.filter(cooperative=cooperative, kind=MemberKind.COLLECTIVE).exists()
    households = {h.number: h for h in Household.objects.filter(village=village)}
    prepared = Prepared()
    errors: list[RowError] = []
    seen: dict[str, tuple[int, int]] = {}  # identity → (row number, index into prepared.members)
    explicit_numbers: dict[int, int] = {}
    pending_numbers: list[int] = []  # indexes of members without a number
    today = timezone.localdate()

    for done, (rownum, raw) in enumerate(rows, start=1):
        row_errors: list[RowError] = []
        # whom the row is about, so a report names the person and not only the row number
        person = text(raw.get("name"))

        def fail(key: str | None, message: str, rownum=rownum, row_errors=row_errors, person=person) -> None:
            row_errors.append(RowError(rownum, COLUMN_BY_KEY[key].header if key else "", str(message), person=person))

        def cell(key: str, parse: Callable, raw=raw, **kwargs):
            try:
                return parse(raw.get(key), **kwargs)
            except CellError as exc:
                fail(key, str(exc))
                return None

        kind = cell("kind", choice, labels=KIND_LABELS, required=True)
        name = text(raw.get("name"))
        identity = ""
        if kind == MemberKind.PERSON:
            identity = cell("id_number", code_text) or ""
        elif kind:
            identity = cell("uscc", code_text) or ""
        has_contribution = bool(text(raw.get("contribution_kind")) or text(raw.get("amount")))
        member_index = None
        member = None

        if kind and identity and identity in seen:
            # another contribution of a member met on an earlier row
            first_row, member_index = seen[identity]
            member = prepared.members[member_index]
            if name and name != member.name:
                fail("name", f"与第{first_row}行同一证件号码，但姓名不同（{member.name}）")
            if not has_contribution:
                fail("id_number" if kind == MemberKind.PERSON else "uscc", f"与第{first_row}行重复")
        elif kind:
            if kind == MemberKind.PERSON and identity in existing_ids:
                fail("id_number", f"已是本社成员（编号 {existing_ids[identity]}）")
            if kind != MemberKind.PERSON and identity and identity in existing_codes:
                fail("uscc", f"已是本社成员（编号 {existing_codes[identity]}）")
            if kind == MemberKind.COLLECTIVE:
                if has_collective:
                    fail("kind", "村集体已是本社成员")
                has_collective = True
            data = {"kind": kind, "name": name, "id_number": identity, "uscc": identity, "village": village}
            for key, parse in MEMBER_CELLS.items():
                data[key] = cell(key, parse)
            data["is_farmer"] = cell("is_farmer", flag, default=kind == MemberKind.PERSON)
            data["vulnerability"] = cell("vulnerability", choice, labels=VULNERABILITY_LABELS)
            data["joined_on"] = data["joined_on"] or today
            number = cell("number", integer)
            if number is not None and (number < 1 or number in used_numbers or number in explicit_numbers):
                fail("number", "编号已被使用" if number >= 1 else "编号应为正整数")
            if kind == MemberKind.PERSON:
                hh_number = text(raw.get("household_number"))
                if not hh_number:
                    fail("household_number", "个人成员必须填写户号")
                else:
                    household = households.get(hh_number) or prepared.new_households.get(hh_number)
                    if household is None:
                        size = cell("household_size", integer) or 1
                        household = Household(
                            village=village,
                            region_code=village.padded_code,
                            number=hh_number,
                            head_name=text(raw.get("household_head")) or name,
                            size=max(1, size),
                            address=text(raw.get("address")),
                        )
                        prepared.new_households[hh_number] = household
                    data["household"] = household
            cleaned, problems = member_problems(data, cooperative=cooperative)
            for problem in problems:  # every one of the row's problems, not the first
                key = FIELD_COLUMNS.get(problem.field or "", "name")
                if not any(e.column == COLUMN_BY_KEY[key].header for e in row_errors):  # said once per cell
                    fail(key, problem.message)
            if not problems and not row_errors:
                member = Member(
                    cooperative=cooperative,
                    region_code=cooperative.region_code,
                    number=number or 0,
                    note=text(raw.get("note")),
                    **{k: v for k, v in cleaned.items() if k != "number"},
                )
                prepared.members.append(member)
                member_index = len(prepared.members) - 1
                if number:
                    explicit_numbers[number] = member_index
                else:
                    pending_numbers.append(member_index)
                if identity:
                    seen[identity] = (rownum, member_index)

        if has_contribution:
            # the cells are read (and their format reported) even when the member part failed
            cdata = {"kind": cell("contribution_kind", choice, labels=CONTRIBUTION_LABELS, required=True)}
            for key, parse in CONTRIBUTION_CELLS.items():
                cdata[key] = cell(key, parse)
            if member_index is not None and cdata["kind"] and not row_errors:
                member = prepared.members[member_index]
                cdata["contributed_on"] = cdata["contributed_on"] or member.joined_on
                try:
                    cleaned_c = contribution_clean(cdata, member=member)
                except BusinessError as exc:
                    fail(FIELD_COLUMNS.get(exc.field or "", "contribution_kind"), exc.message)
                else:
                    prepared.contributions.append((member_index, cleaned_c))
        errors.extend(row_errors)
        if on_progress and done % PROGRESS_EVERY == 0:
            on_progress(done)

    if not rows and not errors:
        errors.append(RowError(1, "", "工作表中没有数据行"))
    # numbers for the rows that gave none: after the highest number in use, skipping taken ones
    taken = used_numbers | set(explicit_numbers)
    candidate = max(taken, default=0)
    for index in pending_numbers:
        candidate += 1
        while candidate in taken:
            candidate += 1
        prepared.members[index].number = candidate
    return prepared, errors


def _write(*, actor: User, batch: ImportBatch, prepared: Prepared, progress: Progress, total: int) -> None:
    cooperative = lock_cooperative(batch.cooperative)
    written = 0

    def step(n: int) -> None:
        nonlocal written
        written += n
        progress.update(processed_rows=min(total, written))

    households = list(prepared.new_households.values())
    for start in range(0, len(households), BATCH_SIZE):
        Household.objects.bulk_create(households[start : start + BATCH_SIZE])
    for start in range(0, len(prepared.members), BATCH_SIZE):
        chunk = prepared.members[start : start + BATCH_SIZE]
        Member.objects.bulk_create(chunk)
        step(len(chunk) // 2)
    contributions = [
        Contribution(
            cooperative=cooperative,
            region_code=cooperative.region_code,
            member=prepared.members[index],
            created_by=actor,
            import_batch=batch,
            **data,
        )
        for index, data in prepared.contributions
    ]
    for start in range(0, len(contributions), BATCH_SIZE):
        chunk = contributions[start : start + BATCH_SIZE]
        Contribution.objects.bulk_create(chunk)
        step(len(chunk) // 2)
    if prepared.members:
        assert_in_scope(actor, prepared.members[0], "add")
    if batch.confirm_contributions and contributions:
        contributions_confirm(actor=actor, cooperative=cooperative, contributions=contributions)
    batch.created_members = len(prepared.members)
    batch.created_households = len(households)
    batch.created_contributions = len(contributions)


class AlreadyImported(Exception):
    """Another run of the same batch wrote it first."""


IMPORT_LOCK = "shares.import"


def import_run(*, actor: User, batch: ImportBatch, parsed: ParsedSheet | None = None) -> ImportBatch:
    """Check every row, then write them all in one transaction (or nothing, with the report).

    ``parsed``: the rows ``import_start`` already read from the upload; else the stored workbook is read.
    Idempotent: the rows and the batch's DONE state commit together, and a run that finds its batch
    already done (a redelivered task) writes nothing.
    """
    current = ImportBatch.objects.filter(pk=batch.pk).values_list("state", flat=True).first()
    if current == ImportState.DONE:
        return ImportBatch.objects.get(pk=batch.pk)
    progress = Progress(batch.pk)
    try:
        batch.state = ImportState.VALIDATING
        batch.errors = []
        batch.save(update_fields=["state", "errors", "updated_at"])
        progress.update(state=ImportState.VALIDATING, processed_rows=0)
        if parsed is None:
            try:
                with batch.file.open("rb") as fh:
                    parsed = read_rows(fh, name=batch.file.name)
            except SpreadsheetRefused as exc:  # the sheet of a queued workbook: the batch says why
                parsed = ParsedSheet([], [RowError(1, "", exc.message)])
        rows = parsed.rows
        total = len(rows)
        batch.total_rows = total
        progress.update(total_rows=total)
        prepared, errors = (
            validate_rows(batch.cooperative, rows, on_progress=lambda n: progress.update(processed_rows=n))
            if rows or not parsed.errors  # rows all refused (formulas): their errors say it all
            else (Prepared(), [])
        )
        errors = parsed.errors + errors
        if errors:
            batch.state = ImportState.INVALID
            batch.errors = [e.as_dict() for e in errors]
            batch.message = ImportInvalid(batch, errors).message
        else:
            batch.state = ImportState.WRITING
            progress.update(state=ImportState.WRITING, processed_rows=0)
            try:
                with pghistory.context(import_batch=batch.pk, user=actor.pk), transaction.atomic():
                    quiet_trigger_checks()
                    # a second run of this batch (a redelivered task) waits here, then finds it done
                    advisory_xact_lock(IMPORT_LOCK, batch.pk)
                    if ImportBatch.objects.filter(pk=batch.pk, state=ImportState.DONE).exists():
                        raise AlreadyImported
                    _write(actor=actor, batch=batch, prepared=prepared, progress=progress, total=total)
                    # DONE commits with the rows: a worker killed after this commit leaves a finished
                    # batch, one killed before it leaves no row and a batch that may simply run again
                    batch.state = ImportState.DONE
                    batch.processed_rows = total
                    batch.message = _("Imported %(members)d members and %(contributions)d contributions.") % {
                        "members": batch.created_members,
                        "contributions": batch.created_contributions,
                    }
                    batch.finished_at = timezone.now()
                    batch.save()
            except AlreadyImported:
                logger.info("shares.import.already_done", extra={"batch_id": batch.pk})
                return ImportBatch.objects.get(pk=batch.pk)
            except BusinessError as exc:
                batch.state = ImportState.INVALID
                batch.errors = [RowError(0, "", exc.message).as_dict()]
                batch.message = exc.message
            except IntegrityError as exc:  # another writer added the same member meanwhile
                logger.warning("shares.import.conflict", extra={"batch_id": batch.pk, "error": str(exc)})
                batch.state = ImportState.FAILED
                batch.message = _("Another change to the roster happened during the import; upload it again.")
        batch.finished_at = timezone.now()
        batch.save()
        logger.info("shares.import.finished", extra={"batch_id": batch.pk, "state": batch.state})
        return batch
    except Exception:
        # a bug or a lost database: the page must stop polling and say so; nothing was written
        logger.exception("shares.import.crashed", extra={"batch_id": batch.pk})
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportState.FAILED,
            message=_("The import stopped on an unexpected error; nothing was written. Try again or ask for help."),
            finished_at=timezone.now(),
        )
        raise
    finally:
        progress.close()


def import_start(*, actor: User, cooperative: Cooperative, file, confirm: bool = False) -> ImportBatch:
    """Store an uploaded workbook and import it: at once when small, by a Celery task when large.

    A file that is not a workbook we agree to read, or that cannot be read (a damaged part), is
    refused with ``SpreadsheetRefused`` (a BusinessError) before anything is stored: no batch is left
    behind. A small workbook is read whole here; of a large one the parts every sheet needs are
    opened here and its rows are read by the task (a sheet that fails then leaves its batch rejected,
    with the reason).

    Raises ``ImportInvalid`` (code ``import_invalid``) when a small workbook has bad rows.
    """
    sheet = workbook_check(file)
    parsed = None
    if sheet.rows > ASYNC_ROWS:
        open_check(file)
    else:
        parsed = read_rows(file, name=file.name)
    file.seek(0)
    with transaction.atomic():
        batch = ImportBatch(
            cooperative=cooperative,
            region_code=cooperative.region_code,
            original_name=file.name[:200],
            created_by=actor,
            confirm_contributions=confirm,
        )
        batch.file.save(file.name, file, save=False)
        batch.total_rows = sheet.rows
        batch.save()
        assert_in_scope(actor, batch, "add")
        if batch.total_rows > ASYNC_ROWS:
            from shares.tasks import import_roster

            transaction.on_commit(lambda: import_roster.delay(batch.pk, actor.pk), robust=True)
            return batch
    batch = import_run(actor=actor, batch=batch, parsed=parsed)
    if batch.state == ImportState.INVALID:
        raise ImportInvalid(batch, [RowError(**e) for e in batch.errors])
    return batch
