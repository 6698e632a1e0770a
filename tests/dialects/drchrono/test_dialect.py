"""DrChrono auth (seed 004 "OAuth", "Permissions", "Rate Limits"): bearer
tokens, scopes in their read/write forms, the hourly rate limit."""

from __future__ import annotations

from typing import Any

import httpx

from gateway import Settings, create_app

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
