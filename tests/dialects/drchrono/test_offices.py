"""DrChrono /api/offices (seed 004): GET (show_archived), PATCH of the online
scheduling keys, and add_exam_room."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/offices")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "Office")


async def test_show_archived(drc: httpx.AsyncClient) -> None:
    listed = (await drc.get("/api/offices")).json()["results"]
    assert [o["id"] for o in listed] == [1, 2, 4, 5]
    assert_schema(listed, "Office")
    for flag in ("true", "1", ""):
        shown = (await drc.get(f"/api/offices?show_archived={flag}")).json()["results"]
        assert [(o["id"], o["archived"]) for o in shown] == [
            (1, False),
            (2, False),
            (3, True),
            (4, False),
            (5, False),
        ]
    # "Not necessary when an ID is included in the URL."
    assert (await drc.get("/api/offices/3")).json()["archived"] is True


async def test_online_timeslots_need_verbose(drc: httpx.AsyncClient) -> None:
    assert "online_timeslots" not in (await drc.get("/api/offices/1")).json()
    full = (await drc.get("/api/offices/1?verbose=true")).json()
    assert full["online_timeslots"] == [
        {"day": 0, "hour": 9, "minute": 0},
        {"day": 2, "hour": 13, "minute": 30},
    ]


async def test_patch_online_scheduling_and_timeslots(drc: httpx.AsyncClient) -> None:
    slots = [{"day": 4, "hour": 8, "minute": 45}]
    r = await drc.patch(
        "/api/offices/2",
        json={"online_scheduling": True, "online_timeslots": slots, "name": "Ignored"},
    )
    assert (r.status_code, r.content) == (204, b"")
    got = (await drc.get("/api/offices/2?verbose=true")).json()
    assert got["online_scheduling"] is True and got["online_timeslots"] == slots
    assert got["name"] == "Northside Family Dental"  # not writable: ignored
    # Form bodies too.
    r = await drc.patch("/api/offices/2", data={"online_scheduling": "false"})
    assert r.status_code == 204
    assert (await drc.get("/api/offices/2")).json()["online_scheduling"] is False


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"online_scheduling": "sometimes"}, "online_scheduling"),
        ({"online_timeslots": [{"day": 7, "hour": 9, "minute": 0}]}, "online_timeslots"),
        ({"online_timeslots": [{"day": 1, "hour": 24, "minute": 0}]}, "online_timeslots"),
        ({"online_timeslots": [{"day": 1, "hour": 9, "minute": 10}]}, "online_timeslots"),
        ({"online_timeslots": {"day": 1}}, "online_timeslots"),
    ],
)
async def test_bad_patch_is_400_and_changes_nothing(
    drc: httpx.AsyncClient, body: dict[str, Any], key: str
) -> None:
    before = (await drc.get("/api/offices/1?verbose=true")).json()
    r = await drc.patch("/api/offices/1", json=body)
    assert r.status_code == 400 and key in r.json()
    assert (await drc.get("/api/offices/1?verbose=true")).json() == before


async def test_put_post_delete_are_not_offered(drc: httpx.AsyncClient) -> None:
    assert (await drc.put("/api/offices/1", json={})).status_code == 405
    assert (await drc.post("/api/offices", json={})).status_code == 405
    assert (await drc.delete("/api/offices/1")).status_code == 405


async def test_add_exam_room_then_book_it(drc: httpx.AsyncClient) -> None:
    office = (await drc.post("/api/offices/1/add_exam_room", data={"name": "Ortho bay"})).json()
    room = office["exam_rooms"][-1]
    assert room == {"index": 3, "name": "Ortho bay", "online_scheduling": False}
    body = {
        "doctor": 1, "duration": 30, "exam_room": 3, "office": 1, "patient": 15,
        "scheduled_time": "2024-06-03T10:00:00",
    }  # fmt: skip
    assert (await drc.post("/api/appointments", json=body)).status_code == 201
    assert (await drc.post("/api/appointments", json={**body, "exam_room": 4})).status_code == 400


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "X", "online_scheduling": "x"}, "online_scheduling"),
    ],
)
async def test_add_exam_room_bad_input(
    drc: httpx.AsyncClient, body: dict[str, Any], key: str
) -> None:
    before = (await drc.get("/api/offices/1")).json()
    r = await drc.post("/api/offices/1/add_exam_room", json=body)
    assert r.status_code == 400 and key in r.json()
    assert (await drc.get("/api/offices/1")).json() == before


async def test_add_exam_room_unknown_office(drc: httpx.AsyncClient) -> None:
    assert (await drc.post("/api/offices/99/add_exam_room", json={"name": "X"})).status_code == 404
