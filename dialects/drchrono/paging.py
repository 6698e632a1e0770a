"""DrChrono list pages (seed 004, "Responses", "Verbose Parameter").

``{"next", "previous", "results"}`` with absolute ``next``/``previous`` URLs:
the requested URL with the ``page`` query parameter set to the next or
previous page number. ``page_size`` defaults to 250 (50 with
``verbose=true``); at most :data:`MAX_PAGE_SIZE` (50 with verbose).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from canonical import Invalid, NotFound, Query, Record
from dialects.base import Call, Reply
from dialects.drchrono.params import Params
from dialects.paging import Show
from dialects.params import Params as BaseParams

__all__ = ["MAX_PAGE_SIZE", "PAGE_SIZE", "VERBOSE_PAGE_SIZE", "LinkPaging", "link", "page_of"]

PAGE_SIZE = 250
"""Default page size (seed 004, "Responses")."""
VERBOSE_PAGE_SIZE = 50
"""Default and maximum page size with ``verbose=true`` ("Verbose Parameter")."""
MAX_PAGE_SIZE = 1000
"""Largest ``page_size`` honoured without verbose. The seed names none; a larger
request is capped, not refused, as DRF's ``max_page_size`` does."""


def page_of(params: BaseParams) -> tuple[int, int]:
    """(page number from 1, page size) from ``page`` and ``page_size``."""
    is_verbose = params.flag("verbose")
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


class LinkPaging:
    """``page``/``page_size`` in, ``{next, previous, results}`` out."""

    async def reply(
        self, call: Call, model: type[Record], query: Query, params: BaseParams, show: Show
    ) -> Reply:
        page, size = page_of(params)
        query.offset = (page - 1) * size
        query.limit = size + 1  # one more tells whether a next page exists
        found = await call.backend.find(model, query)
        items = found.items
        if page > 1 and not items:
            raise NotFound("Invalid page.")
        more = len(items) > size
        body = {
            "next": link(call, page + 1) if more else None,
            "previous": link(call, page - 1) if page > 1 else None,
            "results": await show(items[:size]),
        }
        return Reply(200, body)
