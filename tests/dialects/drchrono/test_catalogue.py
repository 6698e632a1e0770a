"""The catalogue of documented DrChrono endpoints the gateway does not serve
(yet): each answers that it is not served, in DrChrono's shape."""

from __future__ import annotations

import httpx
import pytest

from dialects.drchrono import DrChrono
from dialects.drchrono.catalogue import DOCUMENTED

SERVED = {ep.path.rstrip("/") for ep in DrChrono.endpoints if ep.resource}


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
