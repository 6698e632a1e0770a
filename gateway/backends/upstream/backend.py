"""The upstream backend: the canonical :class:`~canonical.Backend` over a real
server of any dialect, as a mirror in the store plus write-through.

Reads are the tenant's store (the mirror) as it is. A write goes to the
upstream first, through its dialect's client, inside the store transaction
the dialect's handler holds; the upstream's answer, decoded and mapped back
through the crosswalk, is applied to the mirror in that same transaction, so
the client reads its own write at once. A refusal, a fault or a timeout of the
upstream raises out of the transaction: nothing changes locally.

Decisions:

- **Refusals pass through.** The upstream client maps its refusals to
  canonical errors (an Open Dental 400 is :class:`~canonical.Invalid`, a 409
  :class:`~canonical.Conflict`); each dialect of the gateway renders them its
  own way (an org API client sees the 400 as a 422, a conflict stays 409).
- **What the upstream cannot do** (DrChrono procedures are read-only, org API
  communication logs are append-only, Open Dental has no patient delete, a
  resource the upstream does not serve, such as a catalog record a dialect
  would create on the way: an Open Dental allergy naming a new definition) is
  :class:`~canonical.Unsupported`, naming the upstream, before anything is sent.
- **Only what the upstream holds is sent.** An update whose change the
  upstream dialect cannot express at all (a field only the gateway keeps) is
  stored in the mirror alone, without a request.
- **Conflicts.** A write based on an upstream record that changed since it
  was mirrored must not overwrite that change. On the org API the upstream
  checks it: the PATCH carries the upstream version last mirrored as
  ``base_version`` and its 409 passes through. Open Dental and DrChrono have
  no conditional writes, so the record is read first and its stamp
  (``DateTStamp``, ``updated_at``) compared with the one mirrored; a
  difference is a :class:`~canonical.Conflict`, and the sync loop is woken to
  bring the change in. Where the upstream has no read of one record (Open
  Dental allergies and medications) there is nothing to compare: the last
  writer wins, as on Open Dental itself. Between that read and the write the upstream has no
  lock to offer: a change landing in that instant is not seen.
- **Writes wait for the upstream.** The upstream call runs inside the store's
  write transaction (so a refusal rolls everything back), and the embedded
  SQLite store has one writer at a time: while a write waits for the upstream
  (up to its timeout), other writes and the sync's applies wait too. Reads
  do not.
- **No distributed transaction.** A handler that makes several writes sends
  each to the upstream as it comes; when a later one fails, the earlier ones
  stand on the upstream (it has no transactions) and reach the mirror with
  the next sync. A write the upstream accepted whose answer cannot be mirrored
  is likewise mirrored by the next sync.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from canonical import (
    Conflict,
    NotFound,
    Page,
    Patient,
    Query,
    Record,
    Ref,
    RefTo,
    Unsupported,
    model_for,
)
from dialects.client import DialectClient
from dialects.codec import Codec
from dialects.resource import METHOD_OF, Operation
from gateway.backends.store import TenantStore
from gateway.backends.upstream.crosswalk import Crosswalk
from gateway.backends.upstream.mirror import SYSTEM, Mirror, stamp_of, version_of
from gateway.backends.upstream.remap import outbound, ref_fields

__all__ = ["UpstreamBackend"]

R = TypeVar("R", bound=Record)


class UpstreamBackend:
    """One tenant's backend over its upstream."""

    def __init__(
        self,
        store: TenantStore,
        client: DialectClient,
        *,
        woken: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.client = client
        self.xw = Crosswalk(store, uuid_keyed=client.dialect == "orgapi")
        self.mirror = Mirror(store, self.xw, client)
        self.woken = woken
        """Asks the sync loop for a pull now (after a conflict)."""

    # -- reads: the mirror ----------------------------------------------------------

    @property
    def tenant(self) -> Any:
        return self.store.tenant

    def now(self) -> datetime:
        return self.store.now()

    def atomic(self) -> contextlib.AbstractAsyncContextManager[Any]:
        return self.store.atomic()

    async def get(
        self,
        model: type[R],
        *,
        num: int | None = None,
        uuid: UUID | None = None,
        include_deleted: bool = False,
    ) -> R:
        return await self.store.get(model, num=num, uuid=uuid, include_deleted=include_deleted)

    async def find(self, model: type[R], query: Query) -> Page[R]:
        return await self.store.find(model, query)

    async def count(self, model: type[Record], query: Query) -> int:
        return await self.store.count(model, query)

    async def get_many(self, model: type[R], nums: Iterable[int]) -> dict[int, R]:
        return await self.store.get_many(model, nums)

    async def remember(
        self, key: str, fingerprint: str, compute: Callable[[], Awaitable[Any]]
    ) -> tuple[Any, bool]:
        return await self.store.remember(key, fingerprint, compute)

    async def resolve(
        self,
        model: type[Record],
        patch: Mapping[str, Any],
        labels: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """As the store, but a reference to a record the upstream alone knows (a
        reserved crosswalk entry, or a number of a resource the upstream client
        does not serve) resolves too: the upstream judges it."""
        out = dict(patch)
        for name, value in patch.items():
            if not isinstance(value, Ref):
                continue
            target = next(
                (m for m in model.model_fields[name].metadata if isinstance(m, RefTo)), None
            )
            if target is None:
                continue
            label = (labels or {}).get(name, name)
            try:
                out[name] = self.store.resolve_ref(value, target, label)
            except NotFound:
                # A write the upstream cannot take at all is told so, not a reference.
                self._allowed(model, "create", "update", "replace")
                out[name] = await self._known_upstream(value, target.resource) or _raise(
                    label, target
                )
        return out

    async def _known_upstream(self, ref: Ref, resource: str) -> Ref | None:
        """A reference the upstream alone can judge: a reserved entry; or, of a
        resource its client does not serve, a name (passed on as it is) or a number
        on an integer upstream (reserved, so the answer maps back to it)."""
        async with self.store.store.transaction() as conn:
            entry = None
            if ref.num is not None:
                entry = self.xw.by_num(conn, resource, ref.num)
            elif ref.uuid is not None:
                entry = self.xw.by_uuid(conn, resource, ref.uuid)
            if entry is not None and not entry.mirrored:
                return Ref(num=entry.num, uuid=entry.uuid, name=ref.name)
            if entry is not None or self._served(resource):
                return None
            if ref.num is not None and not self.xw.uuid_keyed:
                entry = self.xw.reserve(conn, resource, ref.num)
                return Ref(num=entry.num, uuid=entry.uuid, name=ref.name)
        return None

    async def _named(self, record: R) -> R:
        """``record`` with the name of every referenced record whose dialect shows
        references by name (Open Dental's ``BillingType``): the client has no
        companion records to read them from."""
        update: dict[str, Any] = {}
        for name, resource, is_list in ref_fields(type(record)):
            value = getattr(record, name)
            target = model_for(resource)
            key = getattr(target, "name_field", None)
            if is_list or not isinstance(value, Ref) or value.name or not key or not value.num:
                continue
            found = (await self.store.get_many(target, [value.num])).get(value.num)
            if found is not None and getattr(found, key, None):
                update[name] = value.model_copy(update={"name": str(getattr(found, key))})
        return record.model_copy(update=update) if update else record

    # -- writes: the upstream first ------------------------------------------------

    def _served(self, resource: str) -> bool:
        return resource in self.client.resources

    def _allowed(self, model: type[Record], *operations: Operation) -> Operation:
        res = self.client.resources.get(model.resource)
        if res is None:
            raise Unsupported(
                f"{self.client.upstream} behind this gateway has no {model.resource} records: "
                "they cannot be written here."
            )
        for operation in operations:
            if operation in res.operations:
                return operation
        raise Unsupported(
            f"{self.client.upstream} behind this gateway does not allow "
            f"{' or '.join(operations)} on {model.resource} records."
        )

    def _outbound(self, conn: Any, record: R, key: Any) -> R:
        up = outbound(
            conn,
            self.xw,
            record,
            key=key,
            served=self._served,
            upstream=self.client.upstream,
        )
        return up

    async def create(self, record: R) -> R:
        model = type(record)
        self._allowed(model, "create")
        async with self.store.store.transaction() as conn:
            up = self._outbound(conn, await self._named(record), None)
            if self.xw.uuid_keyed:
                # The org API client derives the create's Idempotency-Key from the
                # record's uuid: one per create here, so a retried request is one
                # record, and two clients' identical creates are two.
                up = up.model_copy(update={"uuid": uuid4()})
            answer = await self.client.create(up)
            return await self.mirror.apply(
                model, answer, self.client.resource(model).codec, intended=record
            )

    async def update(self, record: R, *, base_version: int | None = None) -> R:
        model = type(record)
        assert record.num is not None
        async with self.store.store.transaction() as conn:
            current = await self.store.get(model, num=record.num, include_deleted=True)
            if base_version is not None and base_version != current.version:
                raise Conflict(
                    f"{model.__name__} has changed (version {current.version}, base_version "
                    f"{base_version}).",
                    current_version=current.version,
                )
            entry = self.xw.by_num(conn, model.resource, record.num)
            if entry is None:
                raise NotFound(f"{model.__name__} not found.", resource=model.resource)
            up_new = self._outbound(conn, await self._named(record), entry.key)
            up_cur = self._outbound(conn, await self._named(current), entry.key)
            version = version_of(entry.stamp)
            if version is not None:  # the org API checks it itself (base_version)
                up_cur = up_cur.model_copy(update={"version": version})
            if record.deleted_at is not None and current.deleted_at is None:
                return await self._remove(conn, current, lambda: self.store.update(record))
            if record.deleted_at is None and current.deleted_at is not None:
                return await self._restore(up_cur, record)
            operation = self._allowed(model, "update", "replace")
            res = self.client.resource(model)
            body = self.client.body(res, up_new, operation, current=up_cur)
            unsent = _unsent(res.codec, METHOD_OF[operation], record, current)
            if unsent == ["status"] and isinstance(record, Patient):
                if version is None:
                    await self._check_unchanged(model, entry.key, entry.stamp, up_cur)
                up_cur = await self._transition(up_cur, record)
                if not body:
                    return await self.mirror.apply(model, up_cur, res.codec, intended=record)
            elif unsent:
                raise Unsupported(
                    f"{self.client.upstream} behind this gateway does not let its API change "
                    f"{', '.join(unsent)} of {model.resource} records that way."
                )
            if not body:
                return await self.store.update(record)  # nothing the upstream holds changed
            if version is None:
                await self._check_unchanged(model, entry.key, entry.stamp, up_cur)
            answer = await self.client.update(up_new, up_cur)
            return await self.mirror.apply(model, answer, res.codec, intended=record)

    async def _restore(self, up_cur: R, record: R) -> R:
        """Restore an archived record: where the upstream has a restore (org API patients)."""
        restore = getattr(self.client, "restore", None)
        if restore is None or not isinstance(record, Patient):
            raise Unsupported(
                f"{self.client.upstream} behind this gateway cannot restore "
                f"{record.resource} records."
            )
        answer = await restore(up_cur)
        return await self.mirror.apply(
            type(record), answer, self.client.resource(type(record)).codec, intended=record
        )

    async def _transition(self, up_cur: R, record: Patient) -> R:
        """A patient's status moved where the upstream moves it by its own call."""
        transition = getattr(self.client, "transition_status", None)
        if transition is None:
            raise Unsupported(
                f"{self.client.upstream} behind this gateway does not let its API change "
                "the status of patient records that way."
            )
        answer: R = await transition(up_cur, record.status)
        return answer

    async def _check_unchanged(
        self, model: type[Record], key: Any, mirrored: str | None, parent: Record
    ) -> None:
        """Conflict when the upstream's record is not the one mirrored (Open Dental,
        DrChrono: no conditional writes)."""
        if mirrored is None or not self.client.supports(model, "read"):
            return  # no stamp, or no read (Open Dental allergies): the last writer wins
        res = self.client.resource(model)
        now = stamp_of(await self.client.read(model, key, parent), res)
        if now != mirrored and now[0] == mirrored[0]:
            self.woken()
            raise Conflict(
                f"{model.__name__} was changed on {self.client.upstream} since this gateway "
                "last synchronised it; read it again and reapply the change."
            )

    async def delete(self, model: type[R], num: int, *, hard: bool = False) -> R:
        async with self.store.store.transaction() as conn:
            current = await self.store.get(model, num=num)
            return await self._remove(
                conn, current, lambda: self.store.delete(model, num, hard=hard)
            )

    async def _remove(self, conn: Any, current: R, local: Callable[[], Awaitable[R]]) -> R:
        model = type(current)
        self._allowed(model, "delete", "archive")
        assert current.num is not None
        entry = self.xw.by_num(conn, model.resource, current.num)
        if entry is None:
            raise NotFound(f"{model.__name__} not found.", resource=model.resource)
        parent = self._outbound(conn, current, entry.key)
        archive = getattr(self.client, "archive", None)
        if "archive" in self.client.resource(model).operations and archive is not None:
            version = version_of(entry.stamp)
            if version is not None:
                parent = parent.model_copy(update={"version": version})
            await archive(parent)  # the org API's soft delete
        else:
            await self.client.delete(model, entry.key, parent)
        return await local()


def _unsent(codec: Codec, method: str, record: Record, current: Record) -> list[str]:
    """Fields the upstream holds and ``method`` cannot change, that ``record`` changes."""
    fields = type(record).model_fields
    sent = {f.canonical for f in codec.fields if f.accepted_on(method)}
    held = {
        f.canonical
        for f in codec.fields
        if f.canonical in fields and f.canonical not in SYSTEM and not f.read_only
    }
    return sorted(name for name in held - sent if getattr(record, name) != getattr(current, name))


def _raise(label: str, target: RefTo) -> Ref:
    raise NotFound(f"{label} not found.", resource=target.resource, field=label)
