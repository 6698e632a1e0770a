"""Request and response conventions shared by every DrChrono v4 endpoint
(seed 004: "Requests", "Responses", "Data Types", "Verbose Parameter").

- Bodies: ``application/json`` (an object, or a list of objects on POST),
  ``application/x-www-form-urlencoded`` and ``multipart/form-data``; form
  values are bare strings that the converters accept. Unknown keys are
  ignored and read-only keys skipped, so a client may PUT back what it GOT.
- POST 201 with the created object (a list POST: all created, or none, and the
  list back); PUT replaces every writable key (absent ones return to their
  documented default, "" or null), PATCH changes only the keys given; PUT,
  PATCH and DELETE answer 204 with no body.
- Lists: ``{"next", "previous", "results"}`` with absolute ``next``/``previous``
  URLs: the requested URL with the ``page`` query parameter set to the next or
  previous page number. ``page_size`` defaults to 250 (50 with
  ``verbose=true``); at most :data:`MAX_PAGE_SIZE` (50 with verbose).
- Query parameters: the FIRST occurrence of a name counts. A link carries
  every parameter of the request it answers, with ``page`` last and only
  once; a client that follows it and appends its original parameters again
  (``requests.get(next, params=original)`` does) repeats names after the
  link's own, so the link's ``page`` still counts, even when the original
  query had a ``page`` of its own. (A client that REPLACES the link's query
  with its own, as ``httpx`` does when given ``params=``, drops the page and
  reads page 1 again: the position lives in the query, as DrChrono
  documents.) Unknown parameters are ignored, as DRF does.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
import pydantic

from canonical import Invalid, NotFound, Order, Query, Record, Ref
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, CodecContext, load_refs, merge_patch
from dialects.drchrono import formats

__all__ = [
    "MAX_PAGE_SIZE",
    "PAGE_SIZE",
    "VERBOSE_PAGE_SIZE",
    "ListInvalid",
    "Params",
    "Resource",
    "UnsupportedMediaType",
    "parse_body",
]

PAGE_SIZE = 250
"""Default page size (seed 004, "Responses")."""
VERBOSE_PAGE_SIZE = 50
"""Default and maximum page size with ``verbose=true`` ("Verbose Parameter")."""
MAX_PAGE_SIZE = 1000
"""Largest ``page_size`` honoured without verbose. The seed names none; a larger
request is capped, not refused, as DRF's ``max_page_size`` does."""


class ListInvalid(Invalid):
    """A list POST with bad objects: one error object per posted object
    (``{}`` for the good ones), as DRF answers a list serializer."""

    def __init__(self, items: list[dict[str, list[str]]]) -> None:
        super().__init__("Some objects in the list are invalid.")
        self.items = items


class UnsupportedMediaType(Invalid):
    """415: a body in a content type DrChrono does not accept."""


# -- query parameters ----------------------------------------------------


class Params:
    """The query string; the first occurrence of a name counts (see module doc)."""

    def __init__(self, query: Iterable[tuple[str, str]]) -> None:
        self.values: dict[str, str] = {}
        for k, v in query:
            self.values.setdefault(k, v)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if value else None

    def int_(self, name: str) -> int | None:
        return self._parse(name, formats.parse_int)

    def ints(self, name: str) -> list[int] | None:
        """A comma-separated list of ids."""
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return [formats.parse_int(p) for p in raw.split(",") if p.strip()]
        except ValueError:
            raise Invalid.field(name, "Enter a comma-separated list of integers.") from None

    def date_(self, name: str) -> date | None:
        return self._parse(name, formats.parse_date)

    def date_range(self, name: str) -> tuple[date, date] | None:
        raw = self.text(name)
        if raw is None:
            return None
        start, sep, end = raw.partition("/")
        try:
            if not sep:
                raise ValueError
            return formats.parse_date(start), formats.parse_date(end)
        except ValueError:
            raise Invalid.field(
                name, "Enter a date range as YYYY-MM-DD/YYYY-MM-DD (start and end)."
            ) from None

    def timestamp(self, name: str, call: Call) -> datetime | None:
        return self._parse(name, lambda raw: formats.parse_timestamp(raw, call.ctx))

    def flag(self, name: str) -> bool:
        """A boolean parameter: present with no value, or a true value."""
        if name not in self.values:
            return False
        raw = self.values[name]
        return True if raw == "" else self._parse(name, formats.parse_bool) is True

    def _parse(self, name: str, fn: Callable[[str], Any]) -> Any:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return fn(raw)
        except ValueError as exc:
            raise Invalid(f"{name}: {exc}", {name: str(exc)}) from None


