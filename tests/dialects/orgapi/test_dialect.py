"""The org API's auth, tenancy and error shapes (seed 003)."""

from __future__ import annotations

import httpx
import pytest

from canonical import Invalid
from dialects.orgapi.dialect import ValidationFailed, error_detail
from gateway.backends.store import Store
from gateway.demo import demo_uuid
from tests.conftest import ORG_AUTH, ORG_ID

ROOT = "/orgapi/api/v1"
PATIENT = str(demo_uuid("patient", 15))


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer wrong-token", "Basic demo-org-token", "demo-org-token"]
)
async def test_missing_or_bad_token_is_401(client: httpx.AsyncClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = await client.get(f"{ROOT}/{ORG_ID}/patients/{PATIENT}", headers=headers)
    assert r.status_code == 401
    assert isinstance(r.json()["detail"], str)
    assert r.headers["www-authenticate"] == "Bearer"


async def test_other_dialects_credentials_are_refused(client: httpx.AsyncClient) -> None:
    r = await client.get(
        f"{ROOT}/{ORG_ID}/patients/{PATIENT}",
        headers={"Authorization": "Bearer demo-developer/demo-customer"},
    )
    assert r.status_code == 401


@pytest.mark.parametrize(
    "org_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid", ORG_ID.upper()[:-1] + "0"]
)
async def test_foreign_or_unknown_org_is_404(client: httpx.AsyncClient, org_id: str) -> None:
    r = await client.get(f"{ROOT}/{org_id}/patients/{PATIENT}", headers=ORG_AUTH)
    assert r.status_code == 404
    assert r.json() == {"detail": "Organization not found."}


async def test_token_of_another_tenant_cannot_reach_the_demo_org(
    client: httpx.AsyncClient, store: Store
) -> None:
    other = await store.create_tenant("Other Practice", time_zone="UTC")
    await store.add_credential(other, "orgapi", "other-token", kind="token")
    headers = {"Authorization": "Bearer other-token"}
    r = await client.get(f"{ROOT}/{ORG_ID}/patients/{PATIENT}", headers=headers)
    assert r.status_code == 404
    assert r.json() == {"detail": "Organization not found."}
    # The same token on the right org reaches the data.
    r = await client.get(f"{ROOT}/{ORG_ID}/patients/{PATIENT}", headers=ORG_AUTH)
    assert r.status_code == 200 and r.json()["id"] == PATIENT


async def test_unknown_route_is_404_detail(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{ROOT}/{ORG_ID}/no-such-thing", headers=ORG_AUTH)
    assert r.status_code == 404
    assert r.json() == {"detail": "Not Found"}


def test_validation_detail_locations() -> None:
    plain = Invalid("bad", {"first_name": "must be a string", "query.page": "too small"})
    assert error_detail(plain) == [
        {"loc": ["body", "first_name"], "msg": "must be a string", "type": "value_error"},
        {"loc": ["query", "page"], "msg": "too small", "type": "value_error"},
    ]
    shaped = ValidationFailed.one(["body", "rows", 2, "last_name"], "Field required", "missing")
    assert error_detail(shaped) == [
        {"loc": ["body", "rows", 2, "last_name"], "msg": "Field required", "type": "missing"}
    ]
    assert shaped.fields == {"body.rows.2.last_name": "Field required"}


async def test_unsupported_method_is_405(client: httpx.AsyncClient) -> None:
    r = await client.delete(f"{ROOT}/{ORG_ID}/patients/{PATIENT}", headers=ORG_AUTH)
    assert r.status_code == 405
    assert isinstance(r.json()["detail"], str)
