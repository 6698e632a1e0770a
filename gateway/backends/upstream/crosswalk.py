"""The crosswalk: every mirrored record's upstream id beside its own num and uuid.

One row per (tenant, resource, local num): the record's uuid, the key the
upstream knows it by (an integer for Open Dental and DrChrono, a UUID for the
org API, stored as text) and the upstream's change stamp as last mirrored.
Rows live in the store's database, so the ids handed to clients survive
restarts and re-syncs.

Decisions:

- **Identity kept where it can be.** A record first seen on an integer upstream
  takes the upstream's integer as its own ``num`` when that number is free
  here (always, on a mirror started empty): an Open Dental integration moved
  behind the gateway keeps its PatNums. On the org API's UUID upstream it
  takes the upstream's UUID as its ``uuid``. The other identity is new.
- **Reserved entries.** A reference to a record not mirrored yet (not pulled
  yet, or of a resource the upstream client does not list, such as Open
  Dental's users and task lists) reserves an entry with ``mirrored`` false:
  the reference gets stable local ids at once, and the record, if it is ever
  pulled, takes them.
- Numbers are allocated through the store's counters, so a record a client
  of the gateway creates later never collides with a reserved one.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

import sqlalchemy as sa

from canonical import model_for
from dialects.client import Key
from gateway.backends.store import TenantStore
from gateway.backends.store.schema import crosswalk, table_for

__all__ = ["Crosswalk", "Entry"]


@dataclass(frozen=True, slots=True)
class Entry:
    num: int
    uuid: UUID
    key: Key
    stamp: str | None
    mirrored: bool


class Crosswalk:
    """One tenant's crosswalk; every method runs on the connection it is given
    (the caller's transaction), so an entry commits with the record it names."""

    def __init__(self, backend: TenantStore, *, uuid_keyed: bool) -> None:
        self.backend = backend
        self.tenant_id = backend.tenant.id
        self.uuid_keyed = uuid_keyed
        """The upstream's keys are UUIDs (the org API), else integers."""

    def parse(self, text: str) -> Key:
        return UUID(text) if self.uuid_keyed else int(text)

    def _entry(self, row: sa.Row[tuple[object, ...]] | None) -> Entry | None:
        if row is None:
            return None
        m = row._mapping
        return Entry(
            int(m["num"]),
            m["uuid"],
            self.parse(m["upstream_key"]),
            m["stamp"],
            bool(m["mirrored"]),
        )

    def _select(self, resource: str) -> sa.Select[tuple[object, ...]]:
        return sa.select(crosswalk).where(
            crosswalk.c.tenant_id == self.tenant_id, crosswalk.c.resource == resource
        )

    def by_key(self, conn: sa.Connection, resource: str, key: Key) -> Entry | None:
        stmt = self._select(resource).where(crosswalk.c.upstream_key == str(key))
        return self._entry(conn.execute(stmt).first())

    def by_num(self, conn: sa.Connection, resource: str, num: int) -> Entry | None:
        stmt = self._select(resource).where(crosswalk.c.num == num)
        return self._entry(conn.execute(stmt).first())

    def by_uuid(self, conn: sa.Connection, resource: str, uuid: UUID) -> Entry | None:
        stmt = self._select(resource).where(crosswalk.c.uuid == uuid)
        return self._entry(conn.execute(stmt).first())

    def keys(self, conn: sa.Connection, resource: str) -> list[Key]:
        """The upstream keys of every mirrored record of ``resource``."""
        stmt = (
            sa.select(crosswalk.c.upstream_key)
            .where(
                crosswalk.c.tenant_id == self.tenant_id,
                crosswalk.c.resource == resource,
                crosswalk.c.mirrored.is_(True),
            )
            .order_by(crosswalk.c.num)
        )
        return [self.parse(k) for k in conn.execute(stmt).scalars()]

    def count(self, conn: sa.Connection) -> dict[str, int]:
        """Mirrored records per resource."""
        stmt = (
            sa.select(crosswalk.c.resource, sa.func.count())
            .where(crosswalk.c.tenant_id == self.tenant_id, crosswalk.c.mirrored.is_(True))
            .group_by(crosswalk.c.resource)
        )
        return {str(r): int(n) for r, n in conn.execute(stmt)}

    def reserve(self, conn: sa.Connection, resource: str, key: Key) -> Entry:
        """The entry of ``key``, made (unmirrored) when there is none."""
        found = self.by_key(conn, resource, key)
        if found is not None:
            return found
        num = key if isinstance(key, int) and self._num_free(conn, resource, key) else None
        uuid = key if isinstance(key, UUID) and self._uuid_free(conn, resource, key) else uuid4()
        allocated = self.backend._allocate_num(conn, model_for(resource), num)
        conn.execute(
            crosswalk.insert().values(
                tenant_id=self.tenant_id,
                resource=resource,
                num=allocated,
                uuid=uuid,
                upstream_key=str(key),
                stamp=None,
                mirrored=False,
            )
        )
        return Entry(allocated, uuid, key, None, False)

    def link(
        self,
        conn: sa.Connection,
        resource: str,
        *,
        num: int,
        uuid: UUID,
        key: Key,
        stamp: str | None,
    ) -> None:
        """Record that local ``num`` is the upstream's ``key``, mirrored, at ``stamp``."""
        where = (
            (crosswalk.c.tenant_id == self.tenant_id)
            & (crosswalk.c.resource == resource)
            & (crosswalk.c.num == num)
        )
        values = {"uuid": uuid, "upstream_key": str(key), "stamp": stamp, "mirrored": True}
        if conn.execute(crosswalk.update().where(where).values(values)).rowcount == 0:
            conn.execute(
                crosswalk.insert().values(
                    tenant_id=self.tenant_id, resource=resource, num=num, **values
                )
            )

    def _num_free(self, conn: sa.Connection, resource: str, num: int) -> bool:
        if self.by_num(conn, resource, num) is not None:
            return False
        table = table_for(model_for(resource))
        taken = conn.execute(
            sa.select(table.c.num).where(table.c.tenant_id == self.tenant_id, table.c.num == num)
        ).first()
        return taken is None

    def _uuid_free(self, conn: sa.Connection, resource: str, uuid: UUID) -> bool:
        if self.by_uuid(conn, resource, uuid) is not None:
            return False
        table = table_for(model_for(resource))
        taken = conn.execute(
            sa.select(table.c.num).where(table.c.tenant_id == self.tenant_id, table.c.uuid == uuid)
        ).first()
        return taken is None