def since(call: Call, params: Params, query: Query) -> None:
    """The ``since`` filter every list has: records updated at or after it."""
    stamp = params.timestamp("since", call)
    if stamp is not None:
        query.add("updated_at", "ge", stamp)


def verbose(params: Params) -> bool:
    return params.flag("verbose")


def page_of(params: Params) -> tuple[int, int]:
    """(page number from 1, page size) from ``page`` and ``page_size``."""
    is_verbose = verbose(params)
    default = VERBOSE_PAGE_SIZE if is_verbose else PAGE_SIZE
    cap = VERBOSE_PAGE_SIZE if is_verbose else MAX_PAGE_SIZE
    size = params.int_("page_size") or default
    if size < 1:
        raise Invalid.field("page_size", "Ensure this value is greater than or equal to 1.")
    page = params.int_("page") or 1
    if page < 1:
        raise NotFound("Invalid page.")
    return page, min(size, cap)


def link(call: Call, page: int) -> str:
    """The requested URL, absolute, with ``page`` set; each other parameter once,
    with the value that counted (its first occurrence), so links do not grow."""
    root = call.base_url
    parts = urlsplit(call.url)
    prefix = urlsplit(root)
    first = dict(Params(parse_qsl(parts.query, keep_blank_values=True)).values)
    first.pop("page", None)
    pairs = [*first.items(), ("page", str(page))]
    return urlunsplit((prefix.scheme, prefix.netloc, parts.path, urlencode(pairs), ""))


# -- bodies ----------------------------------------------------------------


def parse_body(call: Call) -> dict[str, Any] | list[Any]:
    """The request body as JSON, form-encoded or multipart data."""
    ctype = call.headers.get("content-type", "")
    kind = ctype.split(";")[0].strip().lower()
    if not call.body.strip():
        return {}
    if kind in ("application/json", "") or kind.endswith("+json"):
        try:
            data = orjson.loads(call.body)
        except orjson.JSONDecodeError as exc:
            raise Invalid(f"JSON parse error - {exc.args[0]}") from None
        if not isinstance(data, dict | list):
            raise Invalid("Expected an object or a list of objects.")
        return data
    if kind == "application/x-www-form-urlencoded":
        try:
            text = call.body.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("The form body is not UTF-8.") from None
        return _collect(parse_qsl(text, keep_blank_values=True))
    if kind in ("multipart/form-data", "form/multipart"):
        return _multipart(ctype, call.body)
    raise UnsupportedMediaType(f'Unsupported media type "{kind}" in request.')


