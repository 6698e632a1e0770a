"""DrChrono /api/tasks (seed 004) over canonical tasks."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/tasks")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "Task")


async def post(drc: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await drc.post("/api/tasks", json={"title": "T", "status": 1, **body})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def ids(drc: httpx.AsyncClient, **params: Any) -> list[int]:
    r = await drc.get("/api/tasks", params={"page_size": 1000, **params})
    assert r.status_code == 200, r.text
    assert_schema(r.json()["results"], "Task")
    return [t["id"] for t in r.json()["results"]]


async def test_priorities(drc: httpx.AsyncClient) -> None:
    for level in (10, 20, 30, 40):
        assert (await post(drc, priority=level))["priority"] == level
    r = await drc.post("/api/tasks", json={"title": "T", "status": 1, "priority": 25})
    assert r.status_code == 400 and list(r.json()) == ["priority"]


async def test_status_sets_the_canonical_status(
    drc: httpx.AsyncClient, od: httpx.AsyncClient
) -> None:
    a = await post(drc, status=3)  # On Hold
    od_task = (await od.get(f"/tasks/{a['id']}")).json()
    assert od_task["TaskStatus"] == "Viewed"
    assert (await drc.patch(f"/api/tasks/{a['id']}", json={"status": 4})).status_code == 204
    od_task = (await od.get(f"/tasks/{a['id']}")).json()
    assert od_task["TaskStatus"] == "Done" and od_task["DateTimeFinished"] != "0001-01-01 00:00:00"
    # Back to open through Open Dental: DrChrono shows the practice's open status.
    r = await od.put(f"/tasks/{a['id']}", json={"TaskStatus": "New"})
    assert r.status_code == 200, r.text
    assert (await drc.get(f"/api/tasks/{a['id']}")).json()["status"] == 1
    r = await drc.patch(f"/api/tasks/{a['id']}", json={"status": 99})
    assert r.status_code == 400 and list(r.json()) == ["status"]


async def test_filters(drc: httpx.AsyncClient) -> None:
    a = await post(
        drc,
        assignee_user=12,
        assignee_group=2,
        category=74,
        status=2,
        due_date={"time": "2025-03-04T15:00:00"},
    )
    b = await post(drc, category=74)
    assert await ids(drc, assignee_user=12) == [a["id"]]
    assert await ids(drc, assignee_group=2) == [a["id"]]
    assert a["id"] in await ids(drc, status=2) and b["id"] not in await ids(drc, status=2)
    assert b["id"] in await ids(drc, status=1)
    assert {a["id"], b["id"]} <= set(await ids(drc, category=74))
    assert await ids(drc, due_at_date="2025-03-04") == [a["id"]]
    assert await ids(drc, due_at_range="2025-03-01/2025-03-04") == [a["id"]]
    assert await ids(drc, due_at_range="2025-03-05/2025-03-09") == []
    assert await ids(drc, due_at_since="2025-03-04T14:59:00") == [a["id"]]
    unknown = await ids(drc, due_at_unknown="true")
    assert b["id"] in unknown and a["id"] not in unknown
    assert set(await ids(drc, since=b["updated_at"])) >= {b["id"]}
    r = await drc.get("/api/tasks", params={"due_at_range": "2025-03-01"})
    assert r.status_code == 400 and list(r.json()) == ["due_at_range"]


async def test_archived_hidden_unless_asked(drc: httpx.AsyncClient) -> None:
    a = await post(drc, archived=True)
    assert a["id"] not in await ids(drc)
    assert a["id"] in await ids(drc, show_archived="true")
    assert (await drc.get(f"/api/tasks/{a['id']}")).status_code == 200


async def test_items_and_notes(drc: httpx.AsyncClient) -> None:
    a = await post(
        drc,
        associated_items=[
            {"type": "Patient", "value": 1},
            {"type": "Document", "value": 77},
        ],
        notes=[{"text": "one"}],
    )
    assert [(i["type"], i["value"]) for i in a["associated_items"]] == [
        ("Patient", 1),
        ("Document", 77),
    ]
    path = f"/api/tasks/{a['id']}"
    # Sending back the notes read adds nothing; a note without id is added.
    r = await drc.patch(path, json={"notes": [*a["notes"], {"text": "two"}]})
    assert r.status_code == 204
    assert [n["text"] for n in (await drc.get(path)).json()["notes"]] == ["one", "two"]
    r = await drc.patch(path, json={"associated_items": [{"type": "Planet", "value": 1}]})
    assert r.status_code == 400 and list(r.json()) == ["associated_items"]


async def test_required(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/tasks", json={})
    assert r.status_code == 400 and r.json() == {
        "status": ["This field is required."],
        "title": ["This field is required."],
    }
    assert (await drc.delete("/api/tasks/1408")).status_code == 405
