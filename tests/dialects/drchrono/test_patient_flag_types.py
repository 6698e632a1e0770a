"""DrChrono /api/patient_flag_types (seed 004), shared with the org API's patient
alert definitions (seed 003)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.demo import demo_uuid
from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/patient_flag_types")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "PatientFlagType")


async def test_list_and_doctor_filter(drc: httpx.AsyncClient) -> None:
    listed = (await drc.get("/api/patient_flag_types")).json()["results"]
    assert_schema(listed, "PatientFlagType")
    assert [t["id"] for t in listed] == [1, 2, 3]
    mine = (await drc.get("/api/patient_flag_types?doctor=2")).json()["results"]
    assert [t["id"] for t in mine] == [3]
    assert (await drc.get("/api/patient_flag_types?doctor=x")).status_code == 400


async def test_defaults_and_round_trip(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/patient_flag_types", data={"doctor": "1"})
    assert r.status_code == 201
    made = r.json()
    assert (made["name"], made["color"], made["priority"], made["archived"]) == (
        "",
        "",
        None,
        False,
    )
    assert (await drc.get(f"/api/patient_flag_types/{made['id']}")).json() == made


async def test_patch_and_put(drc: httpx.AsyncClient) -> None:
    r = await drc.patch("/api/patient_flag_types/2", json={"color": "#000000", "archived": True})
    assert (r.status_code, r.content) == (204, b"")
    got = (await drc.get("/api/patient_flag_types/2")).json()
    assert (got["color"], got["archived"], got["name"]) == ("#000000", False, "Collections hold")
    assert (await drc.put("/api/patient_flag_types/2", json={"name": "X"})).status_code == 400
    r = await drc.put("/api/patient_flag_types/2", json={"doctor": 2, "name": "On hold"})
    assert r.status_code == 204
    got = (await drc.get("/api/patient_flag_types/2")).json()
    assert (got["doctor"], got["name"], got["color"], got["priority"]) == (2, "On hold", "", None)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({}, "doctor"),
        ({"doctor": 99}, "doctor"),
        ({"doctor": 1, "priority": "high"}, "priority"),
        ({"doctor": 1, "name": ["a"]}, "name"),
    ],
)
async def test_bad_input_is_400_and_creates_nothing(
    drc: httpx.AsyncClient, body: dict[str, Any], key: str
) -> None:
    r = await drc.post("/api/patient_flag_types", json=body)
    assert r.status_code == 400 and key in r.json()
    assert len((await drc.get("/api/patient_flag_types")).json()["results"]) == 3


async def test_patch_may_not_clear_the_doctor(drc: httpx.AsyncClient) -> None:
    r = await drc.patch("/api/patient_flag_types/1", json={"doctor": None})
    assert r.status_code == 400 and "doctor" in r.json()
    assert (await drc.get("/api/patient_flag_types/1")).json()["doctor"] == 1


async def test_delete_is_not_offered(drc: httpx.AsyncClient) -> None:
    assert (await drc.delete("/api/patient_flag_types/1")).status_code == 405


# -- the org API's alert definitions are the same records ------------------------


async def test_org_definition_read_and_changed_through_drchrono(
    drc: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    r = await org.post(
        "/patient-alert-definitions",
        json={"name": "Latex allergy", "category": "medical", "description": "No latex gloves",
              "default_is_urgent": True, "item_order": 4},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    created = r.json()
    num = next(
        t["id"]
        for t in (await drc.get("/api/patient_flag_types")).json()["results"]
        if t["name"] == "Latex allergy"
    )
    flag = (await drc.get(f"/api/patient_flag_types/{num}")).json()
    assert (flag["doctor"], flag["color"], flag["archived"]) == (None, "", False)
    r = await drc.patch(
        f"/api/patient_flag_types/{num}", json={"doctor": 1, "color": "#123456", "priority": 2}
    )
    assert r.status_code == 204
    back = (await org.get(f"/patient-alert-definitions/{created['id']}")).json()
    unchanged = {k: v for k, v in created.items() if k not in ("updated_at", "version")}
    assert {k: back[k] for k in unchanged} == unchanged
    assert back["version"] == created["version"] + 1
    # Archived through the org API: DrChrono reads archived, still by id and in the list.
    r = await org.post(
        f"/patient-alert-definitions/{created['id']}/archive",
        json={"base_version": back["version"]},
    )
    assert r.status_code == 200, r.text
    assert (await drc.get(f"/api/patient_flag_types/{num}")).json()["archived"] is True
    listed = (await drc.get("/api/patient_flag_types")).json()["results"]
    assert [t["archived"] for t in listed if t["id"] == num] == [True]


async def test_drchrono_flag_type_used_by_an_org_patient_alert(
    drc: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    made = (await drc.post("/api/patient_flag_types", json={"doctor": 1, "name": "VIP"})).json()
    patient = demo_uuid("patient", 15)
    defs = (await org.get("/patient-alert-definitions", params={"page_size": 100})).json()
    uuid = next(d["id"] for d in defs["items"] if d["name"] == "VIP")
    r = await org.post(f"/patients/{patient}/alerts", json={"alert_definition_uuid": uuid})
    assert r.status_code == 201, r.text
    assert r.json()["alert_definition"]["name"] == made["name"]
