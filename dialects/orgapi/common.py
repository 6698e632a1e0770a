"""Request and response conventions shared by every org API resource (seed 003).

- JSON bodies: malformed JSON, a non-object, a wrong type or a field the
  endpoint does not take is a 422 naming it (the documented input models are
  closed: a field outside them is refused, so a typo never passes silently).
- Query parameters the endpoint does not define are ignored, as a FastAPI
  service does; defined ones are validated (422 with ``loc: ["query", name]``).
- ``page``/``page_size`` paging -> ``{items, page, page_size, total}``.
- Cursor paging (``first``/``after``) -> ``{data, page_info}``, keyset in SQL.
  The document names ``page_info`` and ``end_cursor`` only; its shape follows the
  Relay convention those names come from: ``has_next_page``,
  ``has_previous_page`` (true when ``after`` was given), ``start_cursor``,
  ``end_cursor`` (null on an empty page). A cursor is base64url JSON of the sort
  field, direction and the last row's keyset values; one made for another sort
  order, or not made by us, is a 422.
- Lightweight references ``{id, name}`` (see :mod:`.formats`); ``*_uuid``
  inputs resolved through the backend, 404 when the record does not exist.
- ``base_version`` optimistic locking -> 409; ``Idempotency-Key`` on creates.

Decisions where the document is silent: ``page`` >= 1 and ``page_size`` 1..200
(a page past the end is empty, not an error); ``first`` 1..200; path and query
ids are typed as strings by the document, so a malformed one is simply "not
found" (404), while a malformed ``*_uuid`` in a body is a 422.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

import orjson
from pydantic import TypeAdapter

from canonical import Cond, Invalid, NotFound, Order, Query, Record
from dialects.base import Call, Reply
from dialects.codec import Codec, load_refs
from dialects.orgapi.dialect import ValidationFailed

__all__ = [
    "MAX_PAGE_SIZE",
    "CursorPage",
    "Sort",
    "bool_query",
    "cursor_page",
    "enum_query",
    "fields_in",
    "get_by_uuid",
    "idempotent",
    "int_query",
    "json_body",
    "page_of",
    "paging",
    "render_many",
    "render_one",
    "require_base_version",
    "resolve",
]

R = TypeVar("R", bound=Record)

MAX_PAGE_SIZE = 200
MAX_IDEMPOTENCY_KEY = 255


# -- bodies ------------------------------------------------------------------


def json_body(call: Call) -> dict[str, Any]:
    """The request's JSON object, or a 422 in the documented shape."""
    if not call.body.strip():
        raise ValidationFailed.one(["body"], "Field required", "missing")
    try:
        data = orjson.loads(call.body)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed.one(
            ["body", 0], f"JSON decode error: {exc.args[0]}", "json_invalid"
        ) from None
    if not isinstance(data, dict):
        raise ValidationFailed.one(["body"], "Input should be a valid dictionary", "dict_type")
    return data


def fields_in(
    body: Mapping[str, Any],
    allowed: Iterable[str],
    required: Iterable[str] = (),
    *,
    prefix: Sequence[Any] = ("body",),
) -> None:
    """Refuse fields the input model does not define; require the required ones."""
    ok = set(allowed)
    errors: list[dict[str, Any]] = [
        {"loc": [*prefix, n], "msg": "Field required", "type": "missing"}
        for n in required
        if n not in body
    ]
    errors += [
        {"loc": [*prefix, k], "msg": "Extra inputs are not permitted", "type": "extra_forbidden"}
        for k in body
        if k not in ok
    ]
    if errors:
        raise ValidationFailed(errors)


def decode(
    codec: Codec, body: Mapping[str, Any], call: Call, *, prefix: Sequence[Any] = ("body",)
) -> dict[str, Any]:
    """``codec.decode`` with each bad field reported at its location."""
    try:
        return codec.decode(body, call.ctx)
    except ValidationFailed:
        raise
    except Invalid as exc:
        raise ValidationFailed(
            [{"loc": [*prefix, k], "msg": m, "type": "value_error"} for k, m in exc.fields.items()]
        ) from None


def require_base_version(body: Mapping[str, Any]) -> int:
    """The body's ``base_version`` (required integer >= 1); removed from ``body``."""
    if "base_version" not in body or body["base_version"] is None:
        raise ValidationFailed.one(["body", "base_version"], "Field required", "missing")
    value = body["base_version"]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed.one(
            ["body", "base_version"], "Input should be a valid integer", "int_type"
        )
    if value < 1:
        raise ValidationFailed.one(
            ["body", "base_version"],
            "Input should be greater than or equal to 1",
            "greater_than_equal",
        )
    return value


