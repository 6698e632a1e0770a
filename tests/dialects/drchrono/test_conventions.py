"""DrChrono conventions shared by every endpoint (seed 004 "Requests",
"Responses", "Rate Limits", "Verbose Parameter"): paging links, bodies in
three content types, list POST, PUT/PATCH 204, errors, scopes, rate limit,
and the catalogue of documented endpoints the gateway does not serve."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest

from dialects.drchrono import DrChrono
from dialects.drchrono.catalogue import DOCUMENTED
from dialects.drchrono.paging import MAX_PAGE_SIZE
from gateway import Settings, create_app

SERVED = {ep.path.rstrip("/") for ep in DrChrono.endpoints if ep.resource}


# -- paging -------------------------------------------------------------------


async def test_client_follows_next_to_the_end(drc: httpx.AsyncClient) -> None:
    """A client loop: GET the first page, then every ``next`` as it is."""
    everything = (await drc.get("/api/patients", params={"page_size": 1000})).json()["results"]
    assert len(everything) > 7
    url: str | None = "/api/patients?page_size=3"
    seen: list[int] = []
    pages = 0
    while url:
        body = (await drc.get(url)).json()
        seen += [p["id"] for p in body["results"]]
        pages += 1
        if body["next"]:
            assert body["next"].startswith("http://testserver/drchrono/api/patients?")
        url = body["next"]
    assert pages > 2
    assert seen == [p["id"] for p in everything]


async def test_links_survive_a_client_repeating_its_parameters(drc: httpx.AsyncClient) -> None:
    """``requests.get(next, params=original)`` appends the original parameters
    (page included) after the link's own: the link's values count."""
    original = {"page_size": "2", "gender": "Male", "page": "1"}
    url: str | None = "/api/patients?" + urlencode(original)
    seen: list[int] = []
    while url:
        body = (await drc.get(url)).json()
        seen += [p["id"] for p in body["results"]]
        if body["next"]:  # links do not grow: every parameter once
            assert sorted(k for k, _ in parse_qsl(urlsplit(body["next"]).query)) == [
                "gender",
                "page",
                "page_size",
            ]
        url = f"{body['next']}&{urlencode(original)}" if body["next"] else None
    males = (await drc.get("/api/patients", params={"gender": "Male"})).json()["results"]
    assert len(males) > 4
    assert seen == [p["id"] for p in males]


async def test_previous_and_next(drc: httpx.AsyncClient) -> None:
    body = (await drc.get("/api/patients", params={"page_size": 2, "page": 2})).json()
    prev = dict(parse_qsl(urlsplit(body["previous"]).query))
    nxt = dict(parse_qsl(urlsplit(body["next"]).query))
    assert (prev["page"], nxt["page"], prev["page_size"]) == ("1", "3", "2")
    first = (await drc.get("/api/patients", params={"page_size": 2})).json()
    assert first["previous"] is None


async def test_page_beyond_the_end_and_bad_page(drc: httpx.AsyncClient) -> None:
    r = await drc.get("/api/patients", params={"page": 999})
    assert r.status_code == 404 and r.json() == {"detail": "Invalid page."}
    r = await drc.get("/api/patients", params={"page": "x"})
    assert r.status_code == 400 and "page" in r.json()


async def test_page_sizes(drc: httpx.AsyncClient, store: Any) -> None:
    from canonical import Patient

    backend = store.for_tenant(store.get_tenant("demo"))
    for i in range(300):
        await backend.create(Patient(first_name=f"P{i}", last_name="Bulk"))
    body = (await drc.get("/api/patients")).json()
    assert len(body["results"]) == 250 and body["next"]
    body = (await drc.get("/api/patients", params={"verbose": "true"})).json()
    assert len(body["results"]) == 50
    body = (await drc.get("/api/patients", params={"verbose": "true", "page_size": 200})).json()
    assert len(body["results"]) == 50
    body = (await drc.get("/api/patients", params={"page_size": MAX_PAGE_SIZE + 50})).json()
    assert len(body["results"]) > 250 and body["next"] is None


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


async def test_bad_bodies(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/comm_logs", content=b"{", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "non_field_errors" in r.json()
    r = await drc.post("/api/comm_logs", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415 and "detail" in r.json()
    r = await drc.patch("/api/patients/1", json=[1])
    assert r.status_code == 400


async def test_trailing_slash_paths(drc: httpx.AsyncClient) -> None:
    assert (await drc.get("/api/patients/")).status_code == 200
    assert (await drc.get("/api/patients/1/")).json()["id"] == 1


async def test_unknown_id_is_404(drc: httpx.AsyncClient) -> None:
    for path in ("/api/patients/999999", "/api/patients/abc", "/api/tasks/0"):
        r = await drc.get(path)
        assert r.status_code == 404 and r.json() == {"detail": "Not found."}


# -- auth, scopes, rate limit ------------------------------------------------------


async def test_missing_and_bad_tokens(client: httpx.AsyncClient) -> None:
    r = await client.get("/drchrono/api/patients")
    assert r.status_code == 401
    assert r.json() == {"detail": "Authentication credentials were not provided."}
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = await client.get("/drchrono/api/patients", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401


async def test_expired_token_is_401(client: httpx.AsyncClient, store: Any) -> None:
    from datetime import timedelta

    from canonical import utcnow

    tenant = store.get_tenant("demo")
    await store.add_credential(
        tenant,
        "drchrono",
        "old-token",
        kind="access_token",
        scopes=["patients"],
        expires_at=utcnow() - timedelta(seconds=1),
    )
    r = await client.get("/drchrono/api/patients", headers={"Authorization": "Bearer old-token"})
    assert r.status_code == 401 and "expired" in r.json()["detail"]


async def test_scope_read_write_forms(client: httpx.AsyncClient, store: Any) -> None:
    tenant = store.get_tenant("demo")
    await store.add_credential(
        tenant, "drchrono", "ro-token", kind="access_token", scopes=["patients:read"]
    )
    headers = {"Authorization": "Bearer ro-token"}
    assert (await client.get("/drchrono/api/patients/1", headers=headers)).status_code == 200
    r = await client.patch("/drchrono/api/patients/1", headers=headers, json={"city": "X"})
    assert r.status_code == 403 and "detail" in r.json()
    r = await client.get("/drchrono/api/tasks", headers=headers)
    assert r.status_code == 403
    r = await client.get("/drchrono/api/patients_summary", headers=headers)
    assert r.status_code == 403  # patients:summary is a scope of its own


async def test_hourly_rate_limit(store: Any) -> None:
    app = create_app(
        Settings(database_url=store.url, demo=False, drchrono_rate_limit=3), store=store
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver/drchrono",
        headers={"Authorization": "Bearer demo-drchrono-token"},
    ) as c:
        for _ in range(3):
            assert (await c.get("/api/patients/1")).status_code == 200
        r = await c.get("/api/patients/1")
        assert r.status_code == 429
        wait = int(r.headers["retry-after"])
        assert 1 <= wait <= 3600
        assert str(wait) in r.json()["detail"]
        # The OpenDental dialect has no such limit.
        od = await c.get(
            "http://testserver/opendental/api/v1/commlogs/2",
            headers={"Authorization": "ODFHIR demo-developer/demo-customer"},
        )
        assert od.status_code == 200


def test_hourly_window_resets_at_the_top_of_the_hour() -> None:
    from datetime import UTC, datetime

    from gateway.services import HourlyLimiter

    limiter = HourlyLimiter(2)
    t = datetime(2024, 1, 1, 10, 59, 30, tzinfo=UTC)
    assert limiter.hit("app", t) is None and limiter.hit("app", t) is None
    assert limiter.hit("app", t) == 30
    assert limiter.hit("other", t) is None
    assert limiter.hit("app", datetime(2024, 1, 1, 11, 0, 0, tzinfo=UTC)) is None


# -- the catalogue -------------------------------------------------------------------


UNSERVED = [(p, m) for p, m in DOCUMENTED if p not in SERVED]


def test_catalogue_covers_the_seed() -> None:
    assert len(DOCUMENTED) == 67
    assert {p for p, _ in DOCUMENTED} >= {"/api/patients", "/api/lab_orders", "/api/tasks"}


@pytest.mark.parametrize(("path", "methods"), UNSERVED, ids=[p for p, _ in UNSERVED])
async def test_unserved_documented_endpoints_say_so(
    drc: httpx.AsyncClient, path: str, methods: str
) -> None:
    method = methods.split(",")[0].strip()
    concrete = path.replace("{id}", "1")
    r = await drc.request(method, concrete, json={} if method != "GET" else None)
    assert r.status_code == 501
    assert path in r.json()["detail"] and "does not serve" in r.json()["detail"]
    if "{id}" not in path:
        r = await drc.request(methods.split(",")[-1].strip(), f"{concrete}/7")
        assert r.status_code in (501, 405)


async def test_undocumented_path_is_404(drc: httpx.AsyncClient) -> None:
    r = await drc.get("/api/nothing_here")
    assert r.status_code == 404 and "not an endpoint" in r.json()["detail"]
