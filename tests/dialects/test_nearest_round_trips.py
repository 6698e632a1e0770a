"""A value one dialect shows only as its nearest equivalent survives a
read-modify-write through that dialect, end to end: written through one
dialect, read and written back through another, read back through the first."""

from __future__ import annotations

from uuid import UUID

import httpx

from canonical import Gender, MaritalStatus, Patient
from gateway.backends.store import Store
from tests.support import demo_backend


async def test_drchrono_patch_sending_back_other_keeps_non_binary(
    org: httpx.AsyncClient, drc: httpx.AsyncClient, store: Store
) -> None:
    r = await org.post(
        "patients", json={"first_name": "Sam", "last_name": "Roe", "gender": "non_binary"}
    )
    assert r.status_code == 201, r.text
    uuid = r.json()["id"]
    record = await demo_backend(store).get(Patient, uuid=UUID(uuid))
    path = f"/api/patients/{record.num}"

    shown = (await drc.get(path)).json()
    assert shown["gender"] == "Other"
    # The body it was shown, sent back whole, then the gender alone.
    r = await drc.patch(path, json=shown)
    assert r.status_code == 204, r.text
    assert (await org.get(f"patients/{uuid}")).json()["gender"] == "non_binary"
    r = await drc.patch(path, json={"gender": "Other"})
    assert r.status_code == 204, r.text
    assert (await org.get(f"patients/{uuid}")).json()["gender"] == "non_binary"
    r = await drc.put(path, json={"doctor": 1, "gender": "Other"})
    assert r.status_code == 204, r.text
    assert (await demo_backend(store).get(Patient, uuid=UUID(uuid))).gender is Gender.non_binary

    # A genuinely different value changes it.
    r = await drc.patch(path, json={"gender": "Male"})
    assert r.status_code == 204, r.text
    assert (await org.get(f"patients/{uuid}")).json()["gender"] == "male"
    assert (await drc.get(path)).json()["gender"] == "Male"


async def test_org_api_patch_sending_back_single_keeps_open_dentals_child(
    od: httpx.AsyncClient, org: httpx.AsyncClient, store: Store
) -> None:
    r = await od.post("/patients", json={"LName": "Roe", "FName": "Kit", "Position": "Child"})
    assert r.status_code == 201, r.text
    num = r.json()["PatNum"]
    record = await demo_backend(store).get(Patient, num=num)
    path = f"patients/{record.uuid}"

    shown = (await org.get(path)).json()
    assert shown["marital_status"] == "single"
    r = await org.patch(path, json={"base_version": shown["version"], "marital_status": "single"})
    assert r.status_code == 200, r.text
    assert r.json()["marital_status"] == "single"
    assert (await od.get(f"/patients/{num}")).json()["Position"] == "Child"

    r = await org.patch(
        path, json={"base_version": r.json()["version"], "marital_status": "married"}
    )
    assert r.status_code == 200, r.text
    assert (await od.get(f"/patients/{num}")).json()["Position"] == "Married"
    assert (await demo_backend(store).get(Patient, num=num)).marital_status is (
        MaritalStatus.married
    )
