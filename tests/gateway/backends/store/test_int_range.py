"""Integers past the 64-bit range (a client's ``/patients/1e30``-sized id, page or
filter) are answered as "no such record" / "no rows", never a driver error."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from canonical import Commlog, Cond, NotFound, Patient, Query, Ref
from gateway.backends.store import Store, TenantStore

HUGE = 2**70


@pytest.fixture
async def backend(tmp_path: Path) -> TenantStore:
    s = Store(f"sqlite:///{tmp_path / 'range.db'}")
    s.migrate()
    b = s.for_tenant(await s.create_tenant("t"))
    for name in ("A", "B"):
        await b.create(Patient(last_name=name, first_name=name))
    return b


async def test_get_of_a_huge_num_is_not_found(backend: TenantStore) -> None:
    with pytest.raises(NotFound):
        await backend.get(Patient, num=HUGE)
    with pytest.raises(NotFound):
        await backend.get(Patient, num=-HUGE)
    assert list(await backend.get_many(Patient, [HUGE, 1])) == [1]


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("eq", HUGE, []),
        ("ne", HUGE, [1, 2]),
        ("lt", HUGE, [1, 2]),
        ("le", HUGE, [1, 2]),
        ("gt", HUGE, []),
        ("ge", HUGE, []),
        ("lt", -HUGE, []),
        ("gt", -HUGE, [1, 2]),
        ("in", [HUGE, 2], [2]),
    ],
)
async def test_conditions_with_huge_values(
    backend: TenantStore, op: str, value: object, expected: list[int]
) -> None:
    page = await backend.find(Patient, Query(where=[Cond("num", op, value)]))  # type: ignore[arg-type]
    assert [r.num for r in page.items] == expected


async def test_offset_past_the_range_is_an_empty_page(backend: TenantStore) -> None:
    assert (await backend.find(Patient, Query(offset=HUGE, limit=HUGE))).items == []


async def test_reference_to_a_huge_num_is_not_found(backend: TenantStore) -> None:
    patch = {"patient": Ref(num=HUGE), "communicated_at": datetime.now(UTC)}
    with pytest.raises(NotFound):
        await backend.resolve(Commlog, patch)
