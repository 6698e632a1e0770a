"""DrChrono v4 data types (seed 004, "Data Types") as two-way converters.

Every converter accepts what each request content type can carry: JSON values,
and the bare strings of form-encoded and multipart bodies ("omit quotation
marks around strings"), so ``"12"`` is an integer 12 and ``"true"`` a boolean.
An empty form value means "absent" (``""`` or ``null`` per the field's type).

- timestamp: ``2014-02-24T15:32:19``, no zone: wall time in the tenant's zone.
- decimal: always returned as a string with two places; accepted as integer,
  float or string.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_DOWN, Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from canonical import Ref
from dialects.codec import CodecContext, EnumMap
from dialects.limits import parse_decimal

__all__ = [
    "Bool",
    "Date",
    "Dec",
    "Enum_",
    "Int",
    "OptInt",
    "RefId",
    "Shown",
    "Text",
    "Timestamp",
    "parse_bool",
    "parse_date",
    "parse_int",
    "parse_timestamp",
]

E = TypeVar("E", bound=Enum)

_TRUE = {"true", "True", "TRUE", "1", "on", "yes"}
_FALSE = {"false", "False", "FALSE", "0", "off", "no"}


def parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("A valid integer is required.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise ValueError("A valid integer is required.")


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw in _TRUE:
        return True
    if isinstance(raw, str) and raw in _FALSE:
        return False
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    raise ValueError("Must be a valid boolean.")


def parse_date(raw: Any) -> date:
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise ValueError("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")


def parse_timestamp(raw: Any, ctx: CodecContext) -> datetime:
    """A zone-less timestamp is the tenant's wall time; one with a zone is honoured."""
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "T", 1)
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:  # a bare date means its midnight
                value = datetime.combine(date.fromisoformat(text), time())
            except ValueError:
                value = None
        if value is not None:
            if value.tzinfo is None:
                value = value.replace(tzinfo=ctx.tz)
            return value
    raise ValueError(
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss]."
    )


class Text:
    """A string; ``null`` reads as ``""`` (the documented absent value)."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return "" if value is None else str(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None:
            return ""
        if isinstance(raw, bool | dict | list):
            raise ValueError("Not a valid string.")
        return str(raw)


class Int:
    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return parse_int(raw)


class OptInt(Int):
    """An integer that may be absent (``null``, or an empty form value)."""

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None if raw is None or raw == "" else parse_int(raw)


class Bool:
    def __init__(self, default: bool | None = False) -> None:
        self.default = default

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return self.default if value is None else bool(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return self.default
        return parse_bool(raw)


class Date:
    def to_wire(self, value: date | None, ctx: CodecContext) -> Any:
        return None if value is None else value.isoformat()

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None if raw is None or raw == "" else parse_date(raw)


class Timestamp:
    """Aware UTC canonical time <-> zone-less tenant wall time, to the second."""

    def to_wire(self, value: datetime | None, ctx: CodecContext) -> Any:
        if value is None:
            return None
        return value.astimezone(ctx.tz).replace(tzinfo=None, microsecond=0).isoformat()

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None if raw is None or raw == "" else parse_timestamp(raw, ctx)


class Dec:
    """DrChrono decimal: a string truncated to two places."""

    _Q = Decimal("0.01")

    def to_wire(self, value: Decimal | None, ctx: CodecContext) -> Any:
        if value is None:
            return None
        return str(Decimal(value).quantize(self._Q, rounding=ROUND_DOWN))

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return Decimal("0.00")
        return parse_decimal(
            raw, places=2, rounding=ROUND_DOWN, message="A valid number is required."
        )


class RefId:
    """A reference shown as the referenced record's integer id (its canonical num)."""

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> Any:
        return None if value is None else value.num

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return None
        return Ref(num=parse_int(raw))


class Enum_(Generic[E]):
    """A code table whose empty/absent wire value is ``None`` (or a default member)."""

    def __init__(self, table: EnumMap[E], *, empty: E | None = None, blank: str = "") -> None:
        self.table = table
        self.empty = empty
        self.blank = blank

    def to_wire(self, value: E | None, ctx: CodecContext) -> Any:
        if value is None:
            return self.blank
        return self.table.to_wire(value, ctx)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return self.empty
        return self.table.from_wire(raw, ctx)


class Shown:
    """A read-only key computed when rendering: a resource's view places the
    value in ``extensions["drchrono"]``; ``empty`` when there is none."""

    def __init__(self, empty: Any) -> None:
        self.empty = empty

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return self.empty if value is None else value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return raw
