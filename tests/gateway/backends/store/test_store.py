"""The embedded store: identities, versions, the change sequence, atomicity,
queries in the database, tenant scoping and additive migration."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from canonical import (
    AnyOf,
    Commlog,
    Cond,
    Conflict,
    Invalid,
    NotFound,
    Order,
    Patient,
    Query,
    Ref,
)
from gateway.backends.store import Store


@pytest.fixture
async def empty(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    s.migrate()
    return s


async def test_create_assigns_identity_version_and_sequence(empty: Store) -> None:
    b = empty.for_tenant(await empty.create_tenant("t"))
    a = await b.create(Patient(last_name="A", first_name="A"))
    c = await b.create(Patient(last_name="C", first_name="C"))
    assert (a.num, c.num) == (1, 2)
    assert a.uuid and c.uuid and a.uuid != c.uuid
    assert (a.version, c.version) == (1, 1)
    assert c.seq > a.seq
    assert a.created_at and a.created_at.tzinfo is UTC


async def test_sequence_is_tenant_wide_and_monotonic(empty: Store) -> None:
    b = empty.for_tenant(await empty.create_tenant("t"))
    p = await b.create(Patient(last_name="A", first_name="A"))
    c = await b.create(
        Commlog(patient=Ref(num=p.num, uuid=p.uuid), communicated_at=datetime.now(UTC))
    )
    p2 = await b.update(p.model_copy(update={"first_name": "B"}))
    assert p.seq < c.seq < p2.seq
    changed = await b.find(Patient, Query(where=[Cond("seq", "gt", c.seq)]))
    assert [r.num for r in changed.items] == [p.num]


async def test_update_checks_base_version(empty: Store) -> None:
    b = empty.for_tenant(await empty.create_tenant("t"))
    p = await b.create(Patient(last_name="A", first_name="A"))
    p2 = await b.update(p.model_copy(update={"first_name": "B"}), base_version=1)
    assert p2.version == 2
    with pytest.raises(Conflict) as err:
        await b.update(p.model_copy(update={"first_name": "C"}), base_version=1)
    assert err.value.current_version == 2
    assert (await b.get(Patient, num=p.num)).first_name == "B"


async def test_atomic_rolls_back_everything(empty: Store) -> None:
    b = empty.for_tenant(await empty.create_tenant("t"))
    with pytest.raises(Invalid):
        async with b.atomic():
            await b.create(Patient(last_name="A", first_name="A"))
            await b.create(Patient(last_name="B", first_name="B"))
            raise Invalid("second thoughts")
    assert (await b.find(Patient, Query(with_total=True))).total == 0
    # The number counter rolled back too: the next patient is number 1.
    assert (await b.create(Patient(last_name="C", first_name="C"))).num == 1


async def test_soft_delete_hides_the_record(empty: Store) -> None:
    b = empty.for_tenant(await empty.create_tenant("t"))
    p = await b.create(Patient(last_name="A", first_name="A"))
    gone = await b.delete(Patient, p.num)
    assert gone.deleted_at is not None and gone.version == 2
    with pytest.raises(NotFound):
        await b.get(Patient, num=p.num)
    assert (await b.get(Patient, num=p.num, include_deleted=True)).is_deleted


async def test_queries_filter_sort_and_page_in_the_database(empty: Store) -> None:
    b = empty.for_tenant(await empty.create_tenant("t"))
    for i, name in enumerate(["Smith", "smithers", "Jones", "Ansmith", "Brown"]):
        await b.create(
            Patient(last_name=name, first_name=f"F{i}", date_of_birth=date(1980 + i, 1, 1))
        )
    found = await b.find(
        Patient, Query(where=[Cond("last_name", "contains", "SMITH")], order=[Order("last_name")])
    )
    assert [p.last_name for p in found.items] == ["Ansmith", "Smith", "smithers"]
    either = await b.find(
        Patient,
        Query(
            where=[
                AnyOf(
                    (
                        Cond("last_name", "eq", "Jones"),
                        Cond("date_of_birth", "ge", date(1984, 1, 1)),
                    )
                )
            ]
        ),
    )
    assert {p.last_name for p in either.items} == {"Jones", "Brown"}
    page = await b.find(
        Patient,
        Query(order=[Order("date_of_birth", descending=True)], offset=1, limit=2, with_total=True),
    )
    assert [p.first_name for p in page.items] == ["F3", "F2"] and page.total == 5


async def test_keyset_paging_matches_offset_paging(empty: Store) -> None:
    b = empty.for_tenant(await empty.create_tenant("t"))
    for i in range(30):
        await b.create(Patient(last_name=f"L{i % 4}", first_name=f"F{i}"))
    order = [Order("last_name"), Order("first_name", descending=True)]
    everything = (await b.find(Patient, Query(order=order))).items
    seen: list[int | None] = []
    after = None
    while True:
        page = (await b.find(Patient, Query(order=order, limit=7, after=after))).items
        if not page:
            break
        seen += [p.num for p in page]
        last = page[-1]
        after = (last.last_name, last.first_name, last.num)
    assert seen == [p.num for p in everything]


async def test_tenants_are_isolated(empty: Store) -> None:
    a = empty.for_tenant(await empty.create_tenant("a"))
    z = empty.for_tenant(await empty.create_tenant("z"))
    pa = await a.create(Patient(last_name="A", first_name="A"))
    pz = await z.create(Patient(last_name="Z", first_name="Z"))
    assert pa.num == pz.num == 1  # numbering is per practice
    assert (await a.get(Patient, num=1)).last_name == "A"
    assert [p.last_name for p in (await z.find(Patient, Query())).items] == ["Z"]
    with pytest.raises(NotFound):
        await z.get(Patient, uuid=pa.uuid)
    with pytest.raises(NotFound):
        await z.resolve(Commlog, {"patient": Ref(uuid=pa.uuid)})


async def test_resolve_completes_references_or_names_the_field(empty: Store) -> None:
    b = empty.for_tenant(await empty.create_tenant("t"))
    p = await b.create(Patient(last_name="A", first_name="A"))
    out = await b.resolve(Commlog, {"patient": Ref(num=p.num), "note": "x"})
    assert out["patient"] == Ref(num=p.num, uuid=p.uuid)
    with pytest.raises(NotFound) as err:
        await b.resolve(Commlog, {"patient": Ref(num=99)}, labels={"patient": "PatNum"})
    assert err.value.message == "PatNum not found."


async def test_migration_adds_columns_for_new_fields(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    s = Store(url)
    s.migrate()
    b = s.for_tenant(await s.create_tenant("t"))
    await b.create(Patient(last_name="Old", first_name="Row", chart_number="C-1"))
    with s.engine.begin() as conn:  # simulate a database made before chart_number existed
        conn.execute(sa.text("DROP INDEX IF EXISTS ix_rec_patient_chart_number"))
        conn.execute(sa.text("DROP INDEX IF EXISTS ix_rec_patient_chart_number_num"))
        conn.execute(sa.text("DROP INDEX IF EXISTS ix_rec_patient_chart_number_num_deleted_at"))
        conn.execute(sa.text("ALTER TABLE rec_patient DROP COLUMN chart_number"))
        conn.execute(sa.text("DELETE FROM schema_meta"))  # as written by an older release
    s.close()
    s2 = Store(url)
    s2.migrate()
    with s2.engine.connect() as conn:
        value = conn.execute(sa.text("SELECT chart_number FROM rec_patient")).scalar_one()
    assert value == "C-1"  # back-filled from the stored document
    indexes = {i["name"] for i in sa.inspect(s2.engine).get_indexes("rec_patient")}
    assert "ix_rec_patient_chart_number_num_deleted_at" in indexes  # the model's index is back


async def test_wal_mode_on_file_databases(empty: Store) -> None:
    with empty.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"


def test_naive_datetimes_are_refused() -> None:
    from gateway.backends.store.rows import compile_cond

    with pytest.raises(ValueError):
        compile_cond(Patient, Cond("updated_at", "ge", datetime(2020, 1, 1)))
    compile_cond(Patient, Cond("updated_at", "ge", datetime(2020, 1, 1, tzinfo=UTC) - timedelta(1)))
