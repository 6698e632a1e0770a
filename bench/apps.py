"""The two ASGI apps under test, as factories for ``uvicorn --factory``.

Both are configured through environment variables set by ``bench.servers``,
because uvicorn calls a factory without arguments.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway import Settings, create_app

DATABASE_ENV = "BENCH_DATABASE_URL"
BARE_SPEC_ENV = "BENCH_BARE_SPEC"


BENCH_RATE_LIMIT = 10**12
"""DrChrono's hourly call limit under load: the limiter still counts every call (its
cost is part of the request path) but never answers 429, which would end a run."""


def gateway_app() -> Starlette:
    """The real gateway over the prepared database (demo tenant already seeded)."""
    return create_app(
        Settings(
            database_url=os.environ[DATABASE_ENV],
            demo=True,
            drchrono_rate_limit=BENCH_RATE_LIMIT,
        )
    )


def bare_spec(routes: list[dict[str, Any]]) -> str:
    """Serialize bare routes: ``{"path", "status", "content_type", "body": bytes}`` each."""
    return json.dumps(
        {"routes": [{**r, "body": base64.b64encode(r["body"]).decode("ascii")} for r in routes]}
    )


def bare_routes(spec: str) -> list[Route]:
    routes = []
    for r in json.loads(spec)["routes"]:
        endpoint = _fixed(base64.b64decode(r["body"]), int(r["status"]), r["content_type"])
        routes.append(Route(r["path"], endpoint, methods=["GET", "HEAD", "POST", "PUT"]))
    return routes


def _fixed(body: bytes, status: int, content_type: str) -> Callable[[Request], Awaitable[Response]]:
    headers = {"content-type": content_type}

    async def endpoint(request: Request) -> Response:
        return Response(body, status, headers)

    return endpoint


def bare_app() -> Starlette:
    """A plain Starlette app: one literal route per path, answering fixed bytes."""
    return Starlette(routes=bare_routes(Path(os.environ[BARE_SPEC_ENV]).read_text()))
