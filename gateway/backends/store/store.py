"""The embedded store: the canonical backend over a SQL database.

Queries run synchronously on the event loop thread: against the embedded
SQLite file a primary-key read takes microseconds, far less than a thread
hand-off would. Writes are serialized by an asyncio lock for SQLite (one
writer at a time, as SQLite requires) and each write, or each ``atomic()``
block, is one transaction. Every query is scoped to one tenant.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid as uuidlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa

from canonical import (
    Conflict,
    Definition,
    NotFound,
    Page,
    Query,
    Record,
    Ref,
    RefTo,
    model_for,
    utcnow,
)
from gateway.backends.store import idempotency
from gateway.backends.store.engine import make_engine
from gateway.backends.store.fastpath import FastReader
from gateway.backends.store.migrate import migrate
from gateway.backends.store.refcache import RefCache
from gateway.backends.store.rows import (
    INT64_MAX,
    compile_where,
    keyset_clause,
    order_columns,
    out_of_range,
    row_values,
)
from gateway.backends.store.schema import (
    counters,
    projection_map,
    table_for,
    tenants,
)
from gateway.backends.store.tenants import TenantDirectory, TenantRow

R = TypeVar("R", bound=Record)

_current_conn: ContextVar[sa.Connection | None] = ContextVar("store_conn", default=None)


class Store(TenantDirectory):
    """Owns the engine; hands out tenant-bound backends."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._write_lock = asyncio.Lock() if url.startswith("sqlite") else None
        self.fast = FastReader(self.engine)
        self.refs = RefCache()
        """Records read by number (display companions), valid while nothing commits."""
        self._writes_started: dict[int, datetime] = {}
        """Start times of the write transactions in flight (for :meth:`watermark`)."""

    def migrate(self) -> None:
        migrate(self.engine)

    def close(self) -> None:
        self.fast.close()
        self.engine.dispose()

    def read_docs(
        self, key: tuple[str, str], build: Callable[[], sa.Select[Any]], values: dict[str, Any]
    ) -> list[str]:
        """Run a prepared one-column read (the record documents it selects)."""
        prepared = self.fast.prepare(key, build)
        if self.fast.available and _current_conn.get() is None:
            return self.fast.scalars(prepared, values)
        with self._read() as conn:
            return list(conn.execute(prepared.stmt, values).scalars())

    def for_tenant(self, tenant: TenantRow) -> TenantStore:
        return TenantStore(self, tenant)

    # -- connections -----------------------------------------------------

    @contextlib.contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        conn = _current_conn.get()
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as conn:
            yield conn

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[sa.Connection]:
        conn = _current_conn.get()
        if conn is not None:  # already inside an atomic block: join it
            yield conn
            return
        lock = self._write_lock or contextlib.nullcontext()
        async with lock:
            marker = id(asyncio.current_task())
            self._writes_started[marker] = utcnow()
            try:
                with self.engine.begin() as conn:
                    token = _current_conn.set(conn)
                    try:
                        yield conn
                    finally:
                        _current_conn.reset(token)
            finally:
                self._writes_started.pop(marker, None)
                self.refs.clear()

    def watermark(self) -> datetime:
        """Now, or the start of the oldest write still in flight if that is earlier.

        Every record a write stamps is stamped after its transaction began, so
        a read that starts now sees every write stamped before this instant.
        """
        now = utcnow()
        return min([now, *self._writes_started.values()])


def _get_stmt(model: type[Record], by: str, include_deleted: bool) -> sa.Select[Any]:
    table = table_for(model)
    stmt = sa.select(table.c.doc).where(
        table.c.tenant_id == sa.bindparam("tenant"), table.c[by] == sa.bindparam("value")
    )
    if not include_deleted:
        stmt = stmt.where(table.c.deleted_at.is_(None))
    return stmt


