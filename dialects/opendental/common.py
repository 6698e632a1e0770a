"""Request and response conventions shared by every Open Dental resource
(apiimplementation.md): query parsing, ``Offset``/``Limit`` paging, JSON
bodies, 201 with ``Location``, and rendering records through a codec."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from canonical import Invalid, NotFound, Page, Query, Record
from dialects.base import Call, Reply
from dialects.codec import Codec, load_refs
from dialects.opendental.formats import parse_datetime, parse_int

PAGE_LIMIT = 100
"""Hard cap on items per request (the remote API's; the local API's 1000 is not emulated)."""

COMMON_PARAMS = frozenset({"Offset", "Limit", "DateFormatString", "DateTimeFormatString"})


def query_params(call: Call, allowed: Iterable[str]) -> dict[str, str]:
    """The query as a dict; a parameter the endpoint does not take is a 400 naming it."""
    ok = COMMON_PARAMS | set(allowed)
    params: dict[str, str] = {}
    bad = [k for k, _ in call.query if k not in ok]
    if bad:
        names = ", ".join(dict.fromkeys(bad))
        raise Invalid(
            f"Invalid query parameter: {names}.", {k: f"{k} is not a valid parameter." for k in bad}
        )
    for k, v in call.query:
        params[k] = v
    return params


def paging(params: Mapping[str, str]) -> tuple[int, int]:
    """``Offset`` (default 0) and ``Limit`` (default and maximum 100)."""
    offset = _nonneg(params, "Offset", 0)
    limit = _nonneg(params, "Limit", PAGE_LIMIT)
    return offset, min(limit, PAGE_LIMIT) if limit > 0 else PAGE_LIMIT


def _nonneg(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = parse_int(raw)
    except ValueError:
        raise Invalid.field(name, f"{name} must be a whole number.") from None
    if value < 0:
        raise Invalid.field(name, f"{name} must not be negative.")
    return value


def int_param(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return parse_int(raw)
    except ValueError:
        raise Invalid.field(name, f"{name} must be an integer.") from None


def datetime_param(call: Call, params: Mapping[str, str], name: str) -> Any:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return parse_datetime(raw, call.ctx)
    except ValueError as exc:
        raise Invalid.field(name, f"{name} {exc}.") from None


def json_body(call: Call) -> dict[str, Any]:
    """The request's JSON object. OD requires ``Content-Type: application/json``."""
    ctype = call.headers.get("content-type", "")
    if ctype.split(";")[0].strip().lower() != "application/json":
        raise Invalid('Content-Type must be "application/json".', {"Content-Type": "invalid"})
    if not call.body.strip():
        raise Invalid("The request body is empty; a JSON object is required.")
    try:
        data = orjson.loads(call.body)
    except orjson.JSONDecodeError as exc:
        raise Invalid(f"The request body is not valid JSON: {exc.args[0]}.") from None
    if not isinstance(data, dict):
        raise Invalid("The request body must be a JSON object.")
    return data


def require(body: Mapping[str, Any], *names: str) -> None:
    missing = [n for n in names if n not in body or body[n] is None]
    if missing:
        raise Invalid(
            " ".join(f"{n} is required." for n in missing),
            {n: f"{n} is required." for n in missing},
        )


def only(body: Mapping[str, Any], allowed: Iterable[str], action: str = "set") -> None:
    ok = set(allowed)
    bad = [k for k in body if k not in ok]
    if bad:
        raise Invalid(
            " ".join(f"{k} cannot be {action} with this method." for k in bad),
            {k: f"{k} cannot be {action} with this method." for k in bad},
        )


async def render_one(call: Call, codec: Codec, record: Record, **kw: Any) -> dict[str, Any]:
    call.ctx.refs.update(await load_refs(call.backend, codec, [record]))
    return codec.encode(record, call.ctx, **kw)


async def render_many(
    call: Call, codec: Codec, records: Sequence[Record], **kw: Any
) -> list[dict[str, Any]]:
    call.ctx.refs.update(await load_refs(call.backend, codec, records))
    return [codec.encode(r, call.ctx, **kw) for r in records]


def created(call: Call, body: Any, path: str) -> Reply:
    return Reply(201, body, {"Location": f"{call.base_url}{path}"})


async def must_exist(call: Call, model: type[Record], num: int | None, label: str) -> None:
    """404 "<Label> not found." when a referenced record does not exist."""
    if num is None:
        return
    try:
        await call.backend.get(model, num=num)
    except NotFound:
        raise NotFound(f"{label} not found.", resource=model.resource, field=label) from None


async def get_or_404(call: Call, model: type[Record], num_text: str, label: str) -> Record:
    try:
        num = parse_int(num_text)
    except ValueError:
        raise Invalid.field(label, f"{label} in the URL must be an integer.") from None
    try:
        return await call.backend.get(model, num=num)
    except NotFound:
        raise NotFound(f"{model.__name__} not found.", resource=model.resource) from None


def page_query(query: Query, params: Mapping[str, str]) -> Query:
    query.offset, query.limit = paging(params)
    return query


def items(page: Page[Any]) -> list[Any]:
    return page.items
