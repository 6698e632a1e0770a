"""The two ends of a migration: a server of a dialect (through its client) or a store.

Every end answers the same questions for the run: which resources it lists
and creates, a record's key, how a reference names a record, a stream of
pages of one resource changed since a watermark (never a whole resource in
memory), one record fetched by key, a create, an update, and the records a
create might already have made (the exactly-once lookup). Records are in the
end's own id space throughout.

Decisions:

- **Keys** are text: an Open Dental or DrChrono integer, an org API UUID, a
  store's ``num``.
- **Watermarks** are the source's own clock or sequence, never this machine's
  time of day, and never miss a record changed during the read:

  - Open Dental: the ``serverDateTime`` of the first page read (every record
    changed after that instant is stamped at or after it; ``DateTStamp`` is
    inclusive). A list showing no ``serverDateTime`` takes the latest
    ``DateTStamp`` less the read's duration (the overlap rule below).
  - DrChrono: ``since`` is inclusive on ``updated_at``; the next watermark is
    the latest ``updated_at`` read, less the time the read took plus a
    minute. A record changed during the read is stamped after the read
    began, which is no later than that, so it is read again next time.
  - org API: the seed has no changed-since filter but the patients' sort by
    ``updated_at``; every resource is therefore read whole (archived lanes
    too) and only records stamped at or after the watermark move, the
    watermark following the same overlap rule as DrChrono's. An incremental
    run over the org API saves writes, not reads.
  - store: the tenant's change sequence (``seq``), assigned in commit order:
    exact, no overlap needed.

  Resources with no changed-since filter at their source (Open Dental
  clinics, DrChrono doctors, offices, clinical lists) are read whole every
  time; the crosswalk's fingerprints make what did not change a no-op.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from uuid import UUID

from canonical import Cond, Order, PatientStatus, Query, Record, Ref, model_for
from dialects.client import DialectClient, Remote, one_per_field
from dialects.codec import Codec, CodecContext
from gateway.backends.store import TenantStore

__all__ = ["ClientEnd", "End", "Reading", "StoreEnd"]

OVERLAP_MARGIN = timedelta(minutes=1)
"""Added to a read's duration when a watermark is the latest stamp less that."""

STORE_PAGE = 500

OD_BY_PATIENT = frozenset({"allergy", "medication"})
"""Open Dental lists that answer only for one ``PatNum``: read patient by patient."""


@dataclass(slots=True)
class Reading:
    """One read of a resource: where it started, where the next should start."""

    since: Any
    watermark: Any = None
    started: float = field(default_factory=time.monotonic)
    latest: datetime | None = None
    latest_shown: str | None = None
    total: int | None = None

    def overlap(self) -> timedelta:
        return timedelta(seconds=time.monotonic() - self.started) + OVERLAP_MARGIN


class End:
    """What a run needs of either end."""

    shown: str
    dialect: str | None
    """The dialect whose codecs the end reads and writes; ``None``: a store (canonical)."""
    tz: tzinfo

    def lists(self, resource: str) -> bool:
        raise NotImplementedError

    def creates(self, resource: str) -> bool:
        raise NotImplementedError

    def key(self, record: Record) -> str:
        raise NotImplementedError

    def ref_key(self, ref: Ref) -> str | None:
        raise NotImplementedError

    def ref(self, resource: str, key: str, name: str | None) -> Ref:
        raise NotImplementedError

    def since_mark(self, since: datetime) -> Any:
        """The watermark of ``--since`` (an aware instant) on this end."""
        raise NotImplementedError

    def pages(self, model: type[Record], reading: Reading) -> AsyncIterator[list[Record]]:
        raise NotImplementedError

    async def fetch(self, model: type[Record], key: str, like: Record) -> Record | None:
        """The record of ``key`` (``like``: a record naming its patient), or ``None``."""
        raise NotImplementedError

    async def create(self, record: Record) -> Record:
        raise NotImplementedError

    async def update(self, record: Record, current: Record) -> Record:
        raise NotImplementedError

    def candidates(self, model: type[Record], like: Record) -> AsyncIterator[Record]:
        """Records that may be ``like`` (its patient's, or of its names)."""
        raise NotImplementedError

    def codec(self, resource: str) -> Codec | None:
        return None


