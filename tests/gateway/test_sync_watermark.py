"""``serverDateTime`` never runs ahead of a write that is still committing, so
a client syncing with ``DateTStamp`` >= the value it was handed misses nothing."""

from __future__ import annotations

import asyncio

import httpx

from canonical import Procedure
from gateway.backends.store import Store


async def test_a_write_in_flight_is_not_missed_by_the_next_sync(
    od: httpx.AsyncClient, store: Store
) -> None:
    tenant = store.get_tenant("demo")
    assert tenant is not None
    backend = store.for_tenant(tenant)
    stamped, release = asyncio.Event(), asyncio.Event()

    async def slow_write() -> None:
        async with backend.atomic():
            proc = await backend.get(Procedure, num=20)
            await backend.update(proc.model_copy(update={"note": "late commit"}))
            stamped.set()  # stamped now, committed only when released
            await release.wait()

    writer = asyncio.create_task(slow_write())
    await stamped.wait()
    await asyncio.sleep(1.1)  # DateTStamp has whole seconds: step past the stamp's second
    listing = (await od.get("/procedurelogs", params={"PatNum": 12})).json()
    assert listing, "patient 12 has procedure 20 in the demo data"
    watermark = listing[0]["serverDateTime"]
    release.set()
    await writer
    synced = (await od.get("/procedurelogs", params={"DateTStamp": watermark})).json()
    assert 20 in [p["ProcNum"] for p in synced]
