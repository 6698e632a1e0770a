"""Shared helpers of the Open Dental clinical record tests (allergies,
medicationpats, diseases): a documented example sent to the app and compared
key for key, a snapshot of the stored records, and many records of one
patient written straight to the store (to page past 100)."""

from __future__ import annotations

from typing import Any

from canonical import Patient, Record
from gateway.backends.store import Store
from tests.support import demo_backend, stored


async def snapshot(store: Store, model: type[Record]) -> list[dict[str, Any]]:
    """Every record of ``model`` as stored, deleted ones included: equal before
    and after means nothing changed."""
    return [r.model_dump(mode="json") for r in await stored(store, model)]


async def many(store: Store, record: Record, count: int, patient: int) -> list[int]:
    """``count`` copies of ``record`` for demo patient ``patient``; their nums."""
    backend = demo_backend(store)
    owner = (await backend.get(Patient, num=patient)).ref()
    nums = []
    for _ in range(count):
        made = await backend.create(
            record.model_copy(update={"num": None, "uuid": None, "patient": owner})
        )
        assert made.num is not None
        nums.append(made.num)
    return nums
