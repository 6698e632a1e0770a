"""Open Dental's query parameters (apiimplementation.md), read by the shared
:class:`dialects.params.Params`.

- A parameter the endpoint does not take is a 400 naming it; every endpoint
  takes ``Offset``, ``Limit`` and the two date format strings.
- A bad value is a 400 naming it in Open Dental's words ("PatNum must be an
  integer."), read in the formats of the field maps (:mod:`.formats`).
- ``?Name=`` reads as if the name were not there; a repeated name counts by
  its last occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from canonical import Invalid
from dialects.codec import CodecContext, EnumMap
from dialects.opendental.formats import parse_date, parse_datetime, parse_int
from dialects.params import Params as BaseParams

__all__ = ["COMMON", "Params"]

COMMON = frozenset({"Offset", "Limit", "DateFormatString", "DateTimeFormatString"})
"""Parameters every endpoint takes: the list window and the date formats."""


class Params(BaseParams):
    """The query of one Open Dental request; ``takes`` names what it may carry
    beyond :data:`COMMON`; ``operation`` is the resource operation it is for."""

    def __init__(
        self,
        query: Iterable[tuple[str, str]],
        ctx: CodecContext | None = None,
        *,
        takes: Iterable[str] = (),
        operation: str = "",
    ) -> None:
        self.operation = operation
        pairs = list(query)
        allowed = COMMON | set(takes)
        bad = list(dict.fromkeys(k for k, _ in pairs if k not in allowed))
        if bad:
            raise Invalid(
                f"Invalid query parameter: {', '.join(bad)}.",
                {k: f"{k} is not a valid parameter." for k in bad},
            )
        super().__init__(pairs, ctx)

    def invalid(self, name: str, message: str) -> Invalid:
        return Invalid.field(name, f"{name} {message}.")

    def to_int(self, raw: str) -> int:
        return parse_int(raw)

    def to_bool(self, raw: str) -> bool:
        text = raw.strip().lower()
        if text not in ("true", "false"):
            raise ValueError('must be "true" or "false"')
        return text == "true"

    def date_(self, name: str) -> date | None:
        """A ``yyyy-MM-dd`` date; ``0001-01-01`` reads as none."""
        value: date | None = self.parsed(name, parse_date)
        return value

    def timestamp(self, name: str) -> datetime | None:
        """An office-local ``yyyy-MM-dd HH:mm:ss``; ``0001-01-01 00:00:00`` reads as none."""
        value: datetime | None = self.parsed(name, lambda raw: parse_datetime(raw, self.ctx))
        return value

    def enum(self, name: str, table: EnumMap[Any]) -> Any:
        """A code table's text (``ObjectType=Patient``)."""
        return self.parsed(name, lambda raw: table.from_wire(raw, self.ctx))

    def switch(self, name: str) -> bool:
        """``true`` or ``false``; absent is false."""
        return self.bool_(name) is True
