"""The keyset seek is an index range with bound parameters, as the store runs it
(a literal-bound plan can hide a scan from the tenant's first row)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from canonical import Order, Patient, Query
from gateway.backends.store import Store
from gateway.backends.store.rows import compile_where, keyset_clause, order_columns
from gateway.backends.store.schema import table_for


@pytest.mark.parametrize(
    ("field", "value", "descending"),
    [
        ("first_name", "M", False),
        ("last_name", "M", True),
        ("date_of_birth", date(1980, 1, 1), False),
    ],
)
def test_keyset_seek_starts_at_the_cursor(
    store: Store, field: str, value: object, descending: bool
) -> None:
    table = table_for(Patient)
    query = Query(order=[Order(field, descending), Order("num", descending)], limit=50)
    cols = order_columns(Patient, query)
    stmt = (
        sa.select(table.c.doc)
        .where(*compile_where(Patient, "demo", query), keyset_clause(cols, (value, 10)))
        .order_by(*(c.desc() if d else c.asc() for c, d in cols))
        .limit(50)
    )
    compiled = stmt.compile(store.engine)
    # The plan does not depend on the values, only on their being parameters.
    params = tuple(str(compiled.params[k]) for k in compiled.positiontup or ())
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
        plan = " ".join(str(r[-1]) for r in rows)
    assert f"{field}{'<' if descending else '>'}?" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


async def test_keyset_pages_are_exact_with_ties(store: Store) -> None:
    """The leading bound keeps every row after the cursor, including ties on the field."""
    tenant = await store.create_tenant("k")
    backend = store.for_tenant(tenant)
    for first in ("A", "B", "B", "B", "C"):
        await backend.create(Patient(first_name=first, last_name="X"))
    for descending in (False, True):
        order = [Order("first_name", descending), Order("num", descending)]
        everything = (await backend.find(Patient, Query(order=order))).items
        for i, record in enumerate(everything):
            after = (record.first_name, record.num)
            rest = (await backend.find(Patient, Query(order=order, after=after))).items
            assert [r.num for r in rest] == [r.num for r in everything[i + 1 :]]


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        ("SELECT count(*) FROM rec_patient WHERE tenant_id = ? AND deleted_at IS NULL", "COVERING"),
        (
            "SELECT doc FROM rec_patient WHERE tenant_id = ? AND deleted_at IS NULL "
            "ORDER BY last_name, num LIMIT 200 OFFSET 1000",
            "ix_rec_patient_last_name_num_deleted_at",
        ),
    ],
)
def test_patient_totals_and_offsets_read_an_index(store: Store, sql: str, index: str) -> None:
    """A page's total counts live patients in an index, and an offset skips rows in the
    sort index (deleted_at is in it), instead of reading every row of the tenant."""
    with store.engine.connect() as conn:
        plan = " ".join(
            str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ("demo",))
        )
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan, plan
