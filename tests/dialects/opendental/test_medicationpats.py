"""Open Dental MedicationPats (reference/opendental/apimedicationpats.md): the
documented examples and errors, then every rule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from canonical import Medication, MedicationDefinition, MedicationStatus
from dialects.opendental.medicationpats import status_for_stop
from gateway.backends.store import Store
from tests.dialects.opendental.clinical_helpers import many, snapshot
from tests.dialects.opendental.examples import check_example
from tests.support import demo_backend, examples

EXAMPLES = examples("opendental/medicationpats")
TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(od, example, "MedicationPatNum")


async def test_a_new_medname_inserts_a_generic_medication_once(
    od: httpx.AsyncClient, store: Store
) -> None:
    first = (
        await od.post("/medicationpats", json={"PatNum": 16, "medName": "Atorvastatin"})
    ).json()
    again = (
        await od.post("/medicationpats", json={"PatNum": 17, "medName": "atorvastatin"})
    ).json()
    assert first["MedicationNum"] == again["MedicationNum"] > 12
    assert again["medName"] == "Atorvastatin"
    [entry] = [
        m for m in await snapshot(store, MedicationDefinition) if m["name"] == "Atorvastatin"
    ]
    assert entry["generic_name"] == "Atorvastatin"  # "assumed to be generic rather than brand"


async def test_by_number_and_the_number_wins(od: httpx.AsyncClient) -> None:
    r = await od.post("/medicationpats", json={"PatNum": 16, "MedicationNum": 2})
    assert r.status_code == 201, r.text
    assert r.json()["medName"] == "Lisinopril 10 mg tablet"
    r = await od.post(
        "/medicationpats", json={"PatNum": 16, "MedicationNum": 12, "medName": "Aspirin"}
    )
    assert (r.json()["MedicationNum"], r.json()["medName"]) == (12, "Metformin")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"medName": "Metformin"}, 400, "PatNum is required."),
        ({"PatNum": 16}, 400, "medName is required."),
        ({"PatNum": 16, "medName": ""}, 400, "medName is required."),
        ({"PatNum": 16, "medName": "x" * 256}, 400, "medName"),
        ({"PatNum": 9999, "medName": "Brand new drug"}, 404, "Patient not found."),
        ({"PatNum": 16, "medName": "Brand new drug", "ProvNum": 999}, 404, "Provider not found."),
        ({"PatNum": 16, "medName": "Metformin", "DateStart": "02/01/2006"}, 400, "DateStart"),
        ({"PatNum": 16, "medName": "Metformin", "ProvNum": "one"}, 400, "ProvNum"),
        ({"PatNum": 16, "medName": "Metformin", "PatNote": ["x"]}, 400, "PatNote"),
        ({"PatNum": 16, "medName": "Metformin", "MedicationPatNum": 1}, 400, "MedicationPatNum"),
        ({"PatNum": 16, "medName": "Metformin", "Dosage": "500 mg"}, 400, "Dosage"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, message: str
) -> None:
    before = (await snapshot(store, Medication), await snapshot(store, MedicationDefinition))
    r = await od.post("/medicationpats", json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert (
        await snapshot(store, Medication),
        await snapshot(store, MedicationDefinition),
    ) == before


async def test_put_empty_dates_reset_and_provider_cleared(od: httpx.AsyncClient) -> None:
    r = await od.put("/medicationpats/45", json={"DateStart": "", "DateStop": "", "ProvNum": 0})
    assert r.status_code == 200, r.text
    assert (r.json()["DateStart"], r.json()["DateStop"], r.json()["ProvNum"]) == (
        "0001-01-01",
        "0001-01-01",
        0,
    )
    assert r.json()["PatNote"] == "500mg, taken twice a day."


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/medicationpats/abc", {"PatNote": "x"}, 400),
        ("/medicationpats/45", {"PatNum": 16}, 400),
        ("/medicationpats/45", {"medName": "Aspirin"}, 400),
        ("/medicationpats/45", {"MedicationNum": 2}, 400),
        ("/medicationpats/45", {"DateStop": "2022-13-01"}, 400),
        ("/medicationpats/45", {"ProvNum": -1}, 400),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient, store: Store, path: str, body: dict[str, Any], status: int
) -> None:
    before = await snapshot(store, Medication)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert await snapshot(store, Medication) == before


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({}, 400, "PatNum is required."),
        ({"PatNum": "x"}, 400, "PatNum"),
        ({"PatNum": 9999}, 404, "Patient not found."),
        ({"PatNum": 234, "MedicationNum": 12}, 400, "MedicationNum"),
    ],
)
async def test_bad_get(
    od: httpx.AsyncClient, params: dict[str, Any], status: int, message: str
) -> None:
    r = await od.get("/medicationpats", params=params)
    assert r.status_code == status, r.text
    assert message in r.json()


async def test_delete_then_gone(od: httpx.AsyncClient) -> None:
    assert (await od.delete("/medicationpats/5")).status_code == 200
    assert [m["MedicationPatNum"] for m in (await od.get("/medicationpats?PatNum=12")).json()] == [
        212
    ]
    assert (await od.delete("/medicationpats/5")).json() == "MedicationPat not found."


async def test_pages_past_100(od: httpx.AsyncClient, store: Store) -> None:
    template = await demo_backend(store).get(Medication, num=45)
    made = await many(store, template, 101, patient=16)
    first = (await od.get("/medicationpats", params={"PatNum": 16})).json()
    second = (await od.get("/medicationpats", params={"PatNum": 16, "Offset": 100})).json()
    assert [m["MedicationPatNum"] for m in first + second] == made
    assert (len(first), len(second)) == (100, 1)


# -- status from DateStop ----------------------------------------------------------

S = MedicationStatus


@pytest.mark.parametrize(
    ("stop", "status", "expected"),
    [
        (None, S.active, S.active),
        (None, S.inactive, S.active),
        (TODAY, S.active, S.active),  # stops today: still taken today
        (TODAY + timedelta(days=30), S.on_hold, S.active),
        (TODAY - timedelta(days=1), S.active, S.inactive),
        (TODAY - timedelta(days=1), S.inactive, S.inactive),
        (TODAY - timedelta(days=1), S.discontinued, S.discontinued),
        (TODAY - timedelta(days=1), S.on_hold, S.on_hold),
        (TODAY - timedelta(days=1), S.completed, S.completed),
    ],
)
def test_status_for_stop(stop: date | None, status: S, expected: S) -> None:
    assert status_for_stop(stop, status, TODAY) is expected


async def test_post_with_a_past_stop_is_inactive(od: httpx.AsyncClient, store: Store) -> None:
    r = await od.post(
        "/medicationpats", json={"PatNum": 16, "medName": "Metformin", "DateStop": "2020-01-31"}
    )
    record = await demo_backend(store).get(Medication, num=r.json()["MedicationPatNum"])
    assert record.status is S.inactive


async def test_put_sets_status_only_when_the_stop_changes(
    od: httpx.AsyncClient, store: Store
) -> None:
    backend = demo_backend(store)
    record = await backend.get(Medication, num=212)
    await backend.update(
        record.model_copy(update={"status": S.completed, "date_stopped": date(2022, 5, 11)})
    )
    # Sent back as read: the org API's "completed" stays.
    shown = (await od.get("/medicationpats?PatNum=12")).json()[-1]
    # The whole GET object is refused: it carries keys a PUT does not take.
    assert (await od.put("/medicationpats/212", json=shown)).status_code == 400
    r = await od.put("/medicationpats/212", json={"DateStop": shown["DateStop"], "PatNote": "n"})
    assert r.status_code == 200
    assert (await backend.get(Medication, num=212)).status is S.completed
    await od.put("/medicationpats/212", json={"DateStop": "2021-01-01"})
    assert (await backend.get(Medication, num=212)).status is S.completed  # still stopped
    await od.put("/medicationpats/212", json={"DateStop": ""})
    assert (await backend.get(Medication, num=212)).status is S.active
