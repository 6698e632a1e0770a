"""DrChrono /api/users and /api/users/current (seed 004)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/users")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "UserProfile")


async def test_list(drc: httpx.AsyncClient) -> None:
    users = (await drc.get("/api/users")).json()["results"]
    assert [u["id"] for u in users] == [1, 12, 13]
    assert_schema(users, "UserProfile")
    assert all(u["is_doctor"] != u["is_staff"] for u in users)  # mutually exclusive


async def client_with(app: Any, store: Any, secret: str, meta: dict[str, Any]) -> httpx.AsyncClient:
    tenant = store.get_tenant("demo")
    await store.add_credential(tenant, "drchrono", secret, kind="access_token", meta=meta)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver/drchrono",
        headers={"Authorization": f"Bearer {secret}"},
    )


async def test_current_redirects_to_the_tokens_user(app: Any, store: Any) -> None:
    async with await client_with(app, store, "t-user-13", {"user": 13}) as c:
        r = await c.get("/api/users/current")
        assert r.status_code == 302
        assert r.headers["location"] == "http://testserver/drchrono/api/users/13"
        followed = await c.get(r.headers["location"])
        assert followed.json()["username"] == "DrBell"


async def test_current_without_a_linked_user_is_the_first_doctor(drc: httpx.AsyncClient) -> None:
    r = await drc.get("/api/users/current/")
    assert r.status_code == 302
    assert r.headers["location"].endswith("/drchrono/api/users/1")


async def test_current_user_gone_is_404(app: Any, store: Any) -> None:
    async with await client_with(app, store, "t-user-77", {"user": 77}) as c:
        r = await c.get("/api/users/current")
        assert r.status_code == 404 and "detail" in r.json()


async def test_read_only_and_404(drc: httpx.AsyncClient) -> None:
    assert (await drc.post("/api/users", json={"username": "x"})).status_code == 405
    assert (await drc.patch("/api/users/1", json={"username": "x"})).status_code == 405
    assert (await drc.get("/api/users/99")).status_code == 404
