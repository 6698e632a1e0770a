"""DrChrono /api/procedures (seed 004): read-only, over canonical procedures."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from dialects.drchrono.procedures import procedure_type
from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/procedures")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "Procedure")


async def listing(drc: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    r = await drc.get("/api/procedures", params={"page_size": 1000, **params})
    assert r.status_code == 200, r.text
    assert_schema(r.json()["results"], "Procedure")
    return r.json()["results"]  # type: ignore[no-any-return]


async def test_filters(drc: httpx.AsyncClient) -> None:
    everything = await listing(drc)
    assert len(everything) > 3
    for key in ("patient", "doctor", "appointment"):
        value = next(p[key] for p in everything if p[key] is not None)
        found = await listing(drc, **{key: value})
        assert found and {p[key] for p in found} == {value}
        assert found == [p for p in everything if p[key] == value]
    day = everything[0]["date"]
    found = await listing(drc, service_date=f"{day}T00:00:00")
    assert found == [p for p in everything if p["date"] == day]


async def test_deleted_procedures_are_gone(drc: httpx.AsyncClient, store: Any) -> None:
    from canonical import Procedure, ProcedureStatus

    backend = store.for_tenant(store.get_tenant("demo"))
    p = await backend.get(Procedure, num=1)
    await backend.update(p.model_copy(update={"status": ProcedureStatus.deleted}))
    assert (await drc.get("/api/procedures/1")).status_code == 404
    assert 1 not in [p["id"] for p in await listing(drc)]


async def test_read_only(drc: httpx.AsyncClient) -> None:
    assert (await drc.post("/api/procedures", json={"code": "D0120"})).status_code == 405
    assert (await drc.patch("/api/procedures/1", json={"code": "x"})).status_code == 405


def test_procedure_types() -> None:
    assert [
        procedure_type(c) for c in ("D0120", "G0008", "99213", "0001T", "386053000", "X-1")
    ] == [
        "H",
        "H",
        "C",
        "C",
        "S",
        "U",
    ]
