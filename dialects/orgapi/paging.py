"""Org API list pages (seed 003): ``page``/``page_size`` pages and cursor pages.

- :class:`PagePaging`: ``page`` (from 1) and ``page_size`` (1..200, default per
  endpoint) in, ``{items, page, page_size, total}`` out; a page past the end is
  empty, not an error.
- :class:`CursorPaging`: ``first`` (1..200, default 50) and ``after`` in,
  ``{data, page_info}`` out, keyset in SQL. The document names ``page_info``
  and ``end_cursor`` only; its shape follows the Relay convention those names
  come from: ``has_next_page``, ``has_previous_page`` (true when ``after`` was
  given), ``start_cursor``, ``end_cursor`` (null on an empty page). A cursor is
  base64url JSON of the sort field, direction and the last row's keyset
  values; one made for another sort order, or not made by us, is a 422. The
  sort (``sort_by``/``sort_dir``) belongs to the cursor, so this paging reads it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import TypeAdapter

from canonical import Cond, Order, Query, Record
from dialects.base import Call, Reply
from dialects.orgapi.params import Params
from dialects.paging import Show
from dialects.params import Params as BaseParams

__all__ = [
    "MAX_PAGE_SIZE",
    "PAGES",
    "CursorPaging",
    "PagePaging",
    "Sort",
    "encode_cursor",
    "org_params",
]

MAX_PAGE_SIZE = 200


def org_params(params: BaseParams) -> Params:
    return params if isinstance(params, Params) else Params(params.values.items(), params.ctx)


class PagePaging:
    """``page``/``page_size`` in, ``{items, page, page_size, total}`` out."""

    def __init__(self, default_size: int = 50) -> None:
        self.default_size = default_size

    def window(self, params: BaseParams) -> tuple[int, int]:
        """(page from 1, page size); 422 naming a bad one."""
        p = org_params(params)
        page = p.int_("page", 1, ge=1)
        size = p.int_("page_size", self.default_size, ge=1, le=MAX_PAGE_SIZE)
        assert page is not None and size is not None
        return page, size

    @staticmethod
    def body(items: list[Any], page: int, size: int, total: int) -> dict[str, Any]:
        return {"items": items, "page": page, "page_size": size, "total": total}

    async def reply(
        self, call: Call, model: type[Record], query: Query, params: BaseParams, show: Show
    ) -> Reply:
        page, size = self.window(params)
        query.offset = (page - 1) * size
        query.limit = size
        query.with_total = True
        result = await call.backend.find(model, query)
        return Reply(200, self.body(await show(result.items), page, size, result.total or 0))


PAGES = PagePaging()
"""Pages of 50 unless ``page_size`` says otherwise: most lists'."""


@dataclass(frozen=True, slots=True)
class Sort:
    """A cursor listing's order: one canonical field, a direction, and whether the
    field may be null (nulls then come last, after every non-null value, in
    either direction; the ``num`` tie-breaker makes the order total)."""

    field: str
    descending: bool = False
    nullable: bool = False


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


_NUM = TypeAdapter(int)


def decode_cursor(
    model: type[Record], sort: Sort, cursor: str, params: Params
) -> tuple[int, tuple[Any, ...]]:
    """(phase, keyset values) from an opaque cursor; 422 when it is not one of ours
    or was made for another sort order."""
    bad = params.invalid("after", "Invalid or malformed cursor")
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
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
            return 1, (_NUM.validate_python(num, strict=True),)
        value, num = values
        annotation: Any = model.model_fields[field].annotation
        typed = TypeAdapter(annotation).validate_python(value)
        if typed is None:
            raise ValueError("null sort value")
        return 0, (typed, _NUM.validate_python(num, strict=True))
    except (ValueError, TypeError):
        raise bad from None


class CursorPaging:
    """``first``/``after`` (and the sort) in, ``{data, page_info}`` out.

    A nullable sort field is paged in two phases: the non-null values in order,
    then the nulls by ``num``; the cursor says which phase it is in.
    """

    def __init__(
        self, sorts: tuple[str, ...], default: str, nullable: frozenset[str] = frozenset()
    ) -> None:
        self.sorts = sorts
        self.default = default
        self.nullable = nullable

    def window(
        self, model: type[Record], params: BaseParams
    ) -> tuple[int, Sort, str | None, tuple[int, tuple[Any, ...]] | None]:
        """``first``, the sort, ``after`` and its position: 422 for a bad one, in that order."""
        p = org_params(params)
        first = p.int_("first", 50, ge=1, le=MAX_PAGE_SIZE)
        assert first is not None
        field, descending = p.sort(self.sorts, self.default)
        sort = Sort(field, descending, nullable=field in self.nullable)
        after = p.text("after") or None
        position = None if after is None else decode_cursor(model, sort, after, p)
        return first, sort, after, position

    async def reply(
        self, call: Call, model: type[Record], query: Query, params: BaseParams, show: Show
    ) -> Reply:
        first, sort, after, position = self.window(model, params)
        phase, keys = (0, None) if position is None else position
        wanted = first + 1
        found: list[Record] = []
        order = [Order(sort.field, sort.descending), Order("num", sort.descending)]
        if phase == 0:
            nulls = [Cond(sort.field, "is_null", False)] if sort.nullable else []
            q = Query(
                where=[*query.where, *nulls],
                order=order,
                limit=wanted,
                after=keys,
                include_deleted=query.include_deleted,
            )
            found = list((await call.backend.find(model, q)).items)
        if sort.nullable and len(found) < wanted:
            q = Query(
                where=[*query.where, Cond(sort.field, "is_null", True)],
                order=[Order("num", sort.descending)],
                limit=wanted - len(found),
                after=keys if phase == 1 else None,
                include_deleted=query.include_deleted,
            )
            found += list((await call.backend.find(model, q)).items)
        page = found[:first]
        info = {
            "has_next_page": len(found) > first,
            "has_previous_page": after is not None,
            "start_cursor": encode_cursor(sort, page[0]) if page else None,
            "end_cursor": encode_cursor(sort, page[-1]) if page else None,
        }
        return Reply(200, {"data": await show(page), "page_info": info})
