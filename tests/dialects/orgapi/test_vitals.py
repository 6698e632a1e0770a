"""Org API vital signs (seed 003): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import VitalSign
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/vitals")
P15 = demo("patient", 15)
BASE = f"patients/{P15}/vital-signs"


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def record(org: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await org.post(BASE, json={"date_taken": "2025-01-15", **body})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def test_numbers_in_decimal_strings_out(org: httpx.AsyncClient) -> None:
    v = await record(
        org, bmi=22.5, height_inches=70, weight_lbs="155.4", temperature_f=98.6, time_taken="09:30"
    )
    assert (v["bmi"], v["height_inches"], v["weight_lbs"], v["temperature_f"]) == (
        "22.5",
        "70",
        "155.4",
        "98.6",
    )
    assert v["time_taken"] == "09:30:00"
    assert (await org.get(f"{BASE}/{v['id']}")).json() == v


@pytest.mark.parametrize(
    ("body", "flags", "blocking"),
    [
        ({"bp_systolic": 120, "bp_diastolic": 80, "oxygen_saturation": 98}, [], False),
        ({"bp_systolic": 185, "bp_diastolic": 100}, [("blood_pressure", "critical")], True),
        ({"bp_systolic": 150, "bp_diastolic": 95}, [("blood_pressure", "warning")], False),
        ({"oxygen_saturation": 92}, [("oxygen_saturation", "critical")], True),
        (
            {"pulse": 130, "temperature_f": 101, "respiration_rate": 30},
            [("pulse", "warning"), ("temperature_f", "warning"), ("respiration_rate", "warning")],
            False,
        ),
    ],
)
async def test_abnormal_flags(
    org: httpx.AsyncClient, body: dict[str, Any], flags: list[tuple[str, str]], blocking: bool
) -> None:
    v = await record(org, **body)
    assert [(f["vital"], f["severity"]) for f in v["abnormal_flags"]] == flags
    assert v["is_procedure_blocking"] is blocking


async def test_listing_by_date_with_range(org: httpx.AsyncClient) -> None:
    late = await record(org, date_taken="2025-03-01")
    early = await record(org, date_taken="2025-01-01")
    mid = await record(org, date_taken="2025-02-01")
    ids = lambda r: [v["id"] for v in r.json()["items"]]  # noqa: E731
    assert ids(await org.get(BASE)) == [early["id"], mid["id"], late["id"]]
    r = await org.get(BASE, params={"date_from": "2025-01-15", "date_to": "2025-02-28"})
    assert ids(r) == [mid["id"]]
    assert (await org.get(BASE, params={"date_from": "soon"})).status_code == 422


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"date_taken": "2025-13-01"}, "date_taken"),
        ({"date_taken": "2025-01-01", "pulse": "fast"}, "pulse"),
        ({"date_taken": "2025-01-01", "bmi": "heavy"}, "bmi"),
        ({"date_taken": "2025-01-01", "oxygen_saturation": 101}, "oxygen_saturation"),
        ({"date_taken": "2025-01-01", "time_taken": "9am"}, "time_taken"),
        ({"date_taken": "2025-01-01", "abnormal_flags": []}, "abnormal_flags"),
    ],
)
async def test_bad_input_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], loc: str
) -> None:
    before = await snapshot(store, VitalSign)
    r = await org.post(BASE, json=body)
    assert r.status_code == 422, r.text
    assert ["body", loc] in [e["loc"] for e in r.json()["detail"]]
    assert await snapshot(store, VitalSign) == before


async def test_update_clears_with_null_and_checks_version(
    org: httpx.AsyncClient, store: Store
) -> None:
    v = await record(org, pulse=70, note="ok")
    r = await org.patch(f"{BASE}/{v['id']}", json={"base_version": 1, "pulse": None})
    assert (r.json()["pulse"], r.json()["note"], r.json()["version"]) == (None, "ok", 2)
    before = await snapshot(store, VitalSign)
    r = await org.patch(f"{BASE}/{v['id']}", json={"base_version": 1, "pulse": 80})
    assert r.status_code == 409
    assert await snapshot(store, VitalSign) == before


async def test_not_found(org: httpx.AsyncClient) -> None:
    v = await record(org)
    other = f"patients/{demo('patient', 16)}/vital-signs/{v['id']}"
    assert (await org.get(other)).json() == {"detail": "Vital signs not found."}
    await org.post(f"{BASE}/{v['id']}/archive")
    assert (await org.get(f"{BASE}/{v['id']}")).status_code == 404
