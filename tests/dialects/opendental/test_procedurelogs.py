"""Open Dental ProcedureLogs (seed 002): the documented examples, then every
rule of GET and DELETE. The rules of POST and PUT are in
test_procedure_writes.py; insurance history, group notes and the
treatment-area rules have their own test modules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from canonical import Procedure, ProcedureAttachment, ProcedureStatus, Ref
from gateway.backends.store import Store
from tests.dialects.opendental.examples import check_example
from tests.dialects.opendental.procedure_helpers import (
    D2331,
    GET_FIELDS,
    backend,
    edit,
    nums,
    snapshot,
)
from tests.support import examples, load

EXAMPLES = examples("opendental/procedurelogs")


# -- documented examples -------------------------------------------------------------


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    r = await check_example(od, example)
    if example["response"]["status"] == 201:
        num = r.json().get("ProcNum")
        assert num is None or r.headers["location"].endswith(f"/procedurelogs/{num}")
        assert "/procedurelogs/" in r.headers["location"]


async def test_field_order_and_value_shapes(od: httpx.AsyncClient) -> None:
    got = (await od.get("/procedurelogs/179")).json()
    assert list(got) == GET_FIELDS
    shapes = {k: type(v).__name__ for k, v in got.items()}
    # Every foreign key is a JSON integer, 0 for none (see procedure_codec).
    for key in ("AptNum", "PlannedAptNum", "Dx", "ClinicNum", "ProvNum", "CodeNum", "Priority"):
        assert shapes[key] == "int", key
    assert (got["AptNum"], got["Dx"], got["ClinicNum"]) == (1023, 139, 2)
    empty = (await od.get("/procedurelogs/20")).json()
    assert (empty["AptNum"], empty["PlannedAptNum"], empty["Dx"], empty["ClinicNum"]) == (
        0,
        0,
        0,
        0,
    )


# -- GET --------------------------------------------------------------------------------


async def test_get_one_not_found_and_bad_num(od: httpx.AsyncClient) -> None:
    r = await od.get("/procedurelogs/99999")
    assert (r.status_code, r.json()) == (404, "Procedure not found.")
    assert (await od.get("/procedurelogs/abc")).status_code == 400


async def test_get_many_filters(od: httpx.AsyncClient) -> None:
    assert await nums(od, PatNum=52) == [1470, 1471, 1472]
    assert await nums(od, AptNum=202) == [40, 41]
    assert await nums(od, AptNum=202, ClinicNum=1, PatNum=261) == [40, 41]
    assert await nums(od, ClinicNum=2) == [179, 181]
    assert 1 in await nums(od, ClinicNum=0)
    assert await nums(od, PatNum=261, ProcStatus="TP") == [42]
    assert await nums(od, CodeNum=230) == [42, 1074]
    everything = await nums(od)
    # Every demo procedure (both demo files), in ProcNum order.
    demo = load("demo/canonical/procedure.json") + load("demo/opendental/procedure.json")
    assert everything == sorted(everything) and len(everything) == len(demo)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"PatNum": 9999}, 404),
        ({"PatNum": "x"}, 400),
        ({"AptNum": "x"}, 400),
        ({"ClinicNum": "1.5"}, 400),
        ({"ProcStatus": "Done"}, 400),
        ({"DateTStamp": "yesterday"}, 400),
        ({"Unknown": "1"}, 400),
        ({"Offset": "-1"}, 400),
    ],
)
async def test_get_many_bad_params(
    od: httpx.AsyncClient, params: dict[str, Any], status: int
) -> None:
    r = await od.get("/procedurelogs", params=params)
    assert r.status_code == status
    assert isinstance(r.json(), str)


async def test_paging_past_one_hundred(od: httpx.AsyncClient, store: Store) -> None:
    b = backend(store)
    async with b.atomic():
        for day in range(120):
            await b.create(
                Procedure(
                    patient=Ref(num=12),
                    code=Ref(num=187),
                    status=ProcedureStatus.treatment_planned,
                    procedure_date=date(2023, 1, 1) + timedelta(days=day),
                )
            )
    first = await nums(od, PatNum=12)
    second = await nums(od, PatNum=12, Offset=100)
    assert len(first) == 100 and len(second) == 23  # 20, 25 and group note 144 too
    assert first + second == sorted(set(first + second))
    assert len(await nums(od, PatNum=12, Limit=500)) == 100
    assert len(await nums(od, PatNum=12, Offset=110, Limit=5)) == 5


async def test_datetstamp_sync_with_server_datetime(od: httpx.AsyncClient) -> None:
    first = (await od.get("/procedurelogs")).json()
    watermark = first[0]["serverDateTime"]
    assert {p["serverDateTime"] for p in first} == {watermark}
    assert await nums(od, DateTStamp=watermark) == []
    assert (await od.put("/procedurelogs/42", json={"ProcFee": "199.00"})).status_code == 200
    created = (await od.post("/procedurelogs", json=D2331)).json()["ProcNum"]
    assert (await od.delete("/procedurelogs/25")).status_code == 200
    changed = (await od.get("/procedurelogs", params={"DateTStamp": watermark})).json()
    assert [p["ProcNum"] for p in changed] == [25, 42, created]
    assert changed[0]["ProcStatus"] == "D"
    assert all(p["DateTStamp"] >= watermark for p in changed)
    older = await nums(od, DateTStamp="2023-02-14 15:11:02")
    assert older[:3] == [25, 42, 863] and 862 not in older


# -- DELETE -----------------------------------------------------------------------------


async def test_delete_marks_deleted_and_detaches(od: httpx.AsyncClient) -> None:
    created = (await od.post("/procedurelogs", json={**D2331, "PatNum": 23, "AptNum": 1023})).json()
    num = created["ProcNum"]
    r = await od.delete(f"/procedurelogs/{num}")
    assert (r.status_code, r.content) == (200, b"")
    gone = (await od.get(f"/procedurelogs/{num}")).json()
    assert (gone["ProcStatus"], gone["AptNum"]) == ("D", 0)
    assert num not in await nums(od, AptNum=1023)
    assert num in await nums(od, PatNum=23, ProcStatus="D")
    again = await od.delete(f"/procedurelogs/{num}")
    assert again.status_code == 400 and "ProcStatus of D" in again.json()


async def test_delete_statuses(od: httpx.AsyncClient, store: Store) -> None:
    assert (await od.delete("/procedurelogs/20")).status_code == 200  # C
    await edit(store, Procedure, 42, status="treatment_planned_inactive")
    assert (await od.delete("/procedurelogs/42")).status_code == 200  # TPi
    before = await snapshot(store)
    for num, status in ((13073, "EO"), (865, "EC")):
        r = await od.delete(f"/procedurelogs/{num}")
        assert r.status_code == 400 and f"ProcStatus of {status}" in r.json()
    assert await snapshot(store) == before


@pytest.mark.parametrize("attachment", list(ProcedureAttachment))
async def test_delete_refused_while_attached(
    od: httpx.AsyncClient, store: Store, attachment: ProcedureAttachment
) -> None:
    await edit(store, Procedure, 25, attached_to=[attachment])
    before = await snapshot(store)
    r = await od.delete("/procedurelogs/25")
    assert r.status_code == 400 and "attached to" in r.json()
    assert await snapshot(store) == before


async def test_delete_not_found(od: httpx.AsyncClient) -> None:
    r = await od.delete("/procedurelogs/99999")
    assert (r.status_code, r.json()) == (404, "Procedure not found.")
    assert (await od.delete("/procedurelogs/x")).status_code == 400
