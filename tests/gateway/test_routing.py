"""The route index answers with the route Starlette's linear search would pick, for
every path shape: literals before parameters, trailing slashes, ``:path``
catch-alls, typed convertors, and methods no route accepts (405)."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Match, Mount, Route

from gateway.backends.store import Store
from gateway.routing import RouteTable
from tests.conftest import DRC_AUTH, OD_AUTH, ORG_AUTH, ORG_ID

PATHS = [
    "/items",
    "/items/",
    "/items/Simple",
    "/items/{id}",
    "/items/{id:int}/notes",
    "/items/{id}/notes",
    "/items/{id}/notes/{note}",
    "/{org}/items",
    "/{org}/items/{id}",
    "/{org}/files/{name}.json",
    "/files/{rest:path}",
    "/{rest:path}",
]

REQUESTS = [
    "/items",
    "/items/",
    "/items/Simple",
    "/items/7",
    "/items/7/notes",
    "/items/x/notes",
    "/items/7/notes/3",
    "/items/7/notes/3/extra",
    "/acme/items",
    "/acme/items/9",
    "/acme/files/report.json",
    "/acme/files/report.txt",
    "/files/a/b/c",
    "/files",
    "/nothing/here",
    "/",
    "",
]


def _routes() -> list[Route]:
    def endpoint_for(path: str):  # type: ignore[no-untyped-def]
        async def endpoint(request: Request) -> Response:
            return PlainTextResponse(path)

        return endpoint

    return [Route(p, endpoint_for(p), methods=["GET", "POST"]) for p in PATHS]


def _scope(path: str, method: str = "GET") -> dict[str, object]:
    return {"type": "http", "method": method, "path": "/api" + path, "root_path": "/api"}


def _linear(routes: list[Route], scope: dict[str, object]) -> tuple[Match, object]:
    partial = None
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            return match, child["endpoint"]
        if match is Match.PARTIAL and partial is None:
            partial = (match, child["endpoint"])
    return partial or (Match.NONE, None)


@pytest.mark.parametrize("method", ["GET", "TRACE"])
@pytest.mark.parametrize("path", REQUESTS)
def test_table_picks_the_route_linear_matching_picks(path: str, method: str) -> None:
    routes = _routes()
    table = RouteTable(routes)
    match, child = table.matches(_scope(path, method))
    expected = _linear(routes, _scope(path, method))
    assert (match, child.get("endpoint")) == expected


def test_table_narrows_the_candidates() -> None:
    table = RouteTable(_routes())
    # "/items/Simple" and "/{org}/items" have a literal where "/items/7" differs.
    assert [r.path for r in table.candidates("/items/7")] == [
        "/items/{id}",
        "/files/{rest:path}",
        "/{rest:path}",
    ]


async def test_table_serves_requests_inside_a_mount() -> None:
    app = Starlette(routes=[Mount("/api", routes=[RouteTable(_routes())])])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        assert (await client.get("/api/items/Simple")).text == "/items/Simple"
        assert (await client.get("/api/items/7/notes")).text == "/items/{id:int}/notes"
        assert (await client.get("/api/acme/files/r.json")).text == "/{org}/files/{name}.json"
        assert (await client.get("/api/files/a/b")).text == "/files/{rest:path}"
        assert (await client.request("TRACE", "/api/items/7")).status_code == 405


def _responses_of(app: Starlette, paths: list[str], method: str) -> list[tuple[int, str]]:
    import asyncio

    async def run() -> list[tuple[int, str]]:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t", follow_redirects=False
        ) as client:
            out = []
            for p in paths:
                r = await client.request(method, p)
                out.append((r.status_code, r.headers.get("location", "") + r.text))
            return out

    return asyncio.run(run())


@pytest.mark.parametrize("method", ["GET", "POST", "TRACE"])
def test_dialect_mount_answers_exactly_as_a_mount(method: str) -> None:
    from gateway.routing import DialectMount

    # Every request path under the prefix, plus the prefix itself and its
    # neighbours (a Mount redirects "/api" to "/api/"), plus encoded oddities.
    paths = ["/api" + p for p in REQUESTS] + ["/api", "/apix", "/api/items/7%0A", "/api/%0A"]
    plain = Starlette(routes=[Mount("/api", routes=[RouteTable(_routes())])])
    lean = Starlette(routes=[DialectMount("/api", RouteTable(_routes()))])
    assert _responses_of(lean, paths, method) == _responses_of(plain, paths, method)


# Requests across the three dialects: served routes, literal-before-parameter
# pairs, unserved catalogue resources, unknown paths, wrong methods, redirects.
GATEWAY_REQUESTS = [
    ("GET", "/opendental/api/v1/commlogs/2", OD_AUTH),
    ("GET", "/opendental/api/v1/commlogs?PatNum=15", OD_AUTH),
    ("GET", "/opendental/api/v1/patients/Simple?LName=a", OD_AUTH),
    ("GET", "/opendental/api/v1/patients/15", OD_AUTH),
    ("GET", "/opendental/api/v1/procedurelogs/1", OD_AUTH),
    ("GET", "/opendental/api/v1/recalls", OD_AUTH),
    ("DELETE", "/opendental/api/v1/tasks/1", OD_AUTH),
    ("GET", "/opendental/api/v1/nothing/here", OD_AUTH),
    ("GET", "/opendental/api/v1", OD_AUTH),
    ("GET", "/drchrono/api/patients?page_size=2", DRC_AUTH),
    ("GET", "/drchrono/api/patients/1", DRC_AUTH),
    ("GET", "/drchrono/api/doctors", DRC_AUTH),
    ("GET", "/drchrono/api/lab_orders", DRC_AUTH),
    ("TRACE", "/drchrono/api/patients", DRC_AUTH),
    ("GET", "/drchrono/api/", DRC_AUTH),
    ("GET", f"/orgapi/api/v1/{ORG_ID}/patients?limit=2", ORG_AUTH),
    ("GET", f"/orgapi/api/v1/{ORG_ID}/patients/not-a-uuid", ORG_AUTH),
    ("GET", "/orgapi/api/v1/nothing", ORG_AUTH),
    ("GET", "/health", {}),
    ("GET", "/elsewhere", {}),
]


async def test_the_indexed_gateway_answers_byte_for_byte_as_plain_mounts(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from gateway import Settings, create_app, dispatch, routing

    async def answers(app: Starlette) -> list[tuple[int, list[tuple[bytes, bytes]], bytes]]:
        transport = httpx.ASGITransport(app=app)
        out = []
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for method, path, auth in GATEWAY_REQUESTS:
                headers = {**auth, "X-Request-Id": "0123456789abcdef"}
                r = await client.request(method, path, headers=headers)
                out.append((r.status_code, r.headers.raw, r.content))
        return out

    from datetime import UTC, datetime

    from gateway.backends.store import store as store_module

    # One clock for both runs: Open Dental's serverDateTime is the request's time.
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    monkeypatch.setattr(dispatch, "utcnow", lambda: now)
    monkeypatch.setattr(store_module, "utcnow", lambda: now)
    settings = Settings(database_url=store.url, demo=False)
    indexed = await answers(create_app(settings, store=store))
    monkeypatch.setattr(dispatch, "mount", functools.partial(routing.mount, indexed=False))
    plain = await answers(create_app(settings, store=store))
    assert [a[0] for a in indexed] == [a[0] for a in plain]
    assert indexed == plain
    # The list reaches every kind of answer, so the comparison means something.
    assert {a[0] for a in indexed} == {200, 307, 400, 404, 405, 501}
