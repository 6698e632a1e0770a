"""Org API patient alerts (seed 003): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Patient, PatientAlert, Ref
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import backend, demo, run_example, snapshot
from tests.dialects.orgapi.schemas import assert_schema
from tests.support import examples

EXAMPLES = examples("orgapi/alerts")
P15, P16 = demo("patient", 15), demo("patient", 16)
BASE = f"patients/{P15}/alerts"
PREMED, COLLECTIONS = demo("alert_definition", 1), demo("alert_definition", 2)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def create(org: httpx.AsyncClient, patient: str = P15, **body: Any) -> dict[str, Any]:
    r = await org.post(f"patients/{patient}/alerts", json={"alert_definition_uuid": PREMED, **body})
    assert r.status_code == 201, r.text
    return r.json()


async def test_create_takes_the_definitions_defaults(org: httpx.AsyncClient) -> None:
    a = await create(org)
    assert (a["alert_scope"], a["is_urgent"], a["status"]) == ("patient", True, "active")
    assert a["alert_definition"] == {"id": PREMED, "name": "Premedication required"}
    b = await create(org, alert_definition_uuid=COLLECTIONS)
    assert (b["alert_scope"], b["is_urgent"]) == ("family", False)
    c = await create(org, alert_definition_uuid=COLLECTIONS, alert_scope="patient", is_urgent=True)
    assert (c["alert_scope"], c["is_urgent"]) == ("patient", True)


async def test_get_one_and_other_patients_alert_is_not_found(org: httpx.AsyncClient) -> None:
    a = await create(org)
    r = await org.get(f"{BASE}/{a['id']}")
    assert r.status_code == 200 and r.json() == a
    r = await org.get(f"patients/{P16}/alerts/{a['id']}")
    assert r.status_code == 404 and r.json() == {"detail": "Alert not found."}
    assert (await org.get(f"{BASE}/not-a-uuid")).status_code == 404


async def test_listing_hides_archived_unless_asked(org: httpx.AsyncClient) -> None:
    kept, gone = await create(org, note="kept"), await create(org, note="gone")
    assert (await org.post(f"{BASE}/{gone['id']}/archive")).json()["status"] == "archived"
    listed = (await org.get(BASE)).json()
    assert [a["id"] for a in listed["items"]] == [kept["id"]]
    archived = (await org.get(BASE, params={"status": "archived"})).json()
    assert [a["id"] for a in archived["items"]] == [gone["id"]]
    assert (await org.get(BASE, params={"status": "gone"})).status_code == 422


async def test_include_family_adds_family_scoped_alerts_of_members(
    org: httpx.AsyncClient, store: Store
) -> None:
    b = backend(store)
    p16 = await b.get(Patient, num=16)
    await b.update(p16.model_copy(update={"guarantor": Ref(num=15)}))
    mine = await create(org)
    shared = await create(org, P16, alert_definition_uuid=COLLECTIONS)
    private = await create(org, P16, alert_scope="patient")
    plain = (await org.get(BASE)).json()
    assert [a["id"] for a in plain["items"]] == [mine["id"]]
    fam = (await org.get(BASE, params={"include_family": "true"})).json()
    assert [a["id"] for a in fam["items"]] == [mine["id"], shared["id"]]
    assert fam["total"] == 2 and private["id"] not in {a["id"] for a in fam["items"]}


async def test_update_and_status_stamps(org: httpx.AsyncClient) -> None:
    a = await create(org)
    r = await org.patch(
        f"{BASE}/{a['id']}", json={"base_version": 1, "status": "disabled", "note": "n"}
    )
    got = r.json()
    assert got["status"] == "disabled" and got["date_disabled"] is not None
    assert got["version"] == 2 and got["note"] == "n"
    r = await org.patch(f"{BASE}/{a['id']}", json={"base_version": 2, "status": "active"})
    assert r.json()["date_disabled"] is None


async def test_disable_sets_date(org: httpx.AsyncClient) -> None:
    a = await create(org)
    r = await org.post(f"{BASE}/{a['id']}/disable", json={"base_version": 1})
    assert r.json()["status"] == "disabled" and r.json()["date_disabled"].endswith("Z")


@pytest.mark.parametrize("action", ["patch", "disable"])
async def test_stale_base_version_is_409_and_changes_nothing(
    org: httpx.AsyncClient, store: Store, action: str
) -> None:
    a = await create(org)
    await org.patch(f"{BASE}/{a['id']}", json={"base_version": 1, "note": "v2"})
    before = await snapshot(store, PatientAlert)
    if action == "patch":
        r = await org.patch(f"{BASE}/{a['id']}", json={"base_version": 1, "note": "late"})
    else:
        r = await org.post(f"{BASE}/{a['id']}/disable", json={"base_version": 1})
    assert r.status_code == 409, r.text
    assert_schema(r.json(), "error.json")
    assert await snapshot(store, PatientAlert) == before


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "alert_definition_uuid"]),
        ({"alert_definition_uuid": PREMED, "alert_scope": "ward"}, ["body", "alert_scope"]),
        ({"alert_definition_uuid": PREMED, "is_urgent": "yes"}, ["body", "is_urgent"]),
        ({"alert_definition_uuid": PREMED, "status": "active"}, ["body", "status"]),
        ({"alert_definition_uuid": "nope"}, ["body", "alert_definition_uuid"]),
    ],
)
async def test_bad_create_is_422_and_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], loc: list[str]
) -> None:
    before = await snapshot(store, PatientAlert)
    r = await org.post(BASE, json=body)
    assert r.status_code == 422, r.text
    assert loc in [e["loc"] for e in r.json()["detail"]]
    assert await snapshot(store, PatientAlert) == before


async def test_missing_patient_is_404(org: httpx.AsyncClient) -> None:
    missing = demo("patient", 99999)
    for r in (
        await org.get(f"patients/{missing}/alerts"),
        await org.post(f"patients/{missing}/alerts", json={"alert_definition_uuid": PREMED}),
        await org.post(f"patients/{missing}/alerts/bulk-dismiss", json={"alert_uuids": []}),
    ):
        assert r.status_code == 404 and r.json() == {"detail": "Patient not found."}


async def test_bulk_dismiss_archives_all_and_skips_archived(org: httpx.AsyncClient) -> None:
    a, b = await create(org), await create(org)
    await org.post(f"{BASE}/{a['id']}/archive")
    r = await org.post(f"{BASE}/bulk-dismiss", json={"alert_uuids": [a["id"], b["id"]]})
    assert r.status_code == 200
    assert [x["status"] for x in r.json()] == ["archived", "archived"]
    assert r.json()[0]["version"] == 2  # already archived: skipped, not rewritten


async def test_bulk_dismiss_is_all_or_nothing(org: httpx.AsyncClient, store: Store) -> None:
    mine, theirs = await create(org), await create(org, P16)
    before = await snapshot(store, PatientAlert)
    r = await org.post(f"{BASE}/bulk-dismiss", json={"alert_uuids": [mine["id"], theirs["id"]]})
    assert r.status_code == 404, r.text
    assert await snapshot(store, PatientAlert) == before


async def test_bulk_dismiss_limits(org: httpx.AsyncClient) -> None:
    many = [demo("patient_alert", i) for i in range(51)]
    r = await org.post(f"{BASE}/bulk-dismiss", json={"alert_uuids": many})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "alert_uuids"]
    r = await org.post(f"{BASE}/bulk-dismiss", json={"alert_uuids": ["x"]})
    assert r.json()["detail"][0]["loc"] == ["body", "alert_uuids", 0]


async def test_idempotent_create(org: httpx.AsyncClient, store: Store) -> None:
    headers = {"Idempotency-Key": "alert-1"}
    body = {"alert_definition_uuid": PREMED}
    first = await org.post(BASE, json=body, headers=headers)
    again = await org.post(BASE, json=body, headers=headers)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = await org.post(BASE, json={**body, "note": "x"}, headers=headers)
    assert other.status_code == 409
    assert len(await snapshot(store, PatientAlert)) == 1