def _collect(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Form pairs to a dict; a repeated key becomes a list (array values)."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            prev = out[k]
            out[k] = [*prev, v] if isinstance(prev, list) else [prev, v]
        else:
            out[k] = v
    return out


def _multipart(ctype: str, body: bytes) -> dict[str, Any]:
    from python_multipart import parse_form

    pairs: list[tuple[str, Any]] = []

    def on_field(f: Any) -> None:
        name = f.field_name.decode() if isinstance(f.field_name, bytes) else f.field_name
        pairs.append((name, (f.value or b"").decode("utf-8", "replace")))

    def on_file(f: Any) -> None:
        name = f.field_name.decode() if isinstance(f.field_name, bytes) else f.field_name
        f.file_object.seek(0)
        pairs.append((name, f.file_object.read()))

    headers = {"Content-Type": ctype.encode(), "Content-Length": str(len(body)).encode()}
    try:
        parse_form(headers, io.BytesIO(body), on_field, on_file)
    except Exception as exc:  # the parser's own errors: the client's malformed body
        raise Invalid(f"Multipart form parse error - {exc}") from None
    return _collect(pairs)


def body_object(call: Call) -> dict[str, Any]:
    data = parse_body(call)
    if not isinstance(data, dict):
        raise Invalid("Expected an object.", {"non_field_errors": "Expected an object."})
    return data


# -- rendering -------------------------------------------------------------


async def render(
    call: Call,
    codec: Codec,
    records: Sequence[Record],
    hidden: Iterable[str] = (),
    computed: Mapping[int, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Each record as the codec shows it, without the ``hidden`` keys.

    ``computed`` holds, per record num, wire values of read-only keys a
    resource works out for the page (see :attr:`Resource.computed`); each
    replaces the key's encoded value in place, so the field order stays the
    codec's and no record is copied to carry them.
    """
    call.ctx.refs.update(await load_refs(call.backend, codec, records))
    encode = encoder(codec, hidden)
    ctx = call.ctx
    out = [encode(r, ctx) for r in records]
    if computed:
        for shown, r in zip(out, records, strict=True):
            for key, value in computed.get(r.num or 0, {}).items():
                if key in shown:
                    shown[key] = value
    return out


Encoder = Callable[[Record, CodecContext], dict[str, Any]]


def encoder(codec: Codec, hidden: Iterable[str] = ()) -> Encoder:
    """``codec.encode(record, ctx, only=<every key but hidden>)`` for a response,
    with the field list worked out once per page instead of once per record (a
    page of 250 patients walks 56 fields each). Tested against ``Codec.encode``."""
    skip = set(hidden)
    dialect = codec.dialect
    plan = tuple(
        (f.wire, f.canonical, f.conv.to_wire, bool(f.extension))
        for f in codec.fields
        if f.wire not in skip and not f.write_only
    )

    def encode(record: Record, ctx: CodecContext) -> dict[str, Any]:
        ext = record.extensions.get(dialect, {})
        out: dict[str, Any] = {}
        for wire, canonical, to_wire, extension in plan:
            if extension:
                out[wire] = to_wire(ext.get(wire), ctx)
            else:
                out[wire] = to_wire(getattr(record, canonical) if canonical else None, ctx)
        return out

    return encode


Present = Callable[[Call, list[Record]], Awaitable[list[dict[str, Any]]]]


async def page_reply(
    call: Call,
    codec: Codec,
    query: Query,
    params: Params,
    hidden: Iterable[str] = (),
    present: Present | None = None,
) -> Reply:
    """One page of ``query``; ``present`` renders its records (default: :func:`render`)."""
    page, size = page_of(params)
    query.offset = (page - 1) * size
    query.limit = size + 1  # one more tells whether a next page exists
    found = await call.backend.find(codec.model, query)
    items = found.items
    if page > 1 and not items:
        raise NotFound("Invalid page.")
    more = len(items) > size
    items = items[:size]
    body = {
        "next": link(call, page + 1) if more else None,
        "previous": link(call, page - 1) if page > 1 else None,
        "results": await (present or _plain(codec, hidden))(call, items),
    }
    return Reply(200, body)


def _plain(codec: Codec, hidden: Iterable[str]) -> Present:
    async def present(call: Call, records: list[Record]) -> list[dict[str, Any]]:
        return await render(call, codec, records, hidden)

    return present


# -- the generic resource ------------------------------------------------------

Filter = Callable[[Call, Params, Query], Awaitable[None]]
Prepare = Callable[[Call, dict[str, Any], Record | None], Awaitable[dict[str, Any]]]
Extra = Callable[[Call, Mapping[str, Any], dict[str, Any], Record | None], Awaitable[None]]
View = Callable[[Call, list[Record], bool], Awaitable[list[Record]]]
Computed = Callable[[Call, list[Record], bool], Awaitable[dict[int, dict[str, Any]]]]
After = Callable[[Call, Record, Mapping[str, Any], bool], Awaitable[Record]]

REQUIRED = "This field is required."


@dataclass(frozen=True)
class Resource:
    """One DrChrono endpoint pair (``path`` and ``path/:id``) over one canonical model.

    ``required`` names the wire keys a POST and a PUT must carry; ``verbose``
    the keys shown only with ``verbose=true``; ``filters`` turns the query into
    conditions; ``prepare`` completes or checks a decoded patch (defaults on
    create: ``record`` is ``None``; cross-field rules) before it is stored.
    ``extra`` decodes body keys the field map cannot alone (nested objects,
    several keys feeding one record) into the patch; ``after`` writes what
    hangs off a saved record (nested child objects) inside the same
    transaction, told whether the record was just created; ``view`` gives the
    records as shown (computed keys placed in ``extensions[dialect]``, told
    whether ``verbose`` is on); ``computed`` gives instead the wire values of
    computed read-only keys per record num for a whole page at once (one query
    per related kind, no record copies), placed over the encoded keys by
    :func:`render`.
    """

    path: str
    codec: Codec
    scope: str
    methods: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")
    required: tuple[str, ...] = ()
    verbose: tuple[str, ...] = ()
    filters: Filter | None = None
    prepare: Prepare | None = None
    order: tuple[Order, ...] = (Order("num"),)
    extra: Extra | None = None
    after: After | None = None
    view: View | None = None
    computed: Computed | None = None

    @property
    def model(self) -> type[Record]:
        return self.codec.model

    def endpoints(self) -> list[Endpoint]:
        name = self.model.resource
        table: list[tuple[str, str, Any]] = []
        if "GET" in self.methods:
            table += [("GET", "", self.list_), ("GET", "/{id}", self.get_one)]
        if "POST" in self.methods:
            table.append(("POST", "", self.post))
        if "PUT" in self.methods:
            table.append(("PUT", "/{id}", self.put))
        if "PATCH" in self.methods:
            table.append(("PATCH", "/{id}", self.patch))
        if "DELETE" in self.methods:
            table.append(("DELETE", "/{id}", self.delete))
        return [
            Endpoint(method, path, handler, name, self.scope)
            for method, suffix, handler in table
            for path in slashed(self.path + suffix)
        ]

    # -- reads --

    def hidden(self, params: Params) -> tuple[str, ...]:
        return () if verbose(params) else self.verbose

    async def list_(self, call: Call) -> Reply:
        params = Params(call.query)
        query = Query(order=list(self.order))
        if self.filters is not None:
            await self.filters(call, params, query)
        return await page_reply(
            call,
            self.codec,
            query,
            params,
            present=self.presenter(params, self.hidden(params)),
        )

    def presenter(self, params: Params, hidden: Iterable[str]) -> Present:
        """Records as shown: ``view``, ``computed`` keys, without the ``hidden`` keys."""
        view, computed, is_verbose = self.view, self.computed, verbose(params)
        codec = self.codec

        async def present(call: Call, records: list[Record]) -> list[dict[str, Any]]:
            if view is not None:
                records = await view(call, records, is_verbose)
            keys = None if computed is None else await computed(call, records, is_verbose)
            return await render(call, codec, records, hidden, keys)

        return present

    async def get_one(self, call: Call) -> Reply:
        params = Params(call.query)
        present = self.presenter(params, self.hidden(params))
        return Reply(200, (await present(call, [await self.fetch(call)]))[0])

    async def fetch(self, call: Call) -> Record:
        try:
            num = formats.parse_int(call.path_params["id"])
            return await call.backend.get(self.model, num=num)
        except (ValueError, NotFound):
            raise NotFound("Not found.", resource=self.model.resource) from None

    # -- writes --

    async def post(self, call: Call) -> Reply:
        data = parse_body(call)
        # A created object shows every key: verbose ones are left out only on reads.
        present = self.presenter(Params(call.query), ())
        if isinstance(data, dict):
            async with call.backend.atomic():
                record = await self.create(call, data)
            return Reply(201, (await present(call, [record]))[0])
        errors: list[dict[str, list[str]]] = []
        created: list[Record] = []
        async with call.backend.atomic():
            for item in data:
                try:
                    if not isinstance(item, dict):
                        raise Invalid(
                            "Expected an object.", {"non_field_errors": "Expected an object."}
                        )
                    created.append(await self.create(call, item))
                    errors.append({})
                except Invalid as exc:
                    errors.append(field_errors(exc))
            if any(errors):
                raise ListInvalid(errors)  # inside atomic(): nothing is kept
        return Reply(201, await present(call, created))

    async def create(self, call: Call, body: Mapping[str, Any]) -> Record:
        self.check_required(body)
        patch = self.codec.decode(body, call.ctx, allow_unknown=True)
        if self.extra is not None:
            await self.extra(call, body, patch, None)
        if self.prepare is not None:
            patch = await self.prepare(call, patch, None)
        record = await call.backend.create(await self.complete(call, None, patch))
        return record if self.after is None else await self.after(call, record, body, True)

    async def put(self, call: Call) -> Reply:
        record = await self.fetch(call)
        body = body_object(call)
        self.check_required(body)
        patch = self.codec.decode(body, call.ctx, allow_unknown=True)
        for f in self.codec.fields:  # PUT replaces: an absent writable key takes its default
            if f.read_only or f.write_only or f.extension or f.canonical is None:
                continue
            info = self.model.model_fields[f.canonical]
            if f.canonical not in patch and f.wire not in body and not info.is_required():
                patch[f.canonical] = info.get_default(call_default_factory=True)
        return await self.save(call, record, patch, body)

    async def patch(self, call: Call) -> Reply:
        record = await self.fetch(call)
        body = body_object(call)
        patch = self.codec.decode(body, call.ctx, allow_unknown=True)
        return await self.save(call, record, patch, body)

    async def save(
        self, call: Call, record: Record, patch: dict[str, Any], body: Mapping[str, Any]
    ) -> Reply:
        async with call.backend.atomic():
            if self.extra is not None:
                await self.extra(call, body, patch, record)
            if self.prepare is not None:
                patch = await self.prepare(call, patch, record)
            updated = await self.complete(call, record, patch)
            saved = await call.backend.update(updated, base_version=record.version)
            if self.after is not None:
                await self.after(call, saved, body, False)
        return Reply(204)

    async def delete(self, call: Call) -> Reply:
        record = await self.fetch(call)
        assert record.num is not None
        await call.backend.delete(self.model, record.num)
        return Reply(204)

    # -- helpers --

    def check_required(self, body: Mapping[str, Any]) -> None:
        missing = {k: REQUIRED for k in self.required if body.get(k) in (None, "")}
        if missing:
            raise Invalid(" ".join(f"{k}: {REQUIRED}" for k in missing), missing)

    async def complete(self, call: Call, record: Record | None, patch: dict[str, Any]) -> Record:
        """Resolve references and validate: a bad reference or value names its key."""
        try:
            patch = await call.backend.resolve(self.model, patch, labels=self.codec.ref_labels)
        except NotFound as exc:
            key = exc.field or "non_field_errors"
            message = _missing(key, patch, self.codec)
            raise Invalid(f"{key}: {message}", {key: message}) from None
        try:
            return merge_patch(record, self.model, patch)
        except pydantic.ValidationError as exc:
            fields: dict[str, str] = {}
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else "non_field_errors"
                fields.setdefault(self.codec.wire_name(name), err["msg"])
            raise Invalid(" ".join(f"{k}: {v}" for k, v in fields.items()), fields) from None


def _missing(key: str, patch: Mapping[str, Any], codec: Codec) -> str:
    """DRF's message for a reference to nothing: by id, or by name for named references."""
    canonical = next((c for c, w in codec.ref_labels.items() if w == key), key)
    ref = patch.get(canonical)
    if isinstance(ref, Ref) and ref.num is None and ref.name is not None:
        return f"Object with name={ref.name} does not exist."
    if isinstance(ref, Ref) and ref.num is not None:
        return f'Invalid pk "{ref.num}" - object does not exist.'
    return "Invalid pk - object does not exist."


def field_errors(exc: Invalid) -> dict[str, list[str]]:
    """DrChrono's 400 body: every key with a list of messages."""
    if exc.fields:
        return {k: [v] for k, v in exc.fields.items()}
    return {"non_field_errors": [exc.message]}


def slashed(path: str) -> tuple[str, str]:
    """A path with and without the trailing slash DrChrono clients often add."""
    return (path, path + "/")
