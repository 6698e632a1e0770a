"""Open Dental resources the gateway does not serve answer 501 in Open Dental's
shape after authentication, never a bare 404 (dialects/opendental/catalogue.py)."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from dialects.opendental import OpenDental, catalogue
from gateway.backends.store import Store
from gateway.backends.store.schema import tenants
from gateway.demo import DEMO_TENANT_ID

SERVED = {
    "commlogs",
    "patients",
    "procedurelogs",
    "tasks",
    "providers",
    "clinics",
    "definitions",
    "allergies",
    "medicationpats",
    "diseases",
    "appointments",
}
UNSERVED = [n for n in catalogue.DOCUMENTED if n.lower() not in SERVED]


def test_the_catalogue_is_the_specifications_list_less_what_is_served() -> None:
    assert len(catalogue.DOCUMENTED) == 99
    paths = {ep.path for ep in OpenDental.endpoints}
    for name in UNSERVED:
        assert f"/{name.lower()}" in paths, name
    # A served resource keeps its own endpoints only.
    served = [ep for ep in OpenDental.endpoints if ep.path.startswith("/commlogs")]
    assert all(ep.handler.__name__ != "not_served" for ep in served)


@pytest.mark.parametrize("name", UNSERVED)
async def test_each_unserved_resource_answers_501(od: httpx.AsyncClient, name: str) -> None:
    r = await od.get(f"/{name.lower()}", params={"Limit": 1})
    assert r.status_code == 501
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == (
        f"{name} is an Open Dental API resource this gateway does not serve; "
        "no data was read or changed."
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/feescheds"),
        ("GET", "/allergydefs?AllergyDefNum=4"),
        ("GET", "/operatories/ASAP"),
        ("PUT", "/schedules/18/Break"),
        ("POST", "/patientnotes"),
        ("DELETE", "/rxpats/3"),
    ],
)
async def test_every_method_and_depth_answers_501_and_changes_nothing(
    od: httpx.AsyncClient, store: Store, method: str, path: str
) -> None:
    before = _change_seq(store)
    r = await od.request(method, path, json={"PatNum": 15})
    assert r.status_code == 501 and isinstance(r.json(), str)
    assert _change_seq(store) == before


def _change_seq(store: Store) -> int:
    """The demo tenant's change sequence: every write bumps it."""
    with store.engine.connect() as conn:
        query = sa.select(tenants.c.seq).where(tenants.c.id == DEMO_TENANT_ID)
        return int(conn.execute(query).scalar_one())


async def test_authentication_comes_first(od: httpx.AsyncClient) -> None:
    r = await od.get("/feescheds", headers={"Authorization": "ODFHIR nobody/nothing"})
    assert r.status_code == 401


async def test_a_path_that_is_no_resource_is_still_a_404(od: httpx.AsyncClient) -> None:
    assert (await od.get("/nonexistent")).status_code == 404
