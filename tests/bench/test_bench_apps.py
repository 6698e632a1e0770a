"""The bare app answers exactly the bytes and content type it is given."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from bench.apps import bare_routes, bare_spec


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
