"""ProcedureLogs GroupNote POST, PUT and DELETE (seed 002)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Procedure
from gateway.backends.store import Store
from tests.dialects.opendental.procedure_helpers import backend, snapshot

NOTE = {"PatNum": 52, "ProcNums": [1470, 1472], "Note": "Medical: no changes"}


async def test_post_creates_a_group_note_procedure(od: httpx.AsyncClient, store: Store) -> None:
    r = await od.post("/procedurelogs/GroupNote", json={**NOTE, "ProcNums": [1470, 1472, 1470]})
    assert r.status_code == 201, r.text
    assert r.json() == NOTE  # the repeated 1470 is dropped
    group = (await od.get(r.headers["location"].split("/api/v1")[1])).json()
    member = (await od.get("/procedurelogs/1470")).json()
    assert (group["procCode"], group["descript"], group["ProcStatus"]) == (
        "~GRP~",
        "Group Note",
        "EC",
    )
    for same in ("PatNum", "ProcDate", "ClinicNum", "ProvNum"):
        assert group[same] == member[same]
    stored = await backend(store).get(Procedure, num=group["ProcNum"])
    assert (stored.note, stored.group_members) == ("Medical: no changes", [1470, 1472])


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"ProcNums": [1470, 1471]}, 400, "same ProcDate, ClinicNum and ProvNum"),
        ({"ProcNums": [1470, 20]}, 400, "ProcNum 20"),
        ({"ProcNums": [1470, 99999]}, 404, "Procedure not found"),
        ({"ProcNums": []}, 400, "ProcNums"),
        ({"ProcNums": "1470,1472"}, 400, "ProcNums"),
        ({"ProcNums": [1470, "x"]}, 400, "ProcNums"),
        ({"ProcNums": None}, 400, "ProcNums"),
        ({"Note": None}, 400, "Note"),
        ({"Note": "  "}, 400, "Note"),
        ({"Note": 5}, 400, "Note"),
        ({"PatNum": None}, 400, "PatNum"),
        ({"PatNum": "x"}, 400, "PatNum"),
        ({"PatNum": 9999}, 404, "Patient not found."),
        ({"isSigned": "true"}, 400, "isSigned"),
        ({"PatNum": 30, "ProcNums": [862, 865]}, 400, "ProcNum 865 is a group note"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, change: dict[str, Any], status: int, message: str
) -> None:
    body = {k: v for k, v in {**NOTE, **change}.items() if v is not None}
    before = await snapshot(store)
    r = await od.post("/procedurelogs/GroupNote", json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert await snapshot(store) == before


async def test_post_refuses_deleted_members(od: httpx.AsyncClient) -> None:
    assert (await od.delete("/procedurelogs/25")).status_code == 200
    r = await od.post(
        "/procedurelogs/GroupNote", json={"PatNum": 12, "ProcNums": [25], "Note": "n"}
    )
    assert r.status_code == 400 and "deleted" in r.json()


async def test_put_in_both_documented_forms(od: httpx.AsyncClient) -> None:
    seed = await od.put(
        "/procedurelogs/GroupNote", json={"PatNum": 30, "ProcNum": 865, "Note": "A"}
    )
    assert (seed.status_code, seed.json()["Note"]) == (200, "A")
    full = await od.put("/procedurelogs/865/GroupNote", json={"PatNum": 30, "Note": "B"})
    assert (full.status_code, full.json()) == (
        200,
        {"PatNum": 30, "ProcNums": [862, 863], "Note": "B"},
    )


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/procedurelogs/GroupNote", {"PatNum": 30, "ProcNum": 862, "Note": "x"}, 400, "~GRP~"),
        ("/procedurelogs/GroupNote", {"PatNum": 52, "ProcNum": 865, "Note": "x"}, 400, "PatNum"),
        (
            "/procedurelogs/GroupNote",
            {"PatNum": 30, "ProcNum": 99999, "Note": "x"},
            404,
            "Procedure not found.",
        ),
        (
            "/procedurelogs/GroupNote",
            {"PatNum": 9999, "ProcNum": 865, "Note": "x"},
            404,
            "Patient not found.",
        ),
        ("/procedurelogs/GroupNote", {"PatNum": 30, "Note": "x"}, 400, "ProcNum"),
        ("/procedurelogs/GroupNote", {"PatNum": 30, "ProcNum": 865}, 400, "Note"),
        ("/procedurelogs/GroupNote", {"PatNum": 30, "ProcNum": 865, "Note": ""}, 400, "Note"),
        ("/procedurelogs/GroupNote", {"PatNum": 30, "ProcNum": "x", "Note": "n"}, 400, "ProcNum"),
        ("/procedurelogs/GroupNote", {"PatNum": 30, "ProcNum": 865, "Note": "n", "X": 1}, 400, "X"),
        (
            "/procedurelogs/865/GroupNote",
            {"PatNum": 30, "ProcNum": 865, "Note": "n"},
            400,
            "ProcNum",
        ),
        ("/procedurelogs/abc/GroupNote", {"PatNum": 30, "Note": "n"}, 400, "ProcNum"),
        ("/procedurelogs/144/GroupNote", {"PatNum": 30, "Note": "n"}, 400, "PatNum"),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient,
    store: Store,
    path: str,
    body: dict[str, Any],
    status: int,
    message: str,
) -> None:
    before = await snapshot(store)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert await snapshot(store) == before


async def test_delete_group_note(od: httpx.AsyncClient, store: Store) -> None:
    r = await od.delete("/procedurelogs/865/GroupNote")
    assert (r.status_code, r.content) == (200, b"")
    assert (await od.get("/procedurelogs/865")).json()["ProcStatus"] == "D"
    assert (await od.get("/procedurelogs/862")).json()["ProcStatus"] == "C"
    before = await snapshot(store)
    again = await od.delete("/procedurelogs/865/GroupNote")
    assert again.status_code == 400 and "deleted" in again.json()
    put = await od.put("/procedurelogs/865/GroupNote", json={"PatNum": 30, "Note": "n"})
    assert put.status_code == 400
    assert await snapshot(store) == before


@pytest.mark.parametrize(
    ("num", "status", "message"),
    [("862", 400, "~GRP~"), ("99999", 404, "Procedure not found."), ("x", 400, "ProcNum")],
)
async def test_bad_delete_changes_nothing(
    od: httpx.AsyncClient, store: Store, num: str, status: int, message: str
) -> None:
    before = await snapshot(store)
    r = await od.delete(f"/procedurelogs/{num}/GroupNote")
    assert r.status_code == status, r.text
    assert message in r.json()
    assert await snapshot(store) == before
