"""RouteTable answers with the route Starlette's linear search would pick, for
every path shape: literals before parameters, trailing slashes, ``:path``
catch-alls, typed convertors, and methods no route accepts (405)."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Match, Mount, Route

from gateway.dispatch import RouteTable

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
    from gateway.dispatch import DialectMount

    # Every request path under the prefix, plus the prefix itself and its
    # neighbours (a Mount redirects "/api" to "/api/"), plus encoded oddities.
    paths = ["/api" + p for p in REQUESTS] + ["/api", "/apix", "/api/items/7%0A", "/api/%0A"]
    plain = Starlette(routes=[Mount("/api", routes=[RouteTable(_routes())])])
    lean = Starlette(routes=[DialectMount("/api", RouteTable(_routes()))])
    assert _responses_of(lean, paths, method) == _responses_of(plain, paths, method)
