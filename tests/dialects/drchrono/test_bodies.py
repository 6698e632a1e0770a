"""DrChrono request bodies (seed 004 "Requests"): JSON, form-encoded and
multipart, and the 400 for a body that is none of them."""

from __future__ import annotations

import httpx

# -- bodies ---------------------------------------------------------------------


async def test_form_encoded_patch_answers_204(drc: httpx.AsyncClient) -> None:
    r = await drc.patch(
        "/api/patients/1", data={"nick_name": "Johnny", "disable_sms_messages": "true"}
    )
    assert r.status_code == 204 and r.content == b""
    body = (await drc.get("/api/patients/1")).json()
    assert (body["nick_name"], body["disable_sms_messages"]) == ("Johnny", True)


async def test_multipart_post(drc: httpx.AsyncClient) -> None:
    r = await drc.post(
        "/api/comm_logs",
        data={"doctor": "1", "patient": "1", "message": "Called", "duration": "5"},
        files={"unused": ("a.txt", b"x")},
    )
    assert r.status_code == 201, r.text
    assert (r.json()["message"], r.json()["duration"]) == ("Called", 5)


async def test_bad_bodies(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/comm_logs", content=b"{", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "non_field_errors" in r.json()
    r = await drc.post("/api/comm_logs", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415 and "detail" in r.json()
    r = await drc.patch("/api/patients/1", json=[1])
    assert r.status_code == 400