# -- query parameters ----------------------------------------------------------


def _query_error(name: str, msg: str, type_: str) -> ValidationFailed:
    return ValidationFailed.one(["query", name], msg, type_)


def int_query(
    params: Mapping[str, str],
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise _query_error(
            name,
            "Input should be a valid integer, unable to parse string as an integer",
            "int_parsing",
        ) from None
    if minimum is not None and value < minimum:
        raise _query_error(
            name, f"Input should be greater than or equal to {minimum}", "greater_than_equal"
        )
    if maximum is not None and value > maximum:
        raise _query_error(
            name, f"Input should be less than or equal to {maximum}", "less_than_equal"
        )
    return value


def bool_query(params: Mapping[str, str], name: str, default: bool | None = None) -> bool | None:
    raw = params.get(name)
    if raw is None:
        return default
    text = raw.strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise _query_error(name, "Input should be a valid boolean", "bool_parsing")


def enum_query(params: Mapping[str, str], name: str, allowed: Iterable[str]) -> str | None:
    raw = params.get(name)
    if raw is None:
        return None
    options = list(allowed)
    if raw not in options:
        listed = ", ".join(f"'{o}'" for o in options)
        raise _query_error(name, f"Input should be {listed}", "enum")
    return raw


def converted_query(
    params: Mapping[str, str], name: str, parse: Callable[[str], Any], what: str
) -> Any:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return parse(raw)
    except ValueError as exc:
        raise _query_error(
            name, f"Input should be {what}: {exc}", f"{what.split()[-1]}_parsing"
        ) from None


def uuid_or_none(raw: str) -> UUID | None:
    """A path or query id: malformed means "no such record" (see module docstring)."""
    try:
        return UUID(raw)
    except ValueError:
        return None


# -- records -----------------------------------------------------------------


async def get_by_uuid(
    call: Call,
    model: type[R],
    raw: str,
    message: str,
    *,
    include_deleted: bool = False,
) -> R:
    """The record with this id, or 404 ``{"detail": message}``."""
    ident = uuid_or_none(raw)
    if ident is None:
        raise NotFound(message, resource=model.resource)
    try:
        return await call.backend.get(model, uuid=ident, include_deleted=include_deleted)
    except NotFound:
        raise NotFound(message, resource=model.resource) from None


async def resolve(
    call: Call, model: type[Record], patch: Mapping[str, Any], labels: Mapping[str, str]
) -> dict[str, Any]:
    """Complete every reference in ``patch``; 404 "<label> not found." for a missing one."""
    return await call.backend.resolve(model, patch, labels=labels)


async def ref_filter(call: Call, model: type[Record], raw: str | None, message: str) -> int | None:
    """A ``*_uuid`` query filter -> the referenced record's num; 404 when it does not exist."""
    if raw is None or raw == "":
        return None
    record = await get_by_uuid(call, model, raw, message)
    return record.num


async def render_one(call: Call, codec: Codec, record: Record) -> dict[str, Any]:
    call.ctx.refs.update(await load_refs(call.backend, codec, [record]))
    return codec.encode(record, call.ctx)


async def render_many(call: Call, codec: Codec, records: Sequence[Record]) -> list[dict[str, Any]]:
    call.ctx.refs.update(await load_refs(call.backend, codec, records))
    return [codec.encode(r, call.ctx) for r in records]


# -- page/page_size paging ----------------------------------------------------------


def paging(params: Mapping[str, str], default_size: int = 50) -> tuple[int, int]:
    """``page`` (1-based, default 1) and ``page_size`` (default per endpoint, 1..200)."""
    page = int_query(params, "page", 1, minimum=1)
    size = int_query(params, "page_size", default_size, minimum=1, maximum=MAX_PAGE_SIZE)
    return page, size


async def page_of(
    call: Call,
    model: type[R],
    query: Query,
    page: int,
    size: int,
    render: Callable[[list[R]], Awaitable[list[Any]]],
) -> dict[str, Any]:
    """Run ``query`` for one page: ``{items, page, page_size, total}``."""
    query.offset = (page - 1) * size
    query.limit = size
    query.with_total = True
    result = await call.backend.find(model, query)
    return {
        "items": await render(result.items),
        "page": page,
        "page_size": size,
        "total": result.total or 0,
    }


# -- cursor paging ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sort:
    """A cursor listing's order: one canonical field, a direction, and whether the
    field may be null (nulls then come last, after every non-null value, in
    either direction; the ``num`` tie-breaker makes the order total)."""

    field: str
    descending: bool = False
    nullable: bool = False


@dataclass(slots=True)
class CursorPage:
    data: list[Any]
    page_info: dict[str, Any]

    def body(self) -> dict[str, Any]:
        return {"data": self.data, "page_info": self.page_info}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def encode_cursor(sort: Sort, record: Record) -> str:
    value = getattr(record, sort.field)
    phase = 1 if value is None and sort.nullable else 0
    payload = [sort.field, int(sort.descending), phase]
    payload += [record.num] if phase else [_jsonable(value), record.num]
    return _b64(orjson.dumps(payload))


def _jsonable(value: Any) -> Any:
    return orjson.loads(orjson.dumps(value, default=str))


def decode_cursor(model: type[Record], sort: Sort, cursor: str) -> tuple[int, tuple[Any, ...]]:
    """(phase, keyset values) from an opaque cursor; 422 when it is not one of ours
    or was made for another sort order."""
    bad = _query_error("after", "Invalid or malformed cursor", "value_error")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError):
        raise bad from None
    if not isinstance(payload, list) or len(payload) < 4:
        raise bad
    field, desc, phase, *values = payload
    if field != sort.field or desc != int(sort.descending) or phase not in (0, 1):
        raise bad
    if phase == 1 and not sort.nullable:
        raise bad
    try:
        if phase == 1:
            (num,) = values
            return 1, (TypeAdapter(int).validate_python(num, strict=True),)
        value, num = values
        annotation: Any = model.model_fields[field].annotation
        typed = TypeAdapter(annotation).validate_python(value)
        if typed is None:
            raise ValueError("null sort value")
        return 0, (typed, TypeAdapter(int).validate_python(num, strict=True))
    except (ValueError, TypeError):
        raise bad from None


