"""Value formats the org API's clinical sub-resources use beyond the common ones
(seed 003): measurements sent as JSON numbers and shown as decimal strings
(``bmi``, ``temperature_f``), times of day, integer ``created_by`` user ids,
string lists, enums whose ``null`` has a meaning, and values computed at
response time."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import time
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from canonical import Ref
from dialects.codec import CodecContext, EnumMap
from dialects.limits import parse_decimal

__all__ = ["Computed", "Measure", "NullEnum", "StrList", "TimeOfDay", "UserNum"]

E = TypeVar("E", bound=Enum)

_TIME_RE = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")


class Measure:
    """A measurement: a JSON number (or numeric string) in, a decimal string out
    (the document's request models say ``number``, its responses ``string``);
    ``null`` clears it."""

    def __init__(self, *, minimum: Decimal | None = None, places: int | None = None) -> None:
        self.minimum = minimum
        self.places = places

    def to_wire(self, value: Decimal | None, ctx: CodecContext) -> str | None:
        return None if value is None else str(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Decimal | None:
        if raw is None:
            return None
        value = parse_decimal(
            raw,
            places=self.places,
            message="must be a number",
            not_finite="must be a finite number",
        )
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be greater than or equal to {self.minimum}")
        return value


class TimeOfDay:
    """``HH:MM[:SS]`` in, ``HH:MM:SS`` out; ``null`` clears it."""

    def to_wire(self, value: time | None, ctx: CodecContext) -> str | None:
        return None if value is None else value.isoformat()

    def from_wire(self, raw: Any, ctx: CodecContext) -> time | None:
        if raw is None:
            return None
        if not isinstance(raw, str) or not _TIME_RE.match(raw):
            raise ValueError("must be a time in HH:MM:SS format")
        try:
            return time.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a valid time") from None


class UserNum:
    """``created_by``: the integer id of the user who made the record, or null."""

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> int | None:
        return None if value is None else value.num

    def from_wire(self, raw: Any, ctx: CodecContext) -> Ref | None:
        raise ValueError("is read-only")


class StrList:
    """A list of strings, or null (``dropdown_options``)."""

    def to_wire(self, value: list[str] | None, ctx: CodecContext) -> list[str] | None:
        return None if value is None else list(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> list[str] | None:
        if raw is None:
            return None
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise ValueError("must be a list of strings")
        return list(raw)


class NullEnum(Generic[E]):
    """An enum whose ``null`` stands for one member (``mode`` null is "no mode")."""

    def __init__(self, table: EnumMap[E], null: E, *, nearest: Mapping[E, str | None]) -> None:
        self.table = table
        self.null = null
        self.nearest = dict(nearest)

    def to_wire(self, value: E | None, ctx: CodecContext) -> str | None:
        if value is None or value == self.null:
            return None
        if value in self.nearest:
            return self.nearest[value]
        wire: str | None = self.table.to_wire(value, ctx)
        return wire

    def from_wire(self, raw: Any, ctx: CodecContext) -> E:
        return self.null if raw is None else self.table.from_wire(raw, ctx)

    def exact(self, value: E | None, ctx: CodecContext) -> bool:
        if value is None or value == self.null:
            return True
        return value not in self.nearest and self.table.exact(value, ctx)


class Computed:
    """A response-only value the handler computes (``interaction_warnings``,
    ``abnormal_flags``): rendered from ``ctx.options[key]`` when the handler put
    it there, else ``default()``; never accepted as input."""

    def __init__(self, key: str, default: Callable[[], Any]) -> None:
        self.key = key
        self.default = default

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return ctx.options.get(self.key, self.default())

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        raise ValueError("is read-only")
