"""The client of a real UUID org API server (seed 003).

Decisions:

- **Base URL and auth.** The ``httpx.AsyncClient`` it is given points at the
  API root (``https://host/api/v1``); the client fills ``{org_id}`` in every
  path from its setting, and every request carries ``Authorization: Bearer
  {token}``. A 401/403 is this gateway's credentials refused (502, naming the
  ``upstream_auth`` setting): see :mod:`.client_errors` for every refusal.
- **Ids.** The org API works in UUIDs: a record's key is its ``uuid``, and a
  per-patient record (``/patients/{patient_uuid}/...``) is reached through
  its patient reference's ``uuid``. A record without the id a request needs is
  :class:`~canonical.Invalid`, before anything is sent.
- **Paging.** Patients are listed through ``/patients/cursor`` (``first=200``,
  ``after=end_cursor`` while ``has_next_page``), the one keyset listing the
  document has; every other list by ``page``/``page_size=200`` until a short
  page or ``total``, an id already seen on an earlier page skipped (an
  insert while walking shifts an offset page; the listings are in creation or
  display order, so a shift repeats a record, which is dropped). A
  per-patient resource listed without ``patient_uuid`` in its parameters is
  read patient by patient, over every patient, archived ones included (their
  charts stay readable).
- **Sync.** Patients: the cursor listing sorted by ``updated_at`` ascending is
  the feed, once for the live patients and once for ``status=archived`` (an
  archived patient leaves the default listing); the watermark is the pair of
  ``end_cursor`` values the server last gave (its clock and its keyset, never
  this machine's), kept as is when a lane had nothing new. Every other
  resource has no changed-since filter in the org API: its feed reads it
  whole (every patient's, for a per-patient one) and keeps the records whose
  ``updated_at`` (``created_at`` for append-only communication logs) the
  server shows at or after the watermark, the latest of those stamps being the
  next watermark. Records stamped at the watermark are read again (a mirror
  applies them as no-ops). Archived records leave those listings (alerts have
  an archived lane, as patients), so a full read (watermark ``None``) is the
  live set and an archive shows only as a record gone from it.
- **Writes** are in :mod:`.client_writes`: PATCH on ``base_version``, the
  merge rule on 409, archive, restore and status transitions. The org API has
  no DELETE: :meth:`delete` is unsupported, :meth:`archive` is its deletion.
- **Creates** carry an ``Idempotency-Key`` (:func:`idempotency_key`) and may
  therefore be retried by the transport: the server answers a repeat with the
  first answer and creates nothing.
- **Custom field values** are listed and fed as the other per-patient
  records and written through their bulk upsert (:mod:`.client_fields`). The
  views computed from records (family, medical summary, dependents,
  guardians, duplicate check, counts, search, bulk import) are not records
  here: a mirror computes them from the records it holds.
- **Rate.** 10 requests per second by default (the document states no limit);
  times are ISO 8601 in UTC, so the practice's zone plays no part.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeVar
from uuid import UUID

import httpx
import orjson

from canonical import (
    BadUpstream,
    CanonicalError,
    FieldValue,
    Invalid,
    NotFound,
    Patient,
    Record,
)
from dialects.client import Changes, Key, Remote
from dialects.codec import Codec
from dialects.orgapi import (
    alerts,
    allergies,
    communication_logs,
    definitions,
    diseases,
    medications,
    patient_lists,
    patients,
    referrals,
    relationships,
    tags,
    vitals,
)
from dialects.orgapi.client_errors import refusal
from dialects.orgapi.client_fields import FIELD_VALUES, FieldValues
from dialects.orgapi.client_writes import VersionedWrites, declared
from dialects.orgapi.paging import MAX_PAGE_SIZE, CursorPaging
from dialects.transport import Policy

__all__ = ["OrgApiClient", "idempotency_key"]

R = TypeVar("R", bound=Record)

ARCHIVED_LANES: Mapping[str, Mapping[str, str]] = {
    "patient": {"status": "archived"},
    "patient_alert": {"status": "archived"},
}
"""Resources whose archived records a listing shows when asked: their feeds read
that lane too, so an archive reaches a mirror."""

FEED = {"sort_by": "updated_at", "sort_dir": "asc"}
"""The patients' changed-since feed: the cursor listing in change order."""


def idempotency_key(org_id: UUID, url: str, record: Record, body: Mapping[str, Any]) -> str:
    """The ``Idempotency-Key`` of creating ``record`` at ``url``.

    A SHA-256 of the org, the collection and the record's identity: its
    ``uuid`` where the caller gave it one (the id the caller knows the record
    by: a mirror's or a migration source's), else the request body itself. So
    a create sent again for the same record, by the transport or by a caller
    after a timeout, reuses the key and the server makes one record. Without
    a ``uuid``, two creates of exactly the same content are one record too;
    a caller meaning two identical records gives each its own ``uuid``.
    """
    if record.uuid is not None:
        identity = b"uuid:" + str(record.uuid).encode()
    else:
        identity = b"body:" + orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    digest = hashlib.sha256()
    for part in (str(org_id).encode(), url.encode(), identity):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return f"gw-{digest.hexdigest()}"


