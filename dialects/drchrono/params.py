"""DrChrono's query parameters (seed 004, "Requests").

The FIRST occurrence of a name counts. A link carries every parameter of the
request it answers, with ``page`` last and only once; a client that follows
it and appends its original parameters again (``requests.get(next,
params=original)`` does) repeats names after the link's own, so the link's
``page`` still counts, even when the original query had a ``page`` of its
own. (A client that REPLACES the link's query with its own, as ``httpx``
does when given ``params=``, drops the page and reads page 1 again: the
position lives in the query, as DrChrono documents.) Unknown parameters are
ignored, as DRF does.
"""

from __future__ import annotations

from datetime import date, datetime

from canonical import Invalid, Query
from dialects import changes
from dialects.drchrono import formats
from dialects.params import Params as BaseParams

__all__ = ["Params", "since"]


class Params(BaseParams):
    first_wins = True

    def to_int(self, raw: str) -> int:
        return formats.parse_int(raw)

    def to_bool(self, raw: str) -> bool:
        return formats.parse_bool(raw)

    def to_date(self, raw: str) -> date:
        return formats.parse_date(raw)

    def to_timestamp(self, raw: str) -> datetime:
        return formats.parse_timestamp(raw, self.ctx)

    def ints(self, name: str) -> list[int] | None:
        """A comma-separated list of ids."""
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return [formats.parse_int(p) for p in raw.split(",") if p.strip()]
        except ValueError:
            raise Invalid.field(name, "Enter a comma-separated list of integers.") from None

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


def since(params: Params, query: Query) -> None:
    """The ``since`` filter every list has: records updated at or after it."""
    changes.changed_since(query, params.timestamp("since"))
