"""DrChrono /api/doctors (seed 004): read-only doctors of the practice group."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/doctors")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "Doctor")


async def test_list_every_provider(drc: httpx.AsyncClient) -> None:
    body = (await drc.get("/api/doctors")).json()
    assert (body["next"], body["previous"]) == (None, None)
    assert [d["id"] for d in body["results"]] == [1, 2, 3, 4, 5, 6, 10, 13, 50]
    assert_schema(body["results"], "Doctor")
    group = {(d["practice_group"], d["practice_group_name"]) for d in body["results"]}
    assert len(group) == 1 and isinstance(next(iter(group))[0], int)


async def test_read_only(drc: httpx.AsyncClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        path = "/api/doctors" if method == "POST" else "/api/doctors/1"
        r = await drc.request(method, path, json={"first_name": "X"})
        assert r.status_code == 405, (method, r.text)
    assert (await drc.get("/api/doctors/1")).json()["first_name"] == "Albert"


async def test_unknown_doctor_is_404(drc: httpx.AsyncClient) -> None:
    assert (await drc.get("/api/doctors/99")).status_code == 404


async def test_provider_written_elsewhere_reads_here(drc: httpx.AsyncClient, store: Any) -> None:
    """A provider's own time zone wins over the tenant's."""
    from canonical import Provider

    tenant = store.get_tenant("demo")
    backend = store.for_tenant(tenant)
    p = await backend.get(Provider, num=3)
    await backend.update(p.model_copy(update={"time_zone": "America/Denver"}))
    assert (await drc.get("/api/doctors/3")).json()["timezone"] == "America/Denver"


async def test_scope_user_is_required(app: Any, store: Any) -> None:
    tenant = store.get_tenant("demo")
    await store.add_credential(
        tenant, "drchrono", "t-cal", kind="access_token", scopes=["calendar"]
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver/drchrono",
        headers={"Authorization": "Bearer t-cal"},
    ) as c:
        assert (await c.get("/api/doctors")).status_code == 403
        assert (await c.get("/api/users")).status_code == 200  # "Required scopes: None"
