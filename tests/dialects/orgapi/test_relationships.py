"""Org API patient relationships, dependents and guardians (seed 003)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Relationship
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/relationships")
P15, P16, P23 = demo("patient", 15), demo("patient", 16), demo("patient", 23)
BASE = f"patients/{P15}/relationships"


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def relate(org: httpx.AsyncClient, to: str = P16, **body: Any) -> dict[str, Any]:
    r = await org.post(BASE, json={"relationship_type": "parent", "to_patient_uuid": to, **body})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def test_directional_with_names(org: httpx.AsyncClient) -> None:
    rel = await relate(org, is_guardian=True, note="mother")
    assert rel["from_patient"] == {"id": P15, "name": "John Smith"}
    assert (rel["to_patient"]["id"], rel["to_patient_name"]) == (P16, "Jane Smith")
    assert rel["from_patient_name"] == "John Smith"
    assert (await org.get(f"patients/{P16}/relationships")).json()["total"] == 0
    assert (await org.get(BASE)).json()["items"] == [rel]


async def test_dependents_and_guardians(org: httpx.AsyncClient) -> None:
    guardian = await relate(org, is_guardian=True)
    await relate(org, P23, relationship_type="sibling")
    deps = (await org.get(f"patients/{P15}/dependents")).json()
    assert [d["id"] for d in deps] == [guardian["id"]]
    assert [g["id"] for g in (await org.get(f"patients/{P16}/guardians")).json()] == [
        guardian["id"]
    ]
    assert (await org.get(f"patients/{P23}/guardians")).json() == []
    await org.post(f"{BASE}/{guardian['id']}/archive")
    assert (await org.get(f"patients/{P15}/dependents")).json() == []
    missing = demo("patient", 99999)
    for view in ("dependents", "guardians"):
        r = await org.get(f"patients/{missing}/{view}")
        assert r.status_code == 404 and r.json() == {"detail": "Patient not found."}


async def test_update_null_leaves_type_and_clears_guardian(org: httpx.AsyncClient) -> None:
    rel = await relate(org, is_guardian=True)
    r = await org.patch(
        f"{BASE}/{rel['id']}",
        json={"base_version": 1, "relationship_type": None, "is_guardian": None, "note": "x"},
    )
    got = r.json()
    assert (got["relationship_type"], got["is_guardian"], got["note"]) == ("parent", None, "x")


@pytest.mark.parametrize(
    ("body", "status", "loc"),
    [
        ({"relationship_type": "cousin", "to_patient_uuid": P16}, 422, "relationship_type"),
        ({"relationship_type": "parent"}, 422, "to_patient_uuid"),
        ({"relationship_type": "parent", "to_patient_uuid": P15}, 422, "to_patient_uuid"),
        (
            {"relationship_type": "parent", "to_patient_uuid": P16, "is_guardian": 1},
            422,
            "is_guardian",
        ),
        ({"relationship_type": "parent", "to_patient_uuid": demo("patient", 99999)}, 404, None),
    ],
)
async def test_bad_create_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, loc: Any
) -> None:
    before = await snapshot(store, Relationship)
    r = await org.post(BASE, json=body)
    assert r.status_code == status, r.text
    if loc:
        assert ["body", loc] in [e["loc"] for e in r.json()["detail"]]
    else:
        assert r.json() == {"detail": "Target patient not found."}
    assert await snapshot(store, Relationship) == before


async def test_stale_version_and_not_found(org: httpx.AsyncClient, store: Store) -> None:
    rel = await relate(org)
    await org.patch(f"{BASE}/{rel['id']}", json={"base_version": 1, "note": "a"})
    before = await snapshot(store, Relationship)
    r = await org.patch(f"{BASE}/{rel['id']}", json={"base_version": 1, "note": "b"})
    assert r.status_code == 409
    assert await snapshot(store, Relationship) == before
    r = await org.patch(f"patients/{P16}/relationships/{rel['id']}", json={"base_version": 2})
    assert r.status_code == 404 and r.json() == {"detail": "Relationship not found."}
