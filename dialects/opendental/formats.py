"""Open Dental value formats, as converters for the field maps.

Conventions (apiimplementation.md): dates ``yyyy-MM-dd`` with ``0001-01-01`` for
none; date-times ``yyyy-MM-dd HH:mm:ss`` in the office's local time;
booleans as the strings ``"true"``/``"false"``; enums as text; foreign keys as
integers with ``0`` for none (a few fields are documented as numeric strings);
money as a two-place string (``ProcFee``) or a JSON number (balances).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from canonical import Ref, RefTo
from dialects.codec import CodecContext, round_trips
from dialects.limits import parse_decimal
from dialects.opendental.dotnet import format_dotnet

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
EMPTY_DATE = "0001-01-01"
EMPTY_DATETIME = "0001-01-01 00:00:00"

_INT_RE = re.compile(r"^-?\d+$")


def parse_int(raw: Any) -> int:
    """Integers arrive as JSON numbers or, in many OD examples, numeric strings."""
    if isinstance(raw, bool):
        raise ValueError("must be an integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INT_RE.match(raw.strip()):
        return int(raw.strip())
    raise ValueError("must be an integer")


def parse_date(raw: Any) -> date | None:
    if not isinstance(raw, str):
        raise ValueError('must be a date string in "yyyy-MM-dd" format')
    text = raw.strip()
    if text in ("", EMPTY_DATE):
        return None
    try:
        return datetime.strptime(text, DATE_FORMAT).date()
    except ValueError:
        raise ValueError(f'"{raw}" is not a valid date in "yyyy-MM-dd" format') from None


def parse_datetime(raw: Any, ctx: CodecContext) -> datetime | None:
    """A zone-less office-local timestamp -> aware UTC."""
    if not isinstance(raw, str):
        raise ValueError('must be a date-time string in "yyyy-MM-dd HH:mm:ss" format')
    text = raw.strip()
    if text in ("", EMPTY_DATETIME, EMPTY_DATE):
        return None
    try:
        local = datetime.strptime(text, DATETIME_FORMAT)
    except ValueError:
        raise ValueError(
            f'"{raw}" is not a valid date-time in "yyyy-MM-dd HH:mm:ss" format'
        ) from None
    return local.replace(tzinfo=ctx.tz).astimezone(UTC)


def render_date(value: date | None, ctx: CodecContext) -> str:
    if value is None:
        return EMPTY_DATE
    fmt = ctx.options.get("DateFormatString")
    if fmt:
        return format_dotnet(value, fmt)
    return _iso_date(value)


def render_datetime(value: datetime | None, ctx: CodecContext) -> str:
    if value is None:
        return EMPTY_DATETIME
    local = value.astimezone(ctx.tz)
    fmt = ctx.options.get("DateTimeFormatString")
    if fmt:
        return format_dotnet(local, fmt)
    return _iso_datetime(local)


# The default formats are built from the fields with a table of two-digit
# numbers: several times cheaper than ``strftime``, and the same text. Years are
# not padded, exactly as glibc's ``strftime("%Y")`` renders them (``"999-..."``).
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))


def _iso_date(value: date) -> str:
    d = _TWO_DIGITS
    return f"{value.year}-{d[value.month]}-{d[value.day]}"


def _iso_datetime(local: datetime) -> str:
    d = _TWO_DIGITS
    return (
        f"{local.year}-{d[local.month]}-{d[local.day]} "
        f"{d[local.hour]}:{d[local.minute]}:{d[local.second]}"
    )


class Int:
    def to_wire(self, value: int | None, ctx: CodecContext) -> int:
        return int(value or 0)

    def from_wire(self, raw: Any, ctx: CodecContext) -> int:
        return parse_int(raw)


class Text:
    def __init__(self, max_length: int | None = None) -> None:
        self.max_length = max_length

    def to_wire(self, value: str | None, ctx: CodecContext) -> str:
        return value or ""

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        if not isinstance(raw, str):
            raise ValueError("must be a string")
        if self.max_length is not None and len(raw) > self.max_length:
            raise ValueError(f"must be at most {self.max_length} characters")
        return raw


class Bool:
    def to_wire(self, value: bool | None, ctx: CodecContext) -> str:
        return "true" if value else "false"

    def from_wire(self, raw: Any, ctx: CodecContext) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
            return raw.strip().lower() == "true"
        raise ValueError('must be "true" or "false"')


class Date:
    def to_wire(self, value: date | None, ctx: CodecContext) -> str:
        return render_date(value, ctx)

    def from_wire(self, raw: Any, ctx: CodecContext) -> date | None:
        return parse_date(raw)


class DateTime:
    def to_wire(self, value: datetime | None, ctx: CodecContext) -> str:
        return render_datetime(value, ctx)

    def from_wire(self, raw: Any, ctx: CodecContext) -> datetime | None:
        return parse_datetime(raw, ctx)

    def exact(self, value: datetime | None, ctx: CodecContext) -> bool:
        """Shown to the second (or as the request's format shows it)."""
        return value is None or round_trips(self, value, ctx)


class DateOfDateTime:
    """A date rendered from a timestamp, in office-local time (``SecDateEntry``)."""

    def to_wire(self, value: datetime | None, ctx: CodecContext) -> str:
        return render_date(value.astimezone(ctx.tz).date() if value else None, ctx)

    def from_wire(self, raw: Any, ctx: CodecContext) -> datetime | None:
        d = parse_date(raw)
        return None if d is None else datetime(d.year, d.month, d.day, tzinfo=ctx.tz)

    def exact(self, value: datetime | None, ctx: CodecContext) -> bool:
        """Shown as its office-local date: a time of day is not."""
        return value is None or round_trips(self, value, ctx)


class ServerTime:
    """``serverDateTime``: the sync watermark. It is the request's start time, or
    earlier while a write that began before it is still committing, so a client
    that asks for ``DateTStamp`` >= this value next time misses nothing."""

    def to_wire(self, value: Any, ctx: CodecContext) -> str:
        return render_datetime(ctx.watermark or ctx.now, ctx)

    def from_wire(self, raw: Any, ctx: CodecContext) -> None:
        return None


class RefNum:
    """A foreign key as an integer, ``0`` for none. ``as_text`` renders it as a
    numeric string, as OD does for a few fields (``AptNum``)."""

    def __init__(self, *, as_text: bool = False) -> None:
        self.as_text = as_text

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> int | str:
        num = value.num if value is not None and value.num is not None else 0
        return str(num) if self.as_text else num

    def from_wire(self, raw: Any, ctx: CodecContext) -> Ref | None:
        num = parse_int(raw)
        if num < 0:
            raise ValueError("must not be negative")
        return None if num == 0 else Ref(num=num)


class RefNumText(RefNum):
    """A foreign key rendered as a numeric string (``CommType``)."""

    def __init__(self) -> None:
        super().__init__(as_text=True)


class RefName:
    """A lowercase companion showing a referenced record's name (``commType``,
    ``provAbbr``); on input, where allowed, it names the record to reference."""

    def __init__(self, target: RefTo, attr: str) -> None:
        self.target = target
        self.attr = attr

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> str:
        rec = ctx.ref_record(self.target.resource, value)
        if rec is not None:
            return str(getattr(rec, self.attr) or "")
        return value.name or "" if value is not None else ""

    def from_wire(self, raw: Any, ctx: CodecContext) -> Ref | None:
        if not isinstance(raw, str):
            raise ValueError("must be a string")
        return Ref(name=raw) if raw.strip() else None


class MoneyText:
    """Money as a two-place string (``"130.00"``); numbers and numeric strings accepted."""

    def to_wire(self, value: Decimal | None, ctx: CodecContext) -> str:
        return f"{(value or Decimal(0)):.2f}"

    def from_wire(self, raw: Any, ctx: CodecContext) -> Decimal:
        return parse_money(raw)

    def exact(self, value: Decimal | None, ctx: CodecContext) -> bool:
        """Shown to two places: a third place is not."""
        return value is None or round_trips(self, value, ctx)


class MoneyNumber:
    """Money as a JSON number (``EstBalance``: ``40.11``)."""

    def to_wire(self, value: Decimal | None, ctx: CodecContext) -> float:
        return float(value or 0)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Decimal:
        return parse_money(raw)

    def exact(self, value: Decimal | None, ctx: CodecContext) -> bool:
        """Shown to two places: a third place is not."""
        return value is None or round_trips(self, value, ctx)


def parse_money(raw: Any) -> Decimal:
    return parse_decimal(raw, places=2, message="must be a number")
