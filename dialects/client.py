"""A dialect as a client: the mirror image of its server side.

A client reads the same :class:`~dialects.resource.Resource` declarations the
server is built from (paths, operations, the codec and its per-method field
flags) and uses the codec the other way round: it encodes a canonical record
as the request body a server of the dialect accepts, and decodes the
server's answers into canonical records. It works in the upstream's own id
space: a record it returns carries the upstream's ids (``num`` for the
integer dialects, ``uuid`` for the org API), and so do the references inside
it; mapping them to the gateway's own ids is the upstream backend's job.

Each dialect subclasses :class:`DialectClient` once, with its resources, its
authentication, how a list is walked to its end, the changed-since feed and
how its refusals map to canonical errors. Everything goes through one
:class:`~dialects.transport.Transport` (rate limit, retries, faults).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

import httpx

from canonical import BadUpstream, CanonicalError, Record, Unsupported
from dialects.codec import Codec, CodecContext, EnumMap, merge_patch
from dialects.resource import METHOD_OF, Operation, Resource
from dialects.transport import Policy, Transport, json_body

__all__ = ["Changes", "DialectClient", "Key", "Remote", "one_per_field"]

R = TypeVar("R", bound=Record)
Key = int | UUID
"""A record's id on the upstream: its integer (Open Dental, DrChrono) or UUID (org API)."""


@dataclass(frozen=True, slots=True)
class Remote:
    """One resource as a client reaches it: the server declaration (paths, codec),
    with what the real API allows where the declaration serves some operations
    through named functions (Open Dental's patient POST and PUT)."""

    declaration: Resource
    allows: tuple[Operation, ...] | None = None
    """The operations of the real API; ``None``: the declaration's."""
    since: str | None = None
    """The list's changed-since parameter (``DateTStamp``, ``since``); ``None``: none."""
    listing: Resource | None = None
    """Where a list is read from when not the declaration's path (``/patients/Simple``)."""

    @property
    def lister(self) -> Resource:
        return self.listing or self.declaration

    @property
    def operations(self) -> tuple[Operation, ...]:
        return self.allows if self.allows is not None else self.declaration.operations

    @property
    def path(self) -> str:
        return self.declaration.path

    @property
    def codec(self) -> Codec:
        return self.declaration.codec

    @property
    def model(self) -> type[Record]:
        return self.declaration.codec.model


@dataclass(frozen=True, slots=True)
class Changes(Generic[R]):
    """One pull of a changed-since feed: the records, and the watermark to ask
    from next time (the server's own clock or cursor, never this machine's)."""

    records: list[R]
    watermark: Any


