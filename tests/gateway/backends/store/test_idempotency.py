"""Idempotency keys in the store: once per key, per tenant, atomic with the write."""

from __future__ import annotations

import asyncio

import pytest

from canonical import Conflict, NotFound, Patient, Query
from gateway.backends.store import Store
from gateway.demo import DEMO_TENANT_ID


def _backend(store: Store):  # type: ignore[no-untyped-def]
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    return store.for_tenant(tenant)


async def _count(backend) -> int:  # type: ignore[no-untyped-def]
    return await backend.count(Patient, Query())


async def test_second_call_replays_without_running(store: Store) -> None:
    backend = _backend(store)
    before = await _count(backend)
    runs = 0

    async def compute() -> dict[str, object]:
        nonlocal runs
        runs += 1
        rec = await backend.create(Patient(last_name="Idem", first_name="Potent"))
        return {"uuid": str(rec.uuid)}

    first, replayed1 = await backend.remember("k1", "fp", compute)
    second, replayed2 = await backend.remember("k1", "fp", compute)
    assert (replayed1, replayed2) == (False, True)
    assert first == second and runs == 1
    assert await _count(backend) == before + 1


async def test_same_key_other_fingerprint_conflicts(store: Store) -> None:
    backend = _backend(store)

    async def compute() -> int:
        return 1

    await backend.remember("k2", "fp-a", compute)
    with pytest.raises(Conflict):
        await backend.remember("k2", "fp-b", compute)


async def test_failure_records_nothing_and_rolls_back(store: Store) -> None:
    backend = _backend(store)
    before = await _count(backend)

    async def failing() -> int:
        await backend.create(Patient(last_name="Never", first_name="Kept"))
        raise NotFound("nope")

    with pytest.raises(NotFound):
        await backend.remember("k3", "fp", failing)
    assert await _count(backend) == before

    async def ok() -> int:
        return 7

    assert await backend.remember("k3", "fp", ok) == (7, False)


async def test_concurrent_calls_create_once(store: Store) -> None:
    backend = _backend(store)
    before = await _count(backend)

    async def compute() -> str:
        await asyncio.sleep(0.01)
        rec = await backend.create(Patient(last_name="Race", first_name="Once"))
        return str(rec.uuid)

    results = await asyncio.gather(*(backend.remember("k4", "fp", compute) for _ in range(5)))
    assert len({value for value, _ in results}) == 1
    assert sorted(replayed for _, replayed in results) == [False, True, True, True, True]
    assert await _count(backend) == before + 1


async def test_keys_are_per_tenant(store: Store) -> None:
    backend = _backend(store)
    other = store.for_tenant(await store.create_tenant("Other", time_zone="UTC"))

    async def one() -> int:
        return 1

    async def two() -> int:
        return 2

    assert await backend.remember("shared", "fp", one) == (1, False)
    assert await other.remember("shared", "fp", two) == (2, False)
