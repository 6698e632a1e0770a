"""The bare app answers exactly the bytes and content type it is given."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from bench.apps import BENCH_RATE_LIMIT, DATABASE_ENV, bare_routes, bare_spec, gateway_app
from gateway.backends.store import Store


async def test_bare_app_answers_the_given_bytes_at_the_given_path() -> None:
    body = b'{"CommlogNum":2,"Note":"caf\xc3\xa9"}'
    spec = bare_spec(
        [
            {
                "path": "/od/commlogs/2",
                "status": 200,
                "content_type": "application/json",
                "body": body,
            }
        ]
    )
    app = Starlette(routes=bare_routes(spec))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        r = await client.get("/od/commlogs/2", headers={"Authorization": "ODFHIR a/b"})
        assert r.status_code == 200
        assert r.content == body
        assert r.headers["content-type"] == "application/json"
        assert (await client.get("/od/commlogs/3")).status_code == 404


def test_gateway_app_never_throttles_drchrono_under_load(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DrChrono's default 500 calls an hour would end a load run with 429s; the
    benchmark gateway keeps the limiter but sets it past any run's request count."""
    monkeypatch.setenv(DATABASE_ENV, store.url)
    app = gateway_app()
    assert app.state.runtime.rate_limits["drchrono"] == BENCH_RATE_LIMIT
    assert BENCH_RATE_LIMIT > 10**9
