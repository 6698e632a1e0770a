"""Tag assignments (the route the org API's tag filter needs; see dialects/orgapi/tags.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import TagAssignment
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/tags")
P15, P23 = demo("patient", 15), demo("patient", 23)
VIP, INTERPRETER = demo("tag_definition", 1), demo("tag_definition", 2)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def tagged(org: httpx.AsyncClient, tag: str) -> list[str]:
    r = await org.get("patients", params={"tag_definition_uuid": tag})
    assert r.status_code == 200, r.text
    return [p["id"] for p in r.json()["items"]]


async def test_assignment_drives_the_patient_list_filter(org: httpx.AsyncClient) -> None:
    assert await tagged(org, INTERPRETER) == []
    made = await org.post(f"patients/{P23}/tags", json={"tag_definition_uuid": INTERPRETER})
    assert made.status_code == 201
    assert made.json()["tag_definition"] == {"id": INTERPRETER, "name": "Needs interpreter"}
    assert await tagged(org, INTERPRETER) == [P23]
    await org.post(f"patients/{P23}/tags/{made.json()['id']}/archive")
    assert await tagged(org, INTERPRETER) == []
    again = await org.post(f"patients/{P23}/tags", json={"tag_definition_uuid": INTERPRETER})
    assert again.status_code == 201  # a removed tag can be assigned again


async def test_bad_input_changes_nothing(org: httpx.AsyncClient, store: Store) -> None:
    before = await snapshot(store, TagAssignment)
    for body, status in (
        ({}, 422),
        ({"tag_definition_uuid": "x"}, 422),
        ({"tag_definition_uuid": demo("tag_definition", 99)}, 404),
        ({"tag_definition_uuid": VIP}, 409),
    ):
        r = await org.post(f"patients/{P15}/tags", json=body)
        assert r.status_code == status, r.text
    missing = await org.post(
        f"patients/{demo('patient', 99999)}/tags", json={"tag_definition_uuid": VIP}
    )
    assert missing.status_code == 404
    assert await snapshot(store, TagAssignment) == before