async def cursor_page(
    call: Call,
    model: type[R],
    where: list[Any],
    sort: Sort,
    first: int,
    after: str | None,
    render: Callable[[list[R]], Awaitable[list[Any]]],
    *,
    include_deleted: bool = False,
) -> CursorPage:
    """One keyset page of ``first`` records after the ``after`` cursor.

    A nullable sort field is paged in two phases: the non-null values in order,
    then the nulls by ``num``; the cursor says which phase it is in.
    """
    phase, keys = (0, None) if after is None else decode_cursor(model, sort, after)
    wanted = first + 1
    found: list[R] = []
    order = [Order(sort.field, sort.descending), Order("num", sort.descending)]
    if phase == 0:
        q = Query(
            where=[*where, *([Cond(sort.field, "is_null", False)] if sort.nullable else [])],
            order=order,
            limit=wanted,
            after=keys,
            include_deleted=include_deleted,
        )
        found = list((await call.backend.find(model, q)).items)
    if sort.nullable and len(found) < wanted:
        q = Query(
            where=[*where, Cond(sort.field, "is_null", True)],
            order=[Order("num", sort.descending)],
            limit=wanted - len(found),
            after=keys if phase == 1 else None,
            include_deleted=include_deleted,
        )
        found += list((await call.backend.find(model, q)).items)
    has_next = len(found) > first
    page = found[:first]
    return CursorPage(
        await render(page),
        {
            "has_next_page": has_next,
            "has_previous_page": after is not None,
            "start_cursor": encode_cursor(sort, page[0]) if page else None,
            "end_cursor": encode_cursor(sort, page[-1]) if page else None,
        },
    )


# -- idempotency ----------------------------------------------------------------


def _fingerprint(call: Call) -> str:
    try:  # key order and spacing do not make a request different
        body = orjson.dumps(orjson.loads(call.body), option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):  # not JSON, or nested too deep
        body = call.body
    digest = hashlib.sha256()
    for part in (call.method.encode(), call.path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def idempotent(call: Call, create: Callable[[], Awaitable[Reply]]) -> Reply:
    """Run a create at most once per ``Idempotency-Key``.

    Without the header the create simply runs. With it, a retry carrying the
    same key and the same request (method, path, JSON body) gets the first
    response again (status and body, plus ``Idempotent-Replayed: true``) and
    creates nothing; the same key with a different request is a 409. Only a
    successful create records its key, in the same transaction as the record.
    """
    key = call.headers.get("idempotency-key")
    if key is None:
        return await create()
    if not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY:
        raise ValidationFailed.one(
            ["header", "Idempotency-Key"],
            f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} characters",
            "string_too_long" if key.strip() else "string_too_short",
        )

    async def run() -> dict[str, Any]:
        reply = await create()
        return {"status": reply.status, "body": reply.body, "headers": reply.headers}

    stored, replayed = await call.backend.remember(f"orgapi:{key}", _fingerprint(call), run)
    headers = dict(stored.get("headers") or {})
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Reply(stored["status"], stored["body"], headers)
