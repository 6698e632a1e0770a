"""DrChrono v4 data types (seed 004, "Data Types") as two-way converters.

Every converter accepts what each request content type can carry: JSON values,
and the bare strings of form-encoded and multipart bodies ("omit quotation
marks around strings"), so ``"12"`` is an integer 12 and ``"true"`` a boolean.
An empty form value means "absent" (``""`` or ``null`` per the field's type).

- timestamp: ``2014-02-24T15:32:19``, no zone: wall time in the tenant's zone.
- date and timestamp values are read as Django REST framework reads them
  (``date.fromisoformat``/``datetime.fromisoformat``, then Django's
  ``parse_date``/``parse_datetime`` patterns): ``2016-11-1`` and
  ``2016-11-1T9:5`` are accepted, in bodies and query parameters alike.
- decimal: always returned as a string with two places; accepted as integer,
  float or string.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_DOWN, Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from canonical import Ref
from dialects.codec import CodecContext, EnumMap, round_trips
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


# Django's date and datetime patterns (django.utils.dateparse), which DrChrono's
# server (Django REST framework) falls back to when ISO 8601 parsing fails:
# one-digit months, days, hours and minutes (DrChrono's own example app asks
# for date_range=2016-11-1/2016-11-18), a comma before the fraction, up to 12
# fraction digits of which 6 count, a space before the zone, "+hh", "+hhmm".
# ASCII digits only (Django's \d would take any script's digits: no client
# means those).
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DATETIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})"
    r"(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)


def _date(text: str) -> date | None:
    """``text`` as Django's ``parse_date`` reads it; ``None`` when it is no date.
    Raises ``ValueError`` for a well-formed impossible one (``2016-13-1``)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE.fullmatch(text)
    return None if match is None else date(*(int(g) for g in match.groups()))


def _datetime(text: str) -> datetime | None:
    """``text`` as Django's ``parse_datetime`` reads it once ISO 8601 has failed;
    ``None`` when it does not match. Raises ``ValueError`` for impossible values
    (hour 24, an offset of a day or more)."""
    match = _DATETIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    tz: tzinfo | None = None
    if zone == "Z":
        tz = UTC
    elif zone:
        minutes = 60 * int(zone[1:3]) + (int(zone[-2:]) if len(zone) > 3 else 0)
        tz = timezone(timedelta(minutes=-minutes if zone[0] == "-" else minutes))
    return datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz
    )


def parse_date(raw: Any) -> date:
    if isinstance(raw, str):
        try:
            value = _date(raw.strip())
        except ValueError:
            value = None
        if value is not None:
            return value
    raise ValueError("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")


def parse_timestamp(raw: Any, ctx: CodecContext) -> datetime:
    """A zone-less timestamp is the tenant's wall time; one with a zone is honoured."""
    if isinstance(raw, str):
        text = raw.strip()
        value: datetime | None
        try:
            value = datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError:
            try:
                value = _datetime(text)
                if value is None:  # a bare date means its midnight
                    day = _date(text)
                    value = None if day is None else datetime.combine(day, time())
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

    def exact(self, value: datetime | None, ctx: CodecContext) -> bool:
        """Shown to the second: a fraction of a second is not."""
        return value is None or round_trips(self, value, ctx)


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

    def exact(self, value: Decimal | None, ctx: CodecContext) -> bool:
        """Shown to two places: a third place is not."""
        return value is None or round_trips(self, value, ctx)


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

    def exact(self, value: E | None, ctx: CodecContext) -> bool:
        return value is None or self.table.exact(value, ctx)


class Shown:
    """A read-only key computed when rendering: a resource's view places the
    value in ``extensions["drchrono"]``; ``empty`` when there is none."""

    def __init__(self, empty: Any) -> None:
        self.empty = empty

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return self.empty if value is None else value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return raw
