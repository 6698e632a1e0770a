"""The crosswalk: upstream ids kept as the local ones where free, reserved once,
and never handed out twice."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from canonical import Patient
from gateway.backends.store import Store
from gateway.backends.upstream.crosswalk import Crosswalk
from gateway.demo import DEMO_TENANT_ID, seed_demo


async def _store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.migrate()
    await seed_demo(store, data=False)
    return store


async def test_integer_keys(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    backend = store.for_tenant(tenant)
    taken = await backend.create(Patient(num=7, last_name="Here", first_name="Already"))
    xw = Crosswalk(backend, uuid_keyed=False)
    async with store.transaction() as conn:
        first = xw.reserve(conn, "patient", 42)
        assert (first.num, first.key, first.mirrored) == (42, 42, False)
        assert xw.reserve(conn, "patient", 42) == first  # once
        other = xw.reserve(conn, "patient", 7)  # 7 is a local record's: another number
        assert other.num not in (7, 42) and other.key == 7
        xw.link(conn, "patient", num=42, uuid=first.uuid, key=42, stamp="t:x")
        assert xw.by_num(conn, "patient", 42).mirrored  # type: ignore[union-attr]
        assert xw.keys(conn, "patient") == [42]
        assert xw.count(conn) == {"patient": 1}
    # a record created here later never takes a reserved number
    made = await backend.create(Patient(last_name="New", first_name="One"))
    assert made.num not in (7, 42, other.num) and taken.num == 7
    store.close()


async def test_uuid_keys(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    xw = Crosswalk(store.for_tenant(tenant), uuid_keyed=True)
    key = uuid4()
    async with store.transaction() as conn:
        entry = xw.reserve(conn, "patient", key)
        assert entry.uuid == key and entry.num > 0
        assert xw.by_uuid(conn, "patient", key) == entry
        assert xw.parse(str(key)) == key
    store.close()
