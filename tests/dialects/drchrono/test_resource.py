"""DrChrono resource conventions (seed 004 "Requests", "Responses"): list POST
(all or none), PUT replaces and PATCH changes only what it is given (204),
trailing-slash paths, 404 for an unknown id."""

from __future__ import annotations

import httpx


async def test_list_post_creates_all(drc: httpx.AsyncClient) -> None:
    items = [{"doctor": 1, "patient": 1, "message": f"m{i}"} for i in range(3)]
    r = await drc.post("/api/comm_logs", json=items)
    assert r.status_code == 201
    assert [c["message"] for c in r.json()] == ["m0", "m1", "m2"]


async def test_list_post_with_one_bad_object_creates_none(drc: httpx.AsyncClient) -> None:
    before = (await drc.get("/api/comm_logs", params={"page_size": 1000})).json()["results"]
    items = [
        {"doctor": 1, "patient": 1, "message": "ok"},
        {"doctor": 1, "message": "no patient"},
        {"doctor": 1, "patient": 1, "duration": "long"},
    ]
    r = await drc.post("/api/comm_logs", json=items)
    assert r.status_code == 400
    assert r.json()[0] == {}
    assert r.json()[1] == {"patient": ["This field is required."]}
    assert list(r.json()[2]) == ["duration"]
    after = (await drc.get("/api/comm_logs", params={"page_size": 1000})).json()["results"]
    assert after == before


async def test_put_replaces_and_patch_changes_only_given(drc: httpx.AsyncClient) -> None:
    created = (
        await drc.post(
            "/api/comm_logs",
            json={"doctor": 1, "patient": 1, "message": "m", "title": "t", "duration": 3},
        )
    ).json()
    path = f"/api/comm_logs/{created['id']}"
    assert (await drc.patch(path, json={"title": "t2"})).status_code == 204
    body = (await drc.get(path)).json()
    assert (body["title"], body["message"], body["duration"]) == ("t2", "m", 3)
    r = await drc.put(path, json={"doctor": 1, "patient": 1, "message": "new"})
    assert r.status_code == 204 and r.content == b""
    body = (await drc.get(path)).json()
    assert (body["title"], body["message"], body["duration"]) == ("", "new", None)
    r = await drc.put(path, json={"doctor": 1, "message": "x"})
    assert r.status_code == 400 and r.json() == {"patient": ["This field is required."]}


async def test_trailing_slash_paths(drc: httpx.AsyncClient) -> None:
    assert (await drc.get("/api/patients/")).status_code == 200
    assert (await drc.get("/api/patients/1/")).json()["id"] == 1


async def test_unknown_id_is_404(drc: httpx.AsyncClient) -> None:
    for path in ("/api/patients/999999", "/api/patients/abc", "/api/tasks/0"):
        r = await drc.get(path)
        assert r.status_code == 404 and r.json() == {"detail": "Not found."}