class ClientEnd(End):
    """A server of a dialect, through its client."""

    def __init__(self, client: DialectClient, shown: str) -> None:
        self.client = client
        self.shown = shown
        self.dialect = client.dialect
        self.tz = client.tz
        self.uuid_keyed = client.dialect == "orgapi"

    def _remote(self, resource: str) -> Remote | None:
        return self.client.resources.get(resource)

    def lists(self, resource: str) -> bool:
        res = self._remote(resource)
        return res is not None and "list" in res.operations

    def creates(self, resource: str) -> bool:
        res = self._remote(resource)
        return res is not None and "create" in res.operations

    def updates(self, resource: str) -> bool:
        res = self._remote(resource)
        return res is not None and bool({"update", "replace"} & set(res.operations))

    def codec(self, resource: str) -> Codec | None:
        res = self._remote(resource)
        return None if res is None else res.codec

    def key(self, record: Record) -> str:
        return str(record.uuid if self.uuid_keyed else record.num)

    def ref_key(self, ref: Ref) -> str | None:
        value = ref.uuid if self.uuid_keyed else ref.num
        return None if value is None else str(value)

    def ref(self, resource: str, key: str, name: str | None) -> Ref:
        return Ref(uuid=UUID(key), name=name) if self.uuid_keyed else Ref(num=int(key), name=name)

    def since_mark(self, since: datetime) -> Any:
        local = since.astimezone(self.tz).replace(tzinfo=None)
        if self.dialect == "opendental":
            return local.strftime("%Y-%m-%d %H:%M:%S")
        if self.dialect == "drchrono":
            return local.strftime("%Y-%m-%dT%H:%M:%S")
        return since.astimezone(UTC).isoformat()

    # -- reading ---------------------------------------------------------------------

    async def pages(self, model: type[Record], reading: Reading) -> AsyncIterator[list[Record]]:
        res = self.client.resource(model)
        if self.dialect == "orgapi":
            async for page in self._orgapi_pages(model, res, reading):
                yield page
            return
        params: dict[str, Any] = {}
        params.update(self.client.whole_listing(model))
        if reading.since and res.since:
            params[res.since] = reading.since
        first_server_time: str | None = None
        async for items in self._lists(res, params):
            page = []
            for item in items:
                record = self.client.decode(res, item, res.lister.codec)
                page.append(record)
                shown = item.get("serverDateTime") if self.dialect == "opendental" else None
                if first_server_time is None and isinstance(shown, str) and shown:
                    first_server_time = shown
                self._note(reading, record, item)
            yield page
        if not res.since:
            reading.watermark = None  # no feed: read whole every time
        elif first_server_time is not None:
            reading.watermark = first_server_time
        else:
            reading.watermark = self._overlapped(reading)

    async def _lists(
        self, res: Remote, params: dict[str, Any]
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """The list's pages; patient by patient where the list requires one."""
        if not (self.dialect == "opendental" and res.model.resource in OD_BY_PATIENT):
            async for items in self.client.pages(res, params):
                yield items
            return
        patients = self.client.resource(model_for("patient"))
        async for people in self.client.pages(patients, {}):
            for person in people:
                async for items in self.client.pages(res, {**params, "PatNum": person["PatNum"]}):
                    yield items

    async def _orgapi_pages(
        self, model: type[Record], res: Remote, reading: Reading
    ) -> AsyncIterator[list[Record]]:
        since = _aware(reading.since) if reading.since else None
        lanes: list[Mapping[str, str]] = [{}, *self.client.archived_listings(model)]
        for n, lane in enumerate(lanes):
            async for items in self.client.pages(res, lane):
                page = []
                for item in items:
                    record = self.client.decode(res, item, res.lister.codec)
                    if n and record.deleted_at is None:
                        continue  # shown by the live listing too (archived by status only)
                    stamp = record.updated_at or record.created_at
                    self._note(reading, record, item)
                    if since is None or stamp is None or stamp >= since:
                        page.append(record)
                yield page
        reading.watermark = self._overlapped(reading) or reading.since

    def _note(self, reading: Reading, record: Record, item: Mapping[str, Any]) -> None:
        stamp = record.updated_at or record.created_at
        if stamp is not None and (reading.latest is None or stamp > reading.latest):
            reading.latest = stamp

    def _overlapped(self, reading: Reading) -> Any:
        if reading.latest is None:
            return reading.since
        return self.since_mark(reading.latest - reading.overlap())

    async def fetch(self, model: type[Record], key: str, like: Record) -> Record | None:
        from canonical import NotFound

        res = self.client.resource(model)
        parsed: Any = UUID(key) if self.uuid_keyed else int(key)
        if "read" in res.operations:
            try:
                return await self.client.read(model, parsed, like)
            except NotFound:
                return None
        async for record in self.candidates(model, like):
            if self.key(record) == key:
                return record
        return None

    def candidates(self, model: type[Record], like: Record) -> AsyncIterator[Record]:
        res = self.client.resource(model)
        params: dict[str, Any] = {}
        patient = getattr(like, "patient", None)
        takes = set(getattr(res.lister, "takes", ()) or ())
        if self.dialect == "opendental" and isinstance(patient, Ref) and "PatNum" in takes:
            params["PatNum"] = patient.num
        elif self.dialect == "drchrono" and isinstance(patient, Ref) and patient.num:
            params["patient"] = patient.num
        params.update(self.client.whole_listing(model))  # inactive, archived ones too
        if self.dialect == "orgapi":  # a per-patient list is read through the patient
            lister: Any = self.client.list
            owner = getattr(res.declaration, "owner", None)
            return lister(model, params, like) if owner else lister(model, params)
        return self.client.list(model, params)

    # -- writing ---------------------------------------------------------------------

    async def create(self, record: Record) -> Record:
        """POST the whole body (:meth:`body`), then archive what the source has
        archived where the target cannot create it so (an org API patient)."""
        client = self.client
        model = type(record)
        archived = self.dialect == "orgapi" and getattr(record, "status", None) is (
            PatientStatus.archived
        )
        if archived:
            record = record.model_copy(update={"status": PatientStatus.active})
        res = client._require(model, "create")
        headers, retry = client.create_headers(res, record)
        response = await client.call(
            "POST",
            client.collection_url(res, record),
            json=self.body(record),
            headers=headers,
            retry=retry,
        )
        created = client.decode(res, client.payload(response))
        if archived and client.supports(model, "archive"):
            created = await client.archive(created) or created
        return created

    async def update(self, record: Record, current: Record) -> Record:
        return await self.client.update(record, current)

    def body(self, record: Record) -> dict[str, Any]:
        """The create body: what the client sends, and every accepted field holding a
        value equal to its canonical default too (a ``phone`` commlog mode, a
        ``False``): the target's own default for a key left out may differ."""
        res = self.client.resource(type(record))
        out = self.client.body(res, record, "create")
        extra = []
        for f in one_per_field(res.codec, "POST", record):
            if f.wire in out or f.extension or f.canonical is None:
                continue
            if getattr(record, f.canonical, None) not in (None, ""):
                extra.append(f.wire)
        if extra:
            out |= res.codec.encode(record, self.client.ctx(), only=extra, request=True)
        return out

    def ctx(self) -> CodecContext:
        return self.client.ctx()


class StoreEnd(End):
    """A tenant of a local database (the embedded store), read and written directly."""

    def __init__(self, backend: TenantStore, shown: str, tz: tzinfo) -> None:
        self.backend = backend
        self.shown = shown
        self.dialect = None
        self.tz = tz
        self._uuids: dict[tuple[str, int], UUID] = {}

    def lists(self, resource: str) -> bool:
        return True

    def creates(self, resource: str) -> bool:
        return True

    def updates(self, resource: str) -> bool:
        return True

    def key(self, record: Record) -> str:
        return str(record.num)

    def ref_key(self, ref: Ref) -> str | None:
        return None if ref.num is None else str(ref.num)

    def ref(self, resource: str, key: str, name: str | None) -> Ref:
        # A stored reference carries both identities: the org API shows the uuid.
        num = int(key)
        uuid = self._uuids.get((resource, num))
        if uuid is None:
            uuid = _uuid_of(self.backend, resource, num)
            if len(self._uuids) < 100_000:
                self._uuids[(resource, num)] = uuid
        return Ref(num=num, uuid=uuid, name=name)

    def since_mark(self, since: datetime) -> Any:
        return {"updated_at": since.astimezone(UTC).isoformat()}

    async def pages(self, model: type[Record], reading: Reading) -> AsyncIterator[list[Record]]:
        mark = reading.since or {}
        where: list[Any] = []
        if "seq" in mark:
            where.append(Cond("seq", "gt", int(mark["seq"])))
        if "updated_at" in mark:
            where.append(Cond("updated_at", "ge", datetime.fromisoformat(mark["updated_at"])))
        reading.total = await self.backend.count(
            model, Query(where=list(where), include_deleted=True)
        )
        last_seq = int(mark.get("seq", 0))
        after: tuple[Any, ...] | None = None
        while True:
            query = Query(
                where=list(where),
                order=[Order("seq")],
                limit=STORE_PAGE,
                after=after,
                include_deleted=True,
            )
            page = (await self.backend.find(model, query)).items
            if not page:
                break
            last_seq = max(last_seq, *(r.seq for r in page))
            yield list(page)
            after = (page[-1].seq, page[-1].num)
        reading.watermark = {"seq": last_seq}

    async def fetch(self, model: type[Record], key: str, like: Record) -> Record | None:
        from canonical import NotFound

        try:
            return await self.backend.get(model, num=int(key), include_deleted=True)
        except NotFound:
            return None

    async def by_uuid(self, model: type[Record], uuid: UUID) -> Record | None:
        from canonical import NotFound

        try:
            return await self.backend.get(model, uuid=uuid, include_deleted=True)
        except NotFound:
            return None

    async def create(self, record: Record) -> Record:
        return await self.backend.create(record)

    async def update(self, record: Record, current: Record) -> Record:
        update = {"num": current.num, "uuid": current.uuid, "created_at": current.created_at}
        return await self.backend.update(record.model_copy(update=update))

    async def candidates(self, model: type[Record], like: Record) -> AsyncIterator[Record]:
        after: tuple[Any, ...] | None = None
        while True:
            query = Query(order=[Order("num")], limit=STORE_PAGE, after=after)
            page = (await self.backend.find(model, query)).items
            if not page:
                return
            for record in page:
                yield record
            after = (page[-1].num,)


def _aware(value: Any) -> datetime:
    out = datetime.fromisoformat(str(value))
    return out if out.tzinfo else out.replace(tzinfo=UTC)


def _uuid_of(backend: TenantStore, resource: str, num: int) -> UUID:
    import sqlalchemy as sa

    from gateway.backends.store.schema import table_for

    table = table_for(model_for(resource))
    with backend.store._read() as conn:
        found = conn.execute(
            sa.select(table.c.uuid).where(
                table.c.tenant_id == backend.tenant.id, table.c.num == num
            )
        ).scalar_one_or_none()
    if found is None:
        raise LookupError(f"no {resource} {num} in the store")
    return UUID(str(found))
