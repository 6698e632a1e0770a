"""DrChrono /api/comm_logs (seed 004): phone call logs over canonical commlogs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/comm_logs")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "PhoneCallLog")


async def post(drc: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await drc.post("/api/comm_logs", json={"doctor": 1, "patient": 1, **body})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_filters(drc: httpx.AsyncClient) -> None:
    a = await post(drc, doctor=2, patient=15)
    found = (await drc.get("/api/comm_logs", params={"doctor": 2})).json()["results"]
    assert [c["id"] for c in found] == [a["id"]]
    assert_schema(found, "PhoneCallLog")
    by_patient = (await drc.get("/api/comm_logs", params={"patient": 15})).json()["results"]
    assert a["id"] in [c["id"] for c in by_patient] and {c["patient"] for c in by_patient} == {15}
    since = (await drc.get("/api/comm_logs", params={"since": a["updated_at"]})).json()
    assert [c["id"] for c in since["results"]] == [a["id"]]


async def test_scheduled_time_follows_the_appointment(drc: httpx.AsyncClient, store: Any) -> None:
    from datetime import UTC, datetime

    from canonical import Appointment, Ref

    backend = store.for_tenant(store.get_tenant("demo"))
    appt = await backend.create(
        Appointment(patient=Ref(num=1), starts_at=datetime(2024, 5, 6, 17, 0, tzinfo=UTC))
    )
    a = await post(drc, appointment=appt.num, scheduled_time="2020-01-01T00:00:00")
    assert a["scheduled_time"] == "2024-05-06T10:00:00"  # tenant wall time (PDT)
    b = await post(drc)
    assert b["scheduled_time"] is not None


async def test_type_is_a_commlog_type_name(drc: httpx.AsyncClient) -> None:
    a = await post(drc, type="Financial")
    assert a["type"] == "Financial"
    r = await drc.post("/api/comm_logs", json={"doctor": 1, "patient": 1, "type": "Gossip"})
    assert r.status_code == 400 and r.json() == {
        "type": ["Object with name=Gossip does not exist."]
    }


async def test_validation(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/comm_logs", json={"message": "x"})
    assert r.status_code == 400
    assert r.json() == {
        "doctor": ["This field is required."],
        "patient": ["This field is required."],
    }
    r = await drc.post("/api/comm_logs", json={"doctor": 1, "patient": 1, "cash_charged": "lots"})
    assert r.status_code == 400 and list(r.json()) == ["cash_charged"]
    r = await drc.post("/api/comm_logs", json={"doctor": 1, "patient": 99999})
    assert r.status_code == 400 and r.json() == {
        "patient": ['Invalid pk "99999" - object does not exist.']
    }


async def test_read_only_keys_and_no_delete(drc: httpx.AsyncClient) -> None:
    a = await post(drc, archived=True, author=13)
    assert (a["archived"], a["author"]) == (False, None)
    assert (await drc.delete(f"/api/comm_logs/{a['id']}")).status_code == 405


async def test_decimals_are_two_place_strings(drc: httpx.AsyncClient) -> None:
    for given, shown in ((3, "3.00"), (2.5, "2.50"), ("7.129", "7.12"), ("", "0.00")):
        assert (await post(drc, cash_charged=given))["cash_charged"] == shown
