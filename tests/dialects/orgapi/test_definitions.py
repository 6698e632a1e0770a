"""Org API patient alert, field and tag definitions (seed 003, 15 endpoints)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import AlertDefinition, FieldDefinition, Record, TagDefinition
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/definitions")
KINDS = [
    ("patient-alert-definitions", AlertDefinition, {"name": "Latex precautions"}),
    ("patient-field-definitions", FieldDefinition, {"name": "Nickname", "field_type": "text"}),
    ("patient-tag-definitions", TagDefinition, {"name": "Referral partner"}),
]
IDS = [k[0] for k in KINDS]


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


@pytest.mark.parametrize(("segment", "model", "new"), KINDS, ids=IDS)
async def test_lifecycle(
    org: httpx.AsyncClient, segment: str, model: type[Record], new: dict[str, Any]
) -> None:
    made = (await org.post(segment, json={**new, "description": "d", "item_order": 9})).json()
    assert (made["version"], made["deleted_at"], made["description"]) == (1, None, "d")
    assert (await org.get(f"{segment}/{made['id']}")).json() == made
    updated = (
        await org.patch(f"{segment}/{made['id']}", json={"base_version": 1, "description": "e"})
    ).json()
    assert (updated["description"], updated["version"]) == ("e", 2)
    listed = (await org.get(segment)).json()
    assert listed["items"][-1]["id"] == made["id"]  # item_order 9 sorts last
    found = (await org.get(segment, params={"search": new["name"][:5].lower()})).json()
    assert [d["id"] for d in found["items"]] == [made["id"]]
    archived = (await org.post(f"{segment}/{made['id']}/archive", json={"base_version": 2})).json()
    assert archived["deleted_at"] is not None and archived["version"] == 3
    assert made["id"] not in {d["id"] for d in (await org.get(segment)).json()["items"]}
    assert (await org.get(f"{segment}/{made['id']}")).json()["deleted_at"] is not None
    r = await org.patch(f"{segment}/{made['id']}", json={"base_version": 3, "description": "f"})
    assert r.status_code == 404


@pytest.mark.parametrize(("segment", "model", "new"), KINDS, ids=IDS)
async def test_stale_version_is_409_and_changes_nothing(
    org: httpx.AsyncClient, store: Store, segment: str, model: type[Record], new: dict[str, Any]
) -> None:
    made = (await org.post(segment, json=new)).json()
    await org.patch(f"{segment}/{made['id']}", json={"base_version": 1, "description": "x"})
    before = await snapshot(store, model)
    for r in (
        await org.patch(f"{segment}/{made['id']}", json={"base_version": 1, "description": "y"}),
        await org.post(f"{segment}/{made['id']}/archive", json={"base_version": 1}),
    ):
        assert r.status_code == 409, r.text
    assert await snapshot(store, model) == before


@pytest.mark.parametrize(("segment", "model", "new"), KINDS, ids=IDS)
async def test_bad_input_changes_nothing(
    org: httpx.AsyncClient, store: Store, segment: str, model: type[Record], new: dict[str, Any]
) -> None:
    before = await snapshot(store, model)
    for body, loc in (
        ({**new, "name": ""}, "name"),
        ({**new, "name": None}, "name"),
        ({**new, "item_order": "first"}, "item_order"),
        ({**new, "surprise": 1}, "surprise"),
    ):
        r = await org.post(segment, json=body)
        assert r.status_code == 422, r.text
        assert ["body", loc] in [e["loc"] for e in r.json()["detail"]]
    r = await org.post(f"{segment}/{demo(model.resource, 999)}/archive", json={"base_version": 1})
    assert r.status_code == 404
    assert await snapshot(store, model) == before


async def test_category_filter(org: httpx.AsyncClient) -> None:
    r = await org.get("patient-alert-definitions", params={"category": "financial"})
    assert [d["name"] for d in r.json()["items"]] == ["Collections hold"]
    r = await org.get("patient-tag-definitions", params={"category": "access"})
    assert [d["name"] for d in r.json()["items"]] == ["Needs interpreter"]


async def test_field_definition_rules(org: httpx.AsyncClient) -> None:
    r = await org.post(
        "patient-field-definitions", json={"name": "Shift", "field_type": "dropdown"}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "dropdown_options"]
    r = await org.post("patient-field-definitions", json={"name": "No type"})
    assert r.json()["detail"][0]["loc"] == ["body", "field_type"]
    r = await org.post(
        "patient-field-definitions",
        json={"name": "Shift", "field_type": "dropdown", "dropdown_options": ["AM", "PM"]},
    )
    assert r.status_code == 201 and r.json()["dropdown_options"] == ["AM", "PM"]
    r = await org.post("patient-alert-definitions", json={"name": "X", "default_scope": "clinic"})
    assert r.json()["detail"][0]["loc"] == ["body", "default_scope"]


async def test_archived_alert_definition_cannot_be_chosen(org: httpx.AsyncClient) -> None:
    d = demo("alert_definition", 3)
    await org.post(f"patient-alert-definitions/{d}/archive", json={"base_version": 1})
    r = await org.post(f"patients/{demo('patient', 15)}/alerts", json={"alert_definition_uuid": d})
    assert r.status_code == 404 and r.json() == {"detail": "Alert definition not found."}
