"""Open Dental list paging (apiimplementation.md): ``Offset`` and ``Limit`` in,
a plain JSON list of the window out. ``Limit`` defaults to, and is capped at,
:data:`PAGE_LIMIT`; a client pages on with ``Offset`` until a short list."""

from __future__ import annotations

from canonical import Invalid, Query, Record
from dialects.base import Call, Reply
from dialects.paging import Show
from dialects.params import Params

__all__ = ["PAGE_LIMIT", "OffsetPaging"]

PAGE_LIMIT = 100
"""Hard cap on items per request (the remote API's; the local API's 1000 is not emulated)."""


class OffsetPaging:
    """``Offset`` (default 0) and ``Limit`` (default and maximum 100)."""

    def window(self, params: Params) -> tuple[int, int]:
        """(offset, limit) of the request; a bad or negative value is a 400 naming it."""
        offset = _whole(params, "Offset", 0)
        limit = _whole(params, "Limit", PAGE_LIMIT)
        return offset, min(limit, PAGE_LIMIT) if limit > 0 else PAGE_LIMIT

    async def reply(
        self, call: Call, model: type[Record], query: Query, params: Params, show: Show
    ) -> Reply:
        query.offset, query.limit = self.window(params)
        found = await call.backend.find(model, query)
        return Reply(200, await show(found.items))


def _whole(params: Params, name: str, default: int) -> int:
    try:
        value = params.int_(name)
    except Invalid:
        raise Invalid.field(name, f"{name} must be a whole number.") from None
    if value is None:
        return default
    if value < 0:
        raise Invalid.field(name, f"{name} must not be negative.")
    return value
