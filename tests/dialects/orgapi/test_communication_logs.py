"""Org API communication logs (seed 003): the documented examples, the
append-only rule, filters, and the round trip with Open Dental commlogs (seed 000)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Commlog, CommMode
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import backend, demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/communication_logs")
P29 = demo("patient", 29)  # a patient with no commlogs in the demo data
BASE = f"patients/{P29}/communication-logs"
WHEN = "2025-01-15T09:00:00Z"


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def log(org: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await org.post(BASE, json={"communication_datetime": WHEN, **body})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def test_defaults_and_get(org: httpx.AsyncClient) -> None:
    entry = await log(org, note="called")
    assert (entry["mode"], entry["direction"], entry["communication_source"]) == (
        None,
        "sent",
        "user",
    )
    assert entry["communication_type"] is None and entry["communication_datetime"] == WHEN
    assert (await org.get(f"{BASE}/{entry['id']}")).json() == entry
    other = await org.get(f"patients/{demo('patient', 16)}/communication-logs/{entry['id']}")
    assert other.status_code == 404 and other.json() == {"detail": "Communication log not found."}


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
async def test_append_only(org: httpx.AsyncClient, store: Store, method: str) -> None:
    entry = await log(org, note="final")
    before = await snapshot(store, Commlog)
    r = await org.request(method, f"{BASE}/{entry['id']}", json={"note": "changed"})
    assert r.status_code == 405
    assert await snapshot(store, Commlog) == before


async def test_filters(org: httpx.AsyncClient) -> None:
    a = await log(org, mode="phone", direction="received", note="Confirmed visit")
    b = await log(org, mode="email", communication_datetime="2025-02-01T10:00:00Z", note="EOB")
    c = await log(org, mode="fax", communication_datetime="2025-03-01T10:00:00+02:00")

    async def ids(**params: str) -> list[str]:
        r = await org.get(BASE, params=params)
        assert r.status_code == 200, r.text
        return [e["id"] for e in r.json()["items"]]

    assert await ids() == [a["id"], b["id"], c["id"]]
    assert await ids(mode="email") == [b["id"]]
    assert await ids(direction="received") == [a["id"]]
    assert await ids(q="confirmed") == [a["id"]]
    assert await ids(date_from="2025-01-20T00:00:00Z", date_to="2025-02-28T00:00:00Z") == [b["id"]]
    assert await ids(communication_source="automated") == []
    for bad in ({"mode": "pigeon"}, {"direction": "both"}, {"date_from": "soon"}):
        assert (await org.get(BASE, params=bad)).status_code == 422


@pytest.mark.parametrize(
    ("body", "status", "loc"),
    [
        ({"note": "x"}, 422, "communication_datetime"),
        ({"communication_datetime": "yesterday"}, 422, "communication_datetime"),
        ({"communication_datetime": WHEN, "mode": "pigeon"}, 422, "mode"),
        ({"communication_datetime": WHEN, "direction": "both"}, 422, "direction"),
        (
            {"communication_datetime": WHEN, "communication_source": "user"},
            422,
            "communication_source",
        ),
        ({"communication_datetime": WHEN, "appointment_uuid": demo("appointment", 9)}, 404, None),
        (
            # a definition of another category is not a communication type
            {"communication_datetime": WHEN, "communication_type_uuid": demo("definition", 40)},
            404,
            None,
        ),
    ],
)
async def test_bad_input_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, loc: Any
) -> None:
    before = await snapshot(store, Commlog)
    r = await org.post(BASE, json=body)
    assert r.status_code == status, r.text
    if loc:
        assert ["body", loc] in [e["loc"] for e in r.json()["detail"]]
    assert await snapshot(store, Commlog) == before


@pytest.mark.parametrize(
    ("od_mode", "od_direction", "org_mode", "org_direction"),
    [
        ("Phone", "Sent", "phone", "sent"),
        ("In Person", "Neither", "in_person", "neither"),
        ("Text", "Received", "text", "received"),
        ("Email and Text", "Received", "email", "received"),
        ("Phone and Text", "Sent", "phone", "sent"),
        ("None", "Neither", None, "neither"),
    ],
)
async def test_open_dental_commlog_appears_mapped(
    od: httpx.AsyncClient,
    org: httpx.AsyncClient,
    od_mode: str,
    od_direction: str,
    org_mode: str | None,
    org_direction: str,
) -> None:
    made = await od.post(
        "/commlogs",
        json={
            "PatNum": 29,
            "Note": "via OD",
            "Mode_": od_mode,
            "SentOrReceived": od_direction,
            "CommDateTime": "2025-01-21 11:15:00",
            "commType": "Recall",
        },
    )
    assert made.status_code == 201, made.text
    (entry,) = (await org.get(BASE)).json()["items"]
    assert (entry["mode"], entry["direction"]) == (org_mode, org_direction)
    assert entry["communication_datetime"] == "2025-01-21T19:15:00Z"  # 11:15 Los Angeles
    assert entry["communication_type"]["name"] == "Recall"
    assert entry["note"] == "via OD" and entry["communication_source"] == "user"
    # Open Dental still reads back exactly what it wrote.
    again = (await od.get(f"/commlogs/{made.json()['CommlogNum']}")).json()
    assert (again["Mode_"], again["SentOrReceived"]) == (od_mode, od_direction)


@pytest.mark.parametrize(
    ("org_mode", "od_mode"),
    [("phone", "Phone"), ("in_person", "In Person"), ("fax", "None"), (None, "None")],
)
async def test_org_entry_reads_back_through_open_dental(
    od: httpx.AsyncClient, org: httpx.AsyncClient, store: Store, org_mode: Any, od_mode: str
) -> None:
    entry = await log(
        org,
        mode=org_mode,
        direction="received",
        note="via org",
        communication_type_uuid=demo("definition", 236),
    )
    rows = (await od.get("/commlogs", params={"PatNum": 29})).json()
    (row,) = [r for r in rows if r["Note"] == "via org"]
    assert (row["Mode_"], row["SentOrReceived"], row["commType"]) == (
        od_mode,
        "Received",
        "Insurance",
    )
    assert row["CommDateTime"] == "2025-01-15 01:00:00"  # 09:00Z in Los Angeles
    assert row["CommSource"] == "User"
    # the canonical record keeps the org value (fax stays fax)
    record = await backend(store).get(Commlog, num=row["CommlogNum"])
    assert record.mode == (CommMode(org_mode) if org_mode else CommMode.none)
    assert (await org.get(f"{BASE}/{entry['id']}")).json()["mode"] == org_mode
