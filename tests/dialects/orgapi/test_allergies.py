"""Org API patient allergies (seed 003): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Allergy, Cond, Query
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import backend, demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/allergies")
# Not demo patient 15: it has the Open Dental example's allergy.
PAT, OTHER = demo("patient", 16), demo("patient", 17)
BASE = f"patients/{PAT}/allergies"
PENICILLIN, LATEX = demo("allergy_definition", 1), demo("allergy_definition", 2)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def create(org: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await org.post(BASE, json={"allergy_definition_uuid": LATEX, **body})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def test_round_trip_and_catalog_name_kept_for_other_dialects(
    org: httpx.AsyncClient, store: Store
) -> None:
    a = await create(org, reaction="Hives", severity="moderate", date_adverse_reaction="2024-05-01")
    again = (await org.get(f"{BASE}/{a['id']}")).json()
    assert {**again, "interaction_warnings": []} == {**a, "interaction_warnings": []}
    assert (again["reaction"], again["severity"], again["status_is_active"]) == (
        "Hives",
        "moderate",
        True,
    )
    (record,) = (await backend(store).find(Allergy, Query([Cond("patient", "eq", 16)]))).items
    assert record.description == "Latex"  # DrChrono reads the allergen by name


async def test_is_active_filter(org: httpx.AsyncClient) -> None:
    on = await create(org)
    off = await create(org, status_is_active=False)
    ids = lambda r: [a["id"] for a in r.json()["items"]]  # noqa: E731
    assert ids(await org.get(BASE)) == [on["id"], off["id"]]
    assert ids(await org.get(BASE, params={"is_active": "true"})) == [on["id"]]
    assert ids(await org.get(BASE, params={"is_active": "false"})) == [off["id"]]
    assert (await org.get(BASE, params={"is_active": "maybe"})).status_code == 422


async def test_interaction_warning_on_create_only(org: httpx.AsyncClient) -> None:
    med = await org.post(
        f"patients/{PAT}/medications",
        json={"med_descript": "Penicillin VK 500 mg", "rx_cui": "7980"},
    )
    assert med.json()["interaction_warnings"] == []
    a = await create(org, allergy_definition_uuid=PENICILLIN)
    (warning,) = a["interaction_warnings"]
    assert warning["allergy"]["id"] == a["id"]
    assert warning["medication"]["id"] == med.json()["id"]
    assert warning["severity"] == "warning"
    assert (await org.get(f"{BASE}/{a['id']}")).json()["interaction_warnings"] == []


async def test_archive_hides_it(org: httpx.AsyncClient) -> None:
    a = await create(org)
    r = await org.post(f"{BASE}/{a['id']}/archive")
    assert r.status_code == 200 and r.json()["deleted_at"] is not None
    assert (await org.get(BASE)).json()["total"] == 0
    assert (await org.get(f"{BASE}/{a['id']}")).status_code == 404
    again = await org.post(f"{BASE}/{a['id']}/archive")
    assert again.status_code == 200 and again.json()["version"] == r.json()["version"]


async def test_update_and_stale_version(org: httpx.AsyncClient, store: Store) -> None:
    a = await create(org)
    r = await org.patch(f"{BASE}/{a['id']}", json={"base_version": 1, "severity": "severe"})
    assert (r.json()["severity"], r.json()["version"]) == ("severe", 2)
    before = await snapshot(store, Allergy)
    r = await org.patch(f"{BASE}/{a['id']}", json={"base_version": 1, "severity": "mild"})
    assert r.status_code == 409
    assert await snapshot(store, Allergy) == before


@pytest.mark.parametrize(
    ("body", "status", "loc"),
    [
        ({"base_version": 1, "reaction": 5}, 422, ["body", "reaction"]),
        ({"base_version": 1, "status_is_active": "no"}, 422, ["body", "status_is_active"]),
        ({"reaction": "x"}, 422, ["body", "base_version"]),
        ({"base_version": 1, "bogus": 1}, 422, ["body", "bogus"]),
        ({"base_version": 1, "allergy_definition_uuid": demo("allergy_definition", 99)}, 404, None),
    ],
)
async def test_bad_update_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, loc: Any
) -> None:
    a = await create(org)
    before = await snapshot(store, Allergy)
    r = await org.patch(f"{BASE}/{a['id']}", json=body)
    assert r.status_code == status, r.text
    if loc:
        assert loc in [e["loc"] for e in r.json()["detail"]]
    else:
        assert r.json() == {"detail": "Allergy definition not found."}
    assert await snapshot(store, Allergy) == before


async def test_not_found(org: httpx.AsyncClient) -> None:
    a = await create(org)
    missing = demo("patient", 99999)
    assert (await org.get(f"patients/{missing}/allergies")).json() == {
        "detail": "Patient not found."
    }
    r = await org.patch(f"patients/{OTHER}/allergies/{a['id']}", json={"base_version": 1})
    assert r.status_code == 404 and r.json() == {"detail": "Allergy not found."}
    r = await org.post(f"patients/{OTHER}/allergies/{a['id']}/archive")
    assert r.status_code == 404
