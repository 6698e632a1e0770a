"""Shared helpers for the Open Dental patient tests."""

from __future__ import annotations

from typing import Any

import httpx

from canonical import Patient, Record
from gateway.backends.store import Store
from tests.support import demo_backend, stored

backend = demo_backend


async def snapshot(store: Store) -> list[dict[str, Any]]:
    """Every stored patient, deleted ones included, as stored (versions, stamps)."""
    return [p.model_dump(mode="json") for p in await stored(store, Patient)]


async def edit(store: Store, model: type[Record], num: int, **changes: Any) -> Record:
    """Change a stored record directly (values no Open Dental request can set)."""
    b = backend(store)
    record = await b.get(model, num=num, include_deleted=True)
    return await b.update(record.model_copy(update=changes))


async def nums(od: httpx.AsyncClient, path: str, params: dict[str, Any] | None = None) -> list[int]:
    r = await od.get(path, params=params)
    assert r.status_code == 200, r.text
    return [p["PatNum"] for p in r.json()]


async def get(od: httpx.AsyncClient, num: int) -> dict[str, Any]:
    r = await od.get(f"/patients/{num}")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body
