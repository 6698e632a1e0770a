"""Records read by number are kept only while nothing has committed: a write
through this store, or through any other connection or process, is seen at once."""

from __future__ import annotations

import sqlalchemy as sa

from canonical import Definition
from gateway.backends.store import Store
from gateway.backends.store.refcache import RefCache
from gateway.backends.store.schema import table_for
from gateway.backends.store.store import TenantStore


def _backend(store: Store) -> TenantStore:
    tenant = store.get_tenant("demo")
    assert tenant is not None
    return store.for_tenant(tenant)


async def _some_definition(store: Store) -> tuple[Definition, int]:
    from canonical import Query

    page = await _backend(store).find(Definition, Query(limit=1))
    record = page.items[0]
    assert record.num is not None
    return record, record.num


async def test_a_second_read_is_served_from_the_cache(store: Store) -> None:
    backend = _backend(store)
    _d, num = await _some_definition(store)
    first = await backend.get_many(Definition, [num])
    second = await backend.get_many(Definition, [num])
    assert second[num] is first[num]  # the same object: no read, no validation


async def test_a_write_through_this_store_is_seen_at_once(store: Store) -> None:
    backend = _backend(store)
    d, num = await _some_definition(store)
    await backend.get_many(Definition, [num])
    await backend.update(d.model_copy(update={"name": "Renamed here"}))
    assert (await backend.get_many(Definition, [num]))[num].name == "Renamed here"


async def test_a_write_by_another_process_is_seen_at_once(store: Store) -> None:
    backend = _backend(store)
    d, num = await _some_definition(store)
    await backend.get_many(Definition, [num])
    other = Store(store.url)  # its own engine and connections, as another process has
    try:
        await _backend(other).update(d.model_copy(update={"name": "Renamed elsewhere"}))
        assert (await backend.get_many(Definition, [num]))[num].name == "Renamed elsewhere"
        # A hard delete elsewhere (no sequence number changes) is seen too.
        await _backend(other).delete(Definition, num, hard=True)
        assert await backend.get_many(Definition, [num]) == {}
    finally:
        other.close()


async def test_a_raw_commit_on_another_connection_is_seen(store: Store) -> None:
    backend = _backend(store)
    d, num = await _some_definition(store)
    await backend.get_many(Definition, [num])
    table = table_for(Definition)
    engine = sa.create_engine(store.url)
    with engine.begin() as conn:
        conn.execute(table.delete().where(table.c.num == d.num))
    engine.dispose()
    assert await backend.get_many(Definition, [num]) == {}


async def test_reads_inside_a_transaction_bypass_the_cache(store: Store) -> None:
    backend = _backend(store)
    d, num = await _some_definition(store)
    await backend.get_many(Definition, [num])
    async with backend.atomic():
        await backend.update(d.model_copy(update={"name": "Inside"}))
        assert (await backend.get_many(Definition, [num]))[num].name == "Inside"


def test_the_cache_is_per_tenant_and_per_version_and_bounded() -> None:
    cache = RefCache(limit=2)
    cache.put(1, "a", "definition", {1: "one", 2: "two"})
    assert cache.get(1, "a", "definition", [1, 2]) == {1: "one", 2: "two"}
    assert cache.get(1, "b", "definition", [1]) is None
    assert cache.get(1, "a", "provider", [1]) is None
    assert cache.get(1, "a", "definition", [1, 3]) is None
    assert cache.get(2, "a", "definition", [1]) is None  # a new version empties it
    cache.put(2, "a", "definition", {1: "one", 2: "two"})
    cache.put(2, "a", "definition", {3: "three"})  # past the limit: starts over
    assert cache.get(2, "a", "definition", [1]) is None
    assert cache.get(2, "a", "definition", [3]) == {3: "three"}
