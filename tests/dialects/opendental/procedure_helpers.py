"""Shared helpers of the procedurelog tests: the demo tenant's backend, a
snapshot of every stored procedure, edits of demo records the OD
procedurelog API cannot make (a patient's clinic, a claim attachment), the
documented field orders and a valid POST body."""

from __future__ import annotations

from typing import Any

import httpx

from canonical import Procedure, Record
from gateway.backends.store import Store
from tests.support import demo_backend, stored

backend = demo_backend


async def snapshot(store: Store) -> list[dict[str, Any]]:
    """Every procedure as stored, deleted ones included, with versions and stamps."""
    return [p.model_dump(mode="json") for p in await stored(store, Procedure)]


async def edit(store: Store, model: type[Record], num: int, **changes: Any) -> Record:
    """Change a stored record directly (demo set-up a dialect cannot express)."""
    b = backend(store)
    record = await b.get(model, num=num)
    return await b.update(model.model_validate({**record.model_dump(), **changes}))


GET_FIELDS = [
    "ProcNum",
    "PatNum",
    "AptNum",
    "ProcDate",
    "ProcFee",
    "Surf",
    "ToothNum",
    "ToothRange",
    "Priority",
    "priority",
    "ProcStatus",
    "ProvNum",
    "provAbbr",
    "Dx",
    "dxName",
    "PlannedAptNum",
    "Prosthesis",
    "DateOriginalProsth",
    "ClinicNum",
    "CodeNum",
    "procCode",
    "descript",
    "UnitQty",
    "BaseUnits",
    "DateTStamp",
    "IsDateProsthEst",
    "serverDateTime",
]
WRITE_FIELDS = [
    f for f in GET_FIELDS if f not in ("Prosthesis", "DateOriginalProsth", "IsDateProsthEst")
]

D2331 = {
    "PatNum": 29,
    "ProcDate": "2021-04-25",
    "Surf": "MO",
    "ToothNum": "4",
    "ProcStatus": "TP",
    "procCode": "D2331",
}


async def nums(od: httpx.AsyncClient, **params: Any) -> list[int]:
    r = await od.get("/procedurelogs", params=params)
    assert r.status_code == 200, r.text
    return [p["ProcNum"] for p in r.json()]
