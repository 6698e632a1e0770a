"""How a dialect pages a list: the protocol every paging style implements.

A style reads its window from the query, runs the query for one page and
shapes the page body; the client side reads the same style to walk a list to
its end. The styles live with their dialects (Open Dental ``Offset``,
DrChrono ``next`` links, the org API's pages and cursors).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from canonical import Query, Record
from dialects.base import Call, Reply
from dialects.params import Params

__all__ = ["Paging", "Show"]

Show = Callable[[list[Record]], Awaitable[list[dict[str, Any]]]]
"""Renders one page's records as the dialect shows them."""


class Paging(Protocol):
    """One paging style."""

    async def reply(
        self, call: Call, model: type[Record], query: Query, params: Params, show: Show
    ) -> Reply:
        """One page of ``query`` in the dialect's shape."""
        ...