class DialectClient:
    """The client of one real server of a dialect."""

    dialect: ClassVar[str]
    """The dialect's name (its codecs' ``dialect``)."""
    upstream: ClassVar[str]
    """How messages name the server ("The Open Dental server")."""
    resources: ClassVar[Mapping[str, Remote]]
    """Canonical resource name -> how this client reaches it."""
    default_policy: ClassVar[Policy] = Policy()
    """The rate, retries and timeouts when the caller gives none."""

    def __init__(
        self, http: httpx.AsyncClient, *, policy: Policy | None = None, tz: tzinfo = UTC
    ) -> None:
        self.http = http
        self.transport = Transport(http, policy or self.default_policy, upstream=self.upstream)
        self.tz = tz
        """The practice's zone: how the upstream's zone-less times are read and written."""

    # -- the dialect's conventions ---------------------------------------------------

    def ctx(self) -> CodecContext:
        return CodecContext(tz=self.tz, now=datetime.now(UTC))

    def key_of(self, record: Record) -> Key:
        """The id the upstream knows ``record`` by."""
        if record.num is None:
            raise ValueError(f"{type(record).__name__} has no upstream id")
        return record.num

    def collection_url(self, resource: Remote, record: Record | None = None) -> str:
        """The list and create URL of ``resource`` (``record``: the one being created,
        for dialects whose collections hang off a parent)."""
        return resource.path

    def item_url(self, resource: Remote, key: Key, record: Record | None = None) -> str:
        return f"{self.collection_url(resource, record)}/{key}"

    def whole_listing(self, model: type[Record]) -> Mapping[str, str]:
        """What a list of ``model`` needs to leave nothing out (inactive and archived
        records too): what a mirror or a migration reads."""
        return {}

    def archived_listings(self, model: type[Record]) -> Sequence[Mapping[str, str]]:
        """Further listings of ``model`` showing archived records its default list
        leaves out (and no ``whole_listing`` parameter brings in)."""
        return ()

    async def archive(self, record: R) -> R | None:
        """Archive ``record`` where the dialect has archiving (the org API)."""
        raise Unsupported(f"{self.upstream} has no archiving of {record.resource} records.")

    def auth_headers(self) -> dict[str, str]:
        """Headers every request carries (a static credential); DrChrono's OAuth is
        an ``httpx.Auth`` on the client instead, since it refreshes."""
        return {}

    def refusal(self, response: httpx.Response) -> CanonicalError:
        """The canonical error for a 4xx answer of the upstream."""
        raise NotImplementedError

    def pages(
        self, resource: Remote, params: Mapping[str, Any]
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Every page of a list, walked the dialect's way to its end."""
        raise NotImplementedError

    async def changed_since(self, model: type[R], watermark: Any) -> Changes[R]:
        """Every record changed at or after ``watermark`` (``None``: all of them)."""
        raise NotImplementedError

    def create_headers(self, resource: Remote, record: Record) -> tuple[dict[str, str], bool]:
        """Headers of a create, and whether it may be retried (an idempotency key)."""
        return {}, False

    async def updated(
        self, resource: Remote, key: Key, response: httpx.Response, record: Record
    ) -> Record:
        """The record after an update the upstream accepted: its answer, or a re-read
        where it answers without a body (DrChrono's 204)."""
        if response.status_code == 204 or not response.content:
            return await self.read(resource.model, key, record)
        return self.decode(resource, self.payload(response))

    # -- operations ----------------------------------------------------------------------

    def resource(self, model: type[Record]) -> Remote:
        found = self.resources.get(model.resource)
        if found is None:
            raise Unsupported(f"{self.upstream} has no {model.resource} resource here.")
        return found

    def supports(self, model: type[Record], operation: Operation) -> bool:
        res = self.resources.get(model.resource)
        return res is not None and operation in res.operations

    def _require(self, model: type[Record], operation: Operation) -> Remote:
        res = self.resource(model)
        if operation not in res.operations:
            raise Unsupported(
                f"{self.upstream} does not allow {operation} on {model.resource} records."
            )
        return res

    async def read(self, model: type[R], key: Key, parent: Record | None = None) -> R:
        res = self._require(model, "read")
        response = await self.call("GET", self.item_url(res, key, parent))
        return self._as(model, self.decode(res, self.payload(response)))

    async def list(
        self, model: type[R], params: Mapping[str, Any] | None = None
    ) -> AsyncIterator[R]:
        """Every record of the list, page after page to its end."""
        res = self._require(model, "list")
        async for page in self.pages(res, dict(params or {})):
            for item in page:
                yield self._as(model, self.decode(res, item, res.lister.codec))

    async def create(self, record: R) -> R:
        model = type(record)
        res = self._require(model, "create")
        body = self.body(res, record, "create")
        headers, retry = self.create_headers(res, record)
        response = await self.call(
            "POST", self.collection_url(res, record), json=body, headers=headers, retry=retry
        )
        return self._as(model, self.decode(res, self.payload(response)))

    async def update(self, record: R, current: R) -> R:
        """Send what changed from ``current`` (as the upstream showed it) to ``record``."""
        model = type(record)
        operation: Operation = (
            "update" if "update" in self.resource(model).operations else "replace"
        )
        res = self._require(model, operation)
        key = self.key_of(current)
        body = self.body(res, record, operation, current=current)
        response = await self.call(METHOD_OF[operation], self.item_url(res, key, record), json=body)
        return self._as(model, await self.updated(res, key, response, record))

    async def delete(self, model: type[Record], key: Key, parent: Record | None = None) -> None:
        res = self._require(model, "delete")
        await self.call("DELETE", self.item_url(res, key, parent))

    # -- encoding and decoding --------------------------------------------------------

    def body(
        self,
        resource: Remote,
        record: Record,
        operation: Operation,
        *,
        current: Record | None = None,
    ) -> dict[str, Any]:
        """The request body for ``operation``: the keys its method accepts, one per
        canonical field, and on an update only those whose value changed."""
        codec = resource.codec
        method = METHOD_OF[operation]
        ctx = self.ctx()
        rows = one_per_field(codec, method, record)
        if current is None:  # a create: what is set, and what the method requires
            rows = [f for f in rows if f.required_on(method) or _is_set(record, f, codec.dialect)]
        names = [f.wire for f in rows]
        if current is not None:
            shown = codec.encode(current, ctx, only=names, request=True)
            wanted = codec.encode(record, ctx, only=names, request=True)
            names = [n for n in names if wanted.get(n) != shown.get(n)]
        return codec.encode(record, ctx, only=names, request=True)

    def decode(self, resource: Remote, payload: Any, codec: Codec | None = None) -> Record:
        """A record from one object of the upstream's answer (``codec``: the list's,
        where it differs)."""
        if not isinstance(payload, Mapping):
            raise BadUpstream(
                f"{self.upstream} answered a {type(payload).__name__} where a record was due."
            )
        codec = codec or resource.codec
        ctx = self.ctx()
        try:
            shown, nearest = _readable(codec, payload, ctx)
            patch = codec.decode(shown, ctx, allow_unknown=True, include_read_only=True)
            return merge_patch(None, codec.model, {**patch, **nearest})
        except (CanonicalError, ValueError) as exc:
            message = exc.message if isinstance(exc, CanonicalError) else type(exc).__name__
            raise BadUpstream(
                f"{self.upstream} answered a {codec.model.resource} this gateway cannot read: "
                f"{message}"
            ) from None

    def payload(self, response: httpx.Response) -> Any:
        return json_body(response, self.upstream)

    async def call(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: bool | None = None,
    ) -> httpx.Response:
        """Send one request with the dialect's credentials; a 4xx becomes the
        dialect's refusal as a canonical error."""
        sent = {**self.auth_headers(), **(headers or {})}
        response = await self.transport.send(
            method, url, params=params, json=json, headers=sent, retry=retry
        )
        if response.status_code >= 400:
            raise self.refusal(response)
        return response

    @staticmethod
    def _as(model: type[R], record: Record) -> R:
        assert isinstance(record, model)
        return record


def one_per_field(codec: Codec, method: str, record: Record) -> Sequence[Any]:
    """The rows ``method`` accepts, one per canonical field: where two keys feed one
    field (``CommType`` and ``commType``), the id, unless the reference has only a name."""
    chosen: dict[str, Any] = {}
    out = []
    for f in codec.fields:
        if not f.accepted_on(method) or (f.canonical is None and not f.extension):
            continue
        if f.extension or f.canonical is None:
            out.append(f)
            continue
        first = chosen.get(f.canonical)
        if first is None:
            chosen[f.canonical] = f
            out.append(f)
            continue
        value = getattr(record, f.canonical, None)
        by_name = getattr(value, "num", None) is None and getattr(value, "name", None)
        if by_name and f.ref is not None and first.ref is None:
            out[out.index(first)] = f
            chosen[f.canonical] = f
    return out


def _readable(
    codec: Codec, payload: Mapping[str, Any], ctx: CodecContext
) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """``payload`` without the keys a server shows but its converter refuses to read
    back, and the canonical values some of them stand for.

    - A code a table shows only as the nearest of a member it has no text for
      (DrChrono shows an unknown gender as ""): that member, the first with that
      nearest text. A request may not send it; an answer may show it.
    - A null for an unset value a request may not send (an enum that is
      ``None``): dropped, so the field keeps its default, the value it was shown from.
    - A display companion (a name shown beside the reference another key
      carries): dropped.
    """
    fed: dict[str, list[str]] = {}
    for wire in payload:
        f = codec.by_wire.get(wire)
        if f is not None and f.canonical is not None:
            fed.setdefault(f.canonical, []).append(wire)
    dropped = set()
    nearest: dict[str, Any] = {}
    for wire, raw in payload.items():
        f = codec.by_wire.get(wire)
        if f is None or f.canonical is None:
            continue
        member = _nearest_member(f.conv, raw)
        if member is not None:
            dropped.add(wire)
            nearest[f.canonical] = member
            continue
        if raw is not None and len(fed[f.canonical]) < 2:
            continue  # the only key of its field: a value it cannot read is the server's fault
        try:
            f.conv.from_wire(raw, ctx)
        except (ValueError, TypeError, AttributeError):
            dropped.add(wire)
    shown = {k: v for k, v in payload.items() if k not in dropped} if dropped else payload
    return shown, nearest


def _nearest_member(conv: Any, raw: Any) -> Any:
    """The member a code table shows as ``raw`` only as its nearest, if any."""
    if not isinstance(conv, EnumMap) or not isinstance(raw, str) or raw in conv.table:
        return None
    return next((m for m, text in conv.nearest.items() if text == raw), None)


def _is_set(record: Record, f: Any, dialect: str) -> bool:
    """Whether the record holds a value for the row other than its field's default."""
    if f.extension:
        return f.wire in record.extensions.get(dialect, {})
    value = getattr(record, f.canonical)
    info = type(record).model_fields.get(f.canonical)
    if info is None:  # a derived property: set when it holds anything
        return bool(value)
    return bool(value != info.get_default(call_default_factory=True))
