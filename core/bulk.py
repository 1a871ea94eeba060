"""Writing thousands of rows of one model in a request: ``insert_columns``.

``bulk_create`` builds a model instance per row and renders every value as its own query
parameter; at 10,000 rows of a dozen fields that Python work costs more than PostgreSQL's insert.
``insert_columns`` sends the rows as columns instead, one array per field, and lets PostgreSQL
unnest them::

    insert_columns(
        MemberAllocation,
        {"member_id": [11, 12], "total": [Decimal("3.00"), Decimal("4.50")]},
        {"plan_id": plan.pk, "region_code": plan.region_code},
    )

is one ``INSERT … SELECT … FROM unnest(%s::bigint[], %s::numeric(14,2)[])``. The columns, their
types and the fields left out come from the model: ``auto_now``/``auto_now_add`` fields get the
current time and other omitted fields what Django's own insert gives them (the default, "" for
text, NULL), so a field added later with a default needs no change here. Rows go through the same
constraints, triggers and row-level security as any insert. Values are plain Python values
psycopg2 adapts (numbers, ``Decimal``, strings, dates, ``None``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import NOT_PROVIDED, Model
from django.utils import timezone
from psycopg2 import sql as pg


def _concrete_fields(model: type[Model]) -> dict:
    """Concrete fields by attribute name (``member_id`` for a foreign key), without the primary key."""
    return {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}


def insert_columns(
    model: type[Model],
    columns: dict[str, Sequence],
    constants: dict[str, object] | None = None,
    *,
    position: str | None = None,
) -> int:
    """Insert ``len`` rows of ``model``: ``columns`` maps a field's attribute name to its values (all
    lists of one length), ``constants`` to a value every row shares. ``position`` names a field
    that receives each row's place in the lists, from 1 (a voucher line's number). Returns the
    number of rows written."""
    constants = dict(constants or {})
    fields = _concrete_fields(model)
    unknown = (set(columns) | set(constants) | {position} - {None}) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns of {model.__name__} differ in length: {sorted(lengths)}")
    count = lengths.pop() if lengths else 0
    if not count:
        return 0
    now = timezone.now()
    for name, f in fields.items():
        if name in columns or name in constants or name == position:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constants[name] = now
        elif f.db_default is not NOT_PROVIDED:
            continue  # the database fills it
        elif (default := f.get_default()) is not None or f.null:
            constants[name] = default  # as Django's own insert: the default, "" for text, or NULL
        else:
            raise ValueError(f"{model.__name__}.{name} needs a value")

    def db_type(name: str) -> str:
        return fields[name].db_type(connection)  # a foreign key's is its target's (bigint)

    # names and types come from the model's metadata (composed with psycopg2.sql), values only
    # from parameters: the constants', then the arrays'
    names = list(columns)
    targets = [fields[n].column for n in [*names, *constants, *([position] if position else [])]]
    aliases = [pg.Identifier(f"c{i}") for i in range(len(names))]
    selects = [pg.SQL("u.{}").format(a) for a in aliases]
    selects += [pg.SQL("%s::" + db_type(n)) for n in constants]
    if position:
        selects.append(pg.SQL("u.n"))
    statement = pg.SQL(
        "INSERT INTO {table} ({targets}) SELECT {selects} FROM unnest({arrays}) WITH ORDINALITY AS u({aliases}, n) "
        "ORDER BY u.n"
    ).format(
        table=pg.Identifier(model._meta.db_table),
        targets=pg.SQL(", ").join(pg.Identifier(t) for t in targets),
        selects=pg.SQL(", ").join(selects),
        arrays=pg.SQL(", ").join(pg.SQL("%s::" + db_type(n) + "[]") for n in names),
        aliases=pg.SQL(", ").join(aliases),
    )
    params = [*constants.values(), *(list(columns[n]) for n in names)]
    with connection.cursor() as cursor:
        cursor.execute(statement.as_string(cursor.connection), params)
        return cursor.rowcount