class TenantStore:
    """The :class:`canonical.Backend` of one tenant over the store."""

    def __init__(self, store: Store, tenant: TenantRow) -> None:
        self.store = store
        self.tenant = tenant

    def now(self) -> datetime:
        return utcnow()

    def atomic(self) -> contextlib.AbstractAsyncContextManager[Any]:
        return self.store.transaction()

    # -- reads -------------------------------------------------------------

    async def get(
        self,
        model: type[R],
        *,
        num: int | None = None,
        uuid: UUID | None = None,
        include_deleted: bool = False,
    ) -> R:
        by: str
        value: object
        if num is not None:
            if out_of_range(num):  # no record has it; binding it would raise
                raise NotFound(f"{model.__name__} not found.", resource=model.resource)
            by, value = "num", num
        elif uuid is not None:
            by, value = "uuid", uuid
        else:
            raise ValueError("get() needs num or uuid")
        docs = self.store.read_docs(
            (model.resource, f"get:{by}:{include_deleted}"),
            lambda: _get_stmt(model, by, include_deleted),
            {"tenant": self.tenant.id, "value": value},
        )
        if not docs:
            raise NotFound(f"{model.__name__} not found.", resource=model.resource)
        return model.model_validate_json(docs[0])

    async def get_many(self, model: type[R], nums: Iterable[int]) -> dict[int, R]:
        wanted = sorted({n for n in nums if n and not out_of_range(n)})
        if not wanted:
            return {}
        # Outside a transaction on the fast connection, records kept since the
        # last commit anywhere are served as they are (see refcache).
        version = None
        if self.store.fast.available and _current_conn.get() is None:
            version = self.store.fast.data_version()
            kept = self.store.refs.get(version, self.tenant.id, model.resource, wanted)
            if kept is not None:
                return kept
        if len(wanted) == 1:
            docs = self.store.read_docs(
                (model.resource, "get:num:True"),
                lambda: _get_stmt(model, "num", True),
                {"tenant": self.tenant.id, "value": wanted[0]},
            )
        else:
            table = table_for(model)
            stmt = sa.select(table.c.doc).where(
                table.c.tenant_id == self.tenant.id, table.c.num.in_(wanted)
            )
            with self.store._read() as conn:
                docs = list(conn.execute(stmt).scalars())
        records = [model.model_validate_json(d) for d in docs]
        found = {r.num: r for r in records if r.num is not None}
        if version is not None:
            self.store.refs.put(version, self.tenant.id, model.resource, found)
        return found

    async def find(self, model: type[R], query: Query) -> Page[R]:
        table = table_for(model)
        where = compile_where(model, self.tenant.id, query)
        cols = order_columns(model, query)
        stmt = sa.select(table.c.doc).where(*where)
        if query.after is not None:
            stmt = stmt.where(keyset_clause(cols, query.after))
        stmt = stmt.order_by(*(c.desc() if d else c.asc() for c, d in cols))
        # Past the 64-bit range a page is simply beyond the last row.
        if query.offset:
            stmt = stmt.offset(min(query.offset, INT64_MAX))
        if query.limit is not None:
            stmt = stmt.limit(min(query.limit, INT64_MAX))
        total = None
        with self.store._read() as conn:
            docs = conn.execute(stmt).scalars().all()
            if query.with_total:
                total = conn.execute(
                    sa.select(sa.func.count()).select_from(table).where(*where)
                ).scalar_one()
        return Page([model.model_validate_json(d) for d in docs], total)

    async def count(self, model: type[Record], query: Query) -> int:
        table = table_for(model)
        where = compile_where(model, self.tenant.id, query)
        with self.store._read() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(table).where(*where)
                ).scalar_one()
            )

    # -- writes --------------------------------------------------------------

    def _bump_seq(self, conn: sa.Connection) -> int:
        return int(
            conn.execute(
                tenants.update()
                .where(tenants.c.id == self.tenant.id)
                .values(seq=tenants.c.seq + 1)
                .returning(tenants.c.seq)
            ).scalar_one()
        )

    def _allocate_num(self, conn: sa.Connection, model: type[Record], wanted: int | None) -> int:
        key = (counters.c.tenant_id == self.tenant.id) & (counters.c.resource == model.resource)
        last = conn.execute(sa.select(counters.c.last_num).where(key)).scalar_one_or_none()
        if last is None:
            table = table_for(model)
            last = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(table.c.num), 0)).where(
                    table.c.tenant_id == self.tenant.id
                )
            ).scalar_one()
            conn.execute(
                counters.insert().values(
                    tenant_id=self.tenant.id, resource=model.resource, last_num=last
                )
            )
        num = wanted if wanted is not None else int(last) + 1
        if num > last:
            conn.execute(counters.update().where(key).values(last_num=num))
        return num

    async def create(self, record: R) -> R:
        model = type(record)
        table = table_for(model)
        async with self.store.transaction() as conn:
            now = utcnow()
            if record.num is not None:
                exists = conn.execute(
                    sa.select(table.c.num).where(
                        table.c.tenant_id == self.tenant.id, table.c.num == record.num
                    )
                ).first()
                if exists:
                    raise Conflict(f"{model.__name__} {record.num} already exists.")
            num = self._allocate_num(conn, model, record.num)
            stored = record.model_copy(
                update={
                    "num": num,
                    "uuid": record.uuid or uuidlib.uuid4(),
                    "version": 1,
                    "seq": self._bump_seq(conn),
                    "created_at": record.created_at or now,
                    "updated_at": record.updated_at or now,
                }
            )
            conn.execute(table.insert().values(row_values(self.tenant.id, stored)))
        return stored

    async def update(self, record: R, *, base_version: int | None = None) -> R:
        model = type(record)
        table = table_for(model)
        async with self.store.transaction() as conn:
            current = conn.execute(
                sa.select(table.c.version)
                .where(table.c.tenant_id == self.tenant.id, table.c.num == record.num)
                .with_for_update()
            ).scalar_one_or_none()
            if current is None:
                raise NotFound(f"{model.__name__} not found.", resource=model.resource)
            if base_version is not None and base_version != current:
                raise Conflict(
                    f"{model.__name__} has changed (version {current}, base_version "
                    f"{base_version}).",
                    current_version=current,
                )
            stored = record.model_copy(
                update={
                    "version": current + 1,
                    "seq": self._bump_seq(conn),
                    "updated_at": utcnow(),
                }
            )
            values = row_values(self.tenant.id, stored)
            values.pop("tenant_id")
            values.pop("num")
            conn.execute(
                table.update()
                .where(table.c.tenant_id == self.tenant.id, table.c.num == record.num)
                .values(values)
            )
        return stored

    async def delete(self, model: type[R], num: int, *, hard: bool = False) -> R:
        table = table_for(model)
        async with self.store.transaction():
            record = await self.get(model, num=num)
            if hard:
                async with self.store.transaction() as conn:
                    conn.execute(
                        table.delete().where(
                            table.c.tenant_id == self.tenant.id, table.c.num == num
                        )
                    )
                return record
            return await self.update(record.model_copy(update={"deleted_at": utcnow()}))

    async def remember(
        self, key: str, fingerprint: str, compute: Callable[[], Awaitable[Any]]
    ) -> tuple[Any, bool]:
        return await idempotency.remember(self, key, fingerprint, compute)

    # -- references ------------------------------------------------------------

    async def resolve(
        self,
        model: type[Record],
        patch: Mapping[str, Any],
        labels: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        out = dict(patch)
        for name, value in patch.items():
            if not isinstance(value, Ref):
                continue
            info = model.model_fields[name]
            target = next((m for m in info.metadata if isinstance(m, RefTo)), None)
            if target is None:
                continue
            out[name] = self.resolve_ref(value, target, (labels or {}).get(name, name))
        return out

    def resolve_ref(self, ref: Ref, target: RefTo, label: str) -> Ref:
        tmodel = model_for(target.resource)
        table = table_for(tmodel)
        stmt = sa.select(table.c.num, table.c.uuid, table.c.doc).where(
            table.c.tenant_id == self.tenant.id, table.c.deleted_at.is_(None)
        )
        if ref.num is not None:
            if out_of_range(ref.num):
                raise NotFound(f"{label} not found.", resource=target.resource, field=label)
            stmt = stmt.where(table.c.num == ref.num)
        elif ref.uuid is not None:
            stmt = stmt.where(table.c.uuid == ref.uuid)
        elif ref.name is not None:
            key = getattr(tmodel, "name_field", None)
            if key is None:
                raise NotFound(f"{label} not found.", resource=target.resource, field=label)
            col = table.c[projection_map(tmodel)[key].column]
            stmt = stmt.where(col == ref.name).order_by(table.c.num)
        else:
            raise NotFound(f"{label} not found.", resource=target.resource, field=label)
        if target.category is not None and tmodel is Definition:
            stmt = stmt.where(table.c.category == target.category)
        with self.store._read() as conn:
            row = conn.execute(stmt.limit(1)).first()
        if row is None:
            raise NotFound(f"{label} not found.", resource=target.resource, field=label)
        return Ref(uuid=row.uuid, num=row.num)
