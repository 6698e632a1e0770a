"""DrChrono task categories, statuses, notes and templates (seed 004)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from dialects.codec import CodecContext
from dialects.drchrono.task_setup import Duration
from tests.dialects.drchrono.openapi import check_example
from tests.support import examples

SCHEMAS = {
    "task_categories": "TaskCategory",
    "task_statuses": "TaskStatus",
    "task_notes": "TaskNote",
    "task_templates": "TaskTemplate",
}
EXAMPLES = [
    (f"{folder}/{n}", e, s)
    for folder, s in SCHEMAS.items()
    for n, e in examples(f"drchrono/{folder}")
]


@pytest.mark.parametrize(("name", "example", "schema"), EXAMPLES, ids=[n for n, _, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any], schema: str
) -> None:
    await check_example(drc, example, schema)


async def ids(drc: httpx.AsyncClient, path: str, **params: Any) -> list[int]:
    r = await drc.get(path, params={"page_size": 1000, **params})
    assert r.status_code == 200, r.text
    return [x["id"] for x in r.json()["results"]]


async def test_categories_are_task_lists(drc: httpx.AsyncClient, od: httpx.AsyncClient) -> None:
    r = await drc.post("/api/task_categories", data={"name": "Recalls"})
    assert r.status_code == 201
    cat = r.json()
    task = (
        await drc.post("/api/tasks", json={"title": "t", "status": 1, "category": cat["id"]})
    ).json()
    assert (await od.get(f"/tasks/{task['id']}")).json()["TaskListNum"] == cat["id"]
    assert (
        await drc.patch(f"/api/task_categories/{cat['id']}", json={"archived": True})
    ).status_code == 204
    assert cat["id"] not in await ids(drc, "/api/task_categories")
    assert cat["id"] in await ids(drc, "/api/task_categories", show_archived="true")


async def test_statuses(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/task_statuses", json={"name": "Blocked", "status_category": "H"})
    assert r.json()["status_category"] == "H"
    r = await drc.post("/api/task_statuses", json={"name": "Bad", "status_category": "Z"})
    assert r.status_code == 400 and list(r.json()) == ["status_category"]
    r = await drc.post("/api/task_statuses", json={"status_category": "O"})
    assert r.status_code == 400 and r.json() == {"name": ["This field is required."]}
    since = await ids(drc, "/api/task_statuses", since="2000-01-01T00:00:00")
    assert {1, 2, 3, 4} <= set(since)


async def test_notes(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/task_notes", json={"task": 1408, "text": "hello"})
    note = r.json()
    assert await ids(drc, "/api/task_notes", task=1408) == [note["id"]]
    assert await ids(drc, "/api/task_notes", task=9004) == []
    assert (
        await drc.patch(f"/api/task_notes/{note['id']}", json={"text": "bye"})
    ).status_code == 204
    assert (await drc.get("/api/tasks/1408")).json()["notes"][0]["text"] == "bye"
    r = await drc.post("/api/task_notes", json={"task": 5, "text": "x"})
    assert r.status_code == 400 and list(r.json()) == ["task"]


async def test_templates(drc: httpx.AsyncClient) -> None:
    r = await drc.post(
        "/api/task_templates",
        json={
            "name": "A",
            "default_category": 74,
            "default_assignee_user": 12,
            "default_status": 2,
        },
    )
    a = r.json()
    assert a["default_category"] == 74
    for key, value in (("category", 74), ("assignee_user", 12), ("status", 2)):
        assert await ids(drc, "/api/task_templates", **{key: value}) == [a["id"]]
    r = await drc.post("/api/task_templates", json={"name": "B", "default_due_date_offset": "soon"})
    assert r.status_code == 400 and list(r.json()) == ["default_due_date_offset"]


def test_duration_text() -> None:
    d = Duration()
    ctx = CodecContext()
    cases = {
        "30": timedelta(seconds=30),
        "05:00": timedelta(minutes=5),
        "01:02:03": timedelta(hours=1, minutes=2, seconds=3),
        "2 01:00:00": timedelta(days=2, hours=1),
        "00:00:01.5": timedelta(seconds=1, microseconds=500000),
    }
    for text, value in cases.items():
        assert d.from_wire(text, ctx) == value
        assert d.from_wire(d.to_wire(value, ctx), ctx) == value
    assert d.to_wire(timedelta(days=2, hours=1), ctx) == "2 01:00:00"