class OrgApiClient(VersionedWrites, FieldValues):
    dialect = "orgapi"
    upstream = "The org API server"
    default_policy = Policy(rate=10.0)
    resources = {
        "patient": Remote(
            patients.PATIENTS,
            allows=("read", "list", "create", "update", "archive"),
            listing=patient_lists.CURSOR_LIST,
        ),
        "patient_alert": Remote(alerts.RESOURCE),
        "allergy": Remote(allergies.RESOURCE),
        "problem": Remote(diseases.RESOURCE),
        "medication": Remote(medications.RESOURCE),
        "vital_sign": Remote(vitals.RESOURCE),
        "referral_attribution": Remote(referrals.RESOURCE),
        "relationship": Remote(relationships.RESOURCE),
        "commlog": Remote(communication_logs.RESOURCE),
        "tag_assignment": Remote(tags.RESOURCE),
        "alert_definition": Remote(definitions.ALERTS),
        "field_definition": Remote(definitions.FIELDS),
        "tag_definition": Remote(definitions.TAGS),
        "field_value": Remote(FIELD_VALUES),
    }

    def archived_listings(self, model: type[Record]) -> Sequence[Mapping[str, str]]:
        lane = ARCHIVED_LANES.get(model.resource)
        return (lane,) if lane is not None else ()

    def __init__(
        self,
        http: httpx.AsyncClient,
        token: str,
        org_id: UUID | str,
        *,
        policy: Policy | None = None,
        tz: tzinfo = UTC,
    ) -> None:
        super().__init__(http, policy=policy, tz=tz)
        self.token = token
        self.org_id = UUID(str(org_id))

    # -- auth, ids and urls ---------------------------------------------------------------

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def refusal(self, response: httpx.Response) -> CanonicalError:
        return refusal(response, self.upstream)

    def key_of(self, record: Record) -> Key:
        if record.uuid is None:
            raise Invalid(
                f"This {record.resource} has no id on {self.upstream}.", {"id": "is required"}
            )
        return record.uuid

    def url(self, template: str, patient: UUID | str | None = None) -> str:
        """A declared path with the org, and the patient where the path names one."""
        if "{patient_uuid}" not in template:
            return template.format(org_id=self.org_id)
        if patient is None:
            raise Invalid(
                f"A per-patient record needs its patient's id on {self.upstream}.",
                {"patient": "is required"},
            )
        return template.format(org_id=self.org_id, patient_uuid=patient)

    def patient_of(self, resource: Remote, record: Record | None) -> UUID | None:
        """The patient a per-patient record (or the patient itself) is reached through."""
        if record is None:
            return None
        if isinstance(record, Patient):
            return record.uuid
        owner = declared(resource).owner
        ref = getattr(record, owner, None) if owner else None
        return getattr(ref, "uuid", None)

    def collection_url(self, resource: Remote, record: Record | None = None) -> str:
        return self.url(resource.path, self.patient_of(resource, record))

    def item_url(self, resource: Remote, key: Key, record: Record | None = None) -> str:
        return f"{self.collection_url(resource, record)}/{key}"

    def per_patient(self, resource: Remote) -> bool:
        return "{patient_uuid}" in resource.lister.path

    def decode(self, resource: Remote, payload: Any, codec: Codec | None = None) -> Record:
        if resource.model is FieldValue and isinstance(payload, dict):
            return self.read_value(resource, payload)
        return super().decode(resource, payload, codec)

    def create_headers(self, resource: Remote, record: Record) -> tuple[dict[str, str], bool]:
        body = self.body(resource, record, "create")
        key = idempotency_key(self.org_id, self.collection_url(resource, record), record, body)
        return {"Idempotency-Key": key}, True

    # -- lists --------------------------------------------------------------------------

    async def pages(
        self, resource: Remote, params: Mapping[str, Any]
    ) -> AsyncIterator[list[dict[str, Any]]]:
        async for items, _ in self.walk(resource, params):
            yield items

    async def walk(
        self, resource: Remote, params: Mapping[str, Any], after: str | None = None
    ) -> AsyncIterator[tuple[list[dict[str, Any]], str | None]]:
        """Every page of a list with the cursor it ended on (cursor lists only).

        ``patient_uuid`` in ``params`` is the path's patient; without it a
        per-patient list is read for every patient in turn."""
        query = dict(params)
        patient = query.pop("patient_uuid", None)
        if self.per_patient(resource) and patient is None:
            async for uuid in self.patient_ids():
                try:
                    async for page in self.walk(resource, {**query, "patient_uuid": uuid}):
                        yield page
                except NotFound:  # the patient went between its listing and its chart's
                    continue
            return
        url = self.url(resource.lister.path, patient)
        if isinstance(resource.lister.paging, CursorPaging):
            async for page in self._cursor_pages(url, query, after):
                yield page
        else:
            async for items in self._numbered_pages(url, query):
                yield items, None

    async def patient_ids(self) -> AsyncIterator[UUID]:
        """Every patient's id, archived ones included."""
        res = self.resource(Patient)
        for lane in ({}, ARCHIVED_LANES["patient"]):
            async for items, _ in self.walk(res, lane):
                for item in items:
                    uuid = self.decode(res, item, res.lister.codec).uuid
                    if uuid is not None:
                        yield uuid

    async def _cursor_pages(
        self, url: str, params: dict[str, Any], after: str | None
    ) -> AsyncIterator[tuple[list[dict[str, Any]], str | None]]:
        params.setdefault("first", MAX_PAGE_SIZE)
        while True:
            query = {**params, **({"after": after} if after else {})}
            body = self.payload(await self.call("GET", url, params=query))
            data = body.get("data") if isinstance(body, dict) else None
            info = body.get("page_info") if isinstance(body, dict) else None
            if not isinstance(data, list) or not isinstance(info, dict):
                raise BadUpstream(f"{self.upstream} answered a cursor list with no page.")
            end = info.get("end_cursor")
            if end is not None and not isinstance(end, str):
                raise BadUpstream(f"{self.upstream} answered a cursor that is not text.")
            yield data, end
            if not info.get("has_next_page") or not end or not data:
                return
            after = end

    async def _numbered_pages(
        self, url: str, params: dict[str, Any]
    ) -> AsyncIterator[list[dict[str, Any]]]:
        try:
            size = int(params.pop("page_size", MAX_PAGE_SIZE))
            page = int(params.pop("page", 1))
        except (TypeError, ValueError):
            raise Invalid("page and page_size must be integers.") from None
        seen: set[Any] = set()
        while True:
            query = {**params, "page": page, "page_size": size}
            body = self.payload(await self.call("GET", url, params=query))
            items = body.get("items") if isinstance(body, dict) else None
            total = body.get("total") if isinstance(body, dict) else None
            if not isinstance(items, list) or not isinstance(total, int):
                raise BadUpstream(f"{self.upstream} answered a list with no page.")
            fresh = [i for i in items if not isinstance(i, dict) or i.get("id") not in seen]
            seen.update(i.get("id") for i in items if isinstance(i, dict))
            yield fresh
            if len(items) < size or page * size >= total:
                return
            page += 1

    async def list(
        self,
        model: type[R],
        params: Mapping[str, Any] | None = None,
        parent: Record | None = None,
    ) -> AsyncIterator[R]:
        """Every record of the list to its end; ``parent``: the patient (or a record
        of the patient) whose records a per-patient list reads."""
        query = dict(params or {})
        res = self._require(model, "list")
        patient = self.patient_of(res, parent)
        if patient is not None and self.per_patient(res):
            query["patient_uuid"] = patient
        async for record in super().list(model, query):
            yield record

    # -- changed since ------------------------------------------------------------------

    async def changed_since(self, model: type[R], watermark: Any) -> Changes[R]:
        res = self._require(model, "list")
        if isinstance(res.lister.paging, CursorPaging):
            return await self._cursor_feed(model, res, watermark)
        since = _stamp(watermark)
        archived = ARCHIVED_LANES.get(model.resource)
        lanes: list[Mapping[str, str]] = [{}, *([archived] if archived else [])]
        records: list[R] = []
        latest = since
        for lane in lanes:
            async for items, _ in self.walk(res, lane):
                for item in items:
                    record = self._as(model, self.decode(res, item, res.lister.codec))
                    stamp = record.updated_at or record.created_at
                    if since is None or stamp is None or stamp >= since:
                        records.append(record)
                    if stamp is not None and (latest is None or stamp > latest):
                        latest = stamp
        return Changes(records, None if latest is None else latest.isoformat())

    async def _cursor_feed(self, model: type[R], res: Remote, watermark: Any) -> Changes[R]:
        if watermark is not None and not isinstance(watermark, Mapping):
            raise Invalid(f"{watermark!r} is not a watermark of {self.upstream}'s feed.")
        marks = dict(watermark or {})
        lanes: dict[str, Mapping[str, str]] = {"live": {}}
        if model.resource in ARCHIVED_LANES:
            lanes["archived"] = ARCHIVED_LANES[model.resource]
        records: list[R] = []
        for lane, extra in lanes.items():
            last = marks.get(lane)
            async for items, end in self.walk(res, {**extra, **FEED}, after=last):
                records += [self._as(model, self.decode(res, i, res.lister.codec)) for i in items]
                last = end or last
            marks[lane] = last
        return Changes(records, marks)


def _stamp(watermark: Any) -> datetime | None:
    """A sync watermark this client gave: the server's ISO 8601 stamp."""
    if watermark is None:
        return None
    try:
        value = datetime.fromisoformat(str(watermark))
    except ValueError:
        raise Invalid(f"{watermark!r} is not a watermark of an org API feed.") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
