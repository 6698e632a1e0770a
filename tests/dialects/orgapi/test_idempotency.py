"""Idempotent creates (dialects/orgapi/idempotency.py, seed 003's
``Idempotency-Key``): a retry answers the first response, another request
with the key is a 409, a failed create does not spend the key; keys are per
tenant and 1 to 255 characters."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from gateway.backends.store import Store
from tests.dialects.orgapi.support import patient_count


async def test_idempotent_retry_returns_the_first_answer(
    org: httpx.AsyncClient, store: Store
) -> None:
    before = await patient_count(store)
    body = {"first_name": "Ida", "last_name": "Empotent"}
    headers = {"Idempotency-Key": "create-ida-1"}
    first = await org.post("patients", json=body, headers=headers)
    second = await org.post("patients", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await patient_count(store) == before + 1


async def test_idempotency_key_with_other_body_is_409(org: httpx.AsyncClient, store: Store) -> None:
    headers = {"Idempotency-Key": "create-ida-2"}
    await org.post("patients", json={"first_name": "A", "last_name": "B"}, headers=headers)
    before = await patient_count(store)
    r = await org.post("patients", json={"first_name": "A", "last_name": "C"}, headers=headers)
    assert r.status_code == 409
    assert "Idempotency-Key" in r.json()["detail"]
    assert await patient_count(store) == before


async def test_concurrent_requests_with_one_key_create_one_patient(
    org: httpx.AsyncClient, store: Store
) -> None:
    before = await patient_count(store)
    body = {"first_name": "Con", "last_name": "Current"}
    headers = {"Idempotency-Key": "concurrent-1"}
    replies = await asyncio.gather(
        *(org.post("patients", json=body, headers=headers) for _ in range(6))
    )
    assert {r.status_code for r in replies} == {201}
    assert len({r.json()["id"] for r in replies}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in replies) == 5
    assert await patient_count(store) == before + 1


async def test_failed_create_does_not_consume_the_key(org: httpx.AsyncClient, store: Store) -> None:
    headers = {"Idempotency-Key": "fix-and-retry"}
    bad = await org.post("patients", json={"first_name": "A"}, headers=headers)
    assert bad.status_code == 422
    good = await org.post("patients", json={"first_name": "A", "last_name": "B"}, headers=headers)
    assert good.status_code == 201


async def test_idempotency_keys_are_per_tenant(org: httpx.AsyncClient, store: Store) -> None:
    await org.post(
        "patients", json={"first_name": "A", "last_name": "B"}, headers={"Idempotency-Key": "k"}
    )
    other = await store.create_tenant("Other", time_zone="UTC")
    await store.add_credential(other, "orgapi", "other-token", kind="token")
    r = await org.post(
        f"http://testserver/orgapi/api/v1/{other.org_id}/patients",
        json={"first_name": "A", "last_name": "C"},
        headers={"Idempotency-Key": "k", "Authorization": "Bearer other-token"},
    )
    assert r.status_code == 201
    assert r.json()["last_name"] == "C"


async def test_deeply_nested_body_with_a_key_is_422(org: httpx.AsyncClient) -> None:
    nested = (
        b'{"first_name": "A", "last_name": "B", "x": ' + b'{"a":' * 300 + b"1" + b"}" * 300 + b"}"
    )
    r = await org.post(
        "patients",
        content=nested,
        headers={"Idempotency-Key": "deep", "Content-Type": "application/json"},
    )
    assert r.status_code == 422


async def test_overlong_idempotency_key_is_422(org: httpx.AsyncClient) -> None:
    r = await org.post(
        "patients",
        json={"first_name": "A", "last_name": "B"},
        headers={"Idempotency-Key": "k" * 300},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
async def test_a_key_outside_its_bounds_is_pydantics_422(org: httpx.AsyncClient, key: str) -> None:
    r = await org.post(
        "patients", json={"first_name": "A", "last_name": "B"}, headers={"Idempotency-Key": key}
    )
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    kind = "string_too_long" if key.strip() else "string_too_short"
    assert (error["loc"], error["type"]) == (["header", "Idempotency-Key"], kind)
    assert error["msg"].startswith("String should have at")
