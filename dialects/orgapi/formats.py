"""Org API value formats, as converters for the field maps (seed 003).

JSON-native and strict, as a pydantic-validated API is: strings are JSON
strings, integers JSON integers (``true`` and ``"5"`` are refused), booleans
JSON booleans, dates ``YYYY-MM-DD``, date-times ISO 8601 rendered in UTC with
``Z``, money as decimal strings (``"40.11"``), ids as UUID strings. A related
record is shown as a lightweight reference ``{"id": uuid, "name": ...}`` and
set through a ``*_uuid`` input field.

Optional text the record holds as empty is rendered ``null`` (the document's
models are ``Optional[str]``), and ``null`` written to optional text clears it;
the canonical record keeps no difference between the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from canonical import Record, Ref, RefTo
from canonical.patient import TriState
from dialects.codec import CodecContext, round_trips
from dialects.limits import parse_decimal

__all__ = [
    "DISPLAY_NAMES",
    "Bool",
    "Date",
    "DateTime",
    "Email",
    "Int",
    "LightRef",
    "Money",
    "NullableBool",
    "RefUuid",
    "Text",
    "TriBool",
    "Uuid",
    "display_name",
    "parse_date",
    "parse_datetime",
    "parse_uuid",
    "render_datetime",
]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_uuid(raw: Any) -> UUID:
    if not isinstance(raw, str):
        raise ValueError("must be a UUID string")
    try:
        return UUID(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a valid UUID") from None


def parse_date(raw: Any) -> date:
    if not isinstance(raw, str) or not _DATE_RE.match(raw):
        raise ValueError("must be a date in YYYY-MM-DD format")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a real calendar date") from None


def parse_datetime(raw: Any) -> datetime:
    """ISO 8601; a value without an offset is taken as UTC (the API's zone)."""
    if not isinstance(raw, str) or len(raw) < 10:
        raise ValueError("must be an ISO 8601 date-time")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a valid ISO 8601 date-time") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def render_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Text:
    """A string. ``required`` refuses null and blank (names); otherwise null clears it."""

    def __init__(self, max_length: int | None = None, *, required: bool = False) -> None:
        self.max_length = max_length
        self.required = required

    def to_wire(self, value: str | None, ctx: CodecContext) -> str | None:
        return value if value else ("" if self.required else value or None)

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        if raw is None and not self.required:
            return ""
        if not isinstance(raw, str):
            raise ValueError("must be a string")
        if self.required and not raw.strip():
            raise ValueError("must not be blank")
        if self.max_length is not None and len(raw) > self.max_length:
            raise ValueError(f"must be at most {self.max_length} characters")
        return raw


class Email(Text):
    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        text = super().from_wire(raw, ctx)
        if text and not _EMAIL_RE.match(text):
            raise ValueError("must be a valid email address")
        return text


class Int:
    """A JSON integer within bounds; ``nullable`` lets null clear it."""

    def __init__(
        self, *, minimum: int | None = None, maximum: int | None = None, nullable: bool = False
    ) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.nullable = nullable

    def to_wire(self, value: int | None, ctx: CodecContext) -> int | None:
        return value

    def from_wire(self, raw: Any, ctx: CodecContext) -> int | None:
        if raw is None and self.nullable:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError("must be an integer")
        if self.minimum is not None and raw < self.minimum:
            raise ValueError(f"must be greater than or equal to {self.minimum}")
        if self.maximum is not None and raw > self.maximum:
            raise ValueError(f"must be less than or equal to {self.maximum}")
        return raw


class Bool:
    def to_wire(self, value: bool | None, ctx: CodecContext) -> bool:
        return bool(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> bool:
        if not isinstance(raw, bool):
            raise ValueError("must be a boolean")
        return raw


class NullableBool(Bool):
    def to_wire(self, value: bool | None, ctx: CodecContext) -> bool | None:  # type: ignore[override]
        return value

    def from_wire(self, raw: Any, ctx: CodecContext) -> bool | None:  # type: ignore[override]
        return None if raw is None else super().from_wire(raw, ctx)


class TriBool:
    """A yes/no/unknown canonical value as ``true``/``false``/``null``."""

    def to_wire(self, value: TriState | None, ctx: CodecContext) -> bool | None:
        return {TriState.yes: True, TriState.no: False}.get(value) if value else None

    def from_wire(self, raw: Any, ctx: CodecContext) -> TriState:
        if raw is None:
            return TriState.unknown
        if not isinstance(raw, bool):
            raise ValueError("must be a boolean or null")
        return TriState.yes if raw else TriState.no


class Date:
    def to_wire(self, value: date | None, ctx: CodecContext) -> str | None:
        return None if value is None else value.isoformat()

    def from_wire(self, raw: Any, ctx: CodecContext) -> date | None:
        return None if raw is None else parse_date(raw)


class DateTime:
    def to_wire(self, value: datetime | None, ctx: CodecContext) -> str | None:
        return render_datetime(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> datetime | None:
        return None if raw is None else parse_datetime(raw)


class Money:
    """Money as a two-place decimal string (``"0.00"``); read-only in this API."""

    def to_wire(self, value: Decimal | None, ctx: CodecContext) -> str:
        return f"{(value or Decimal(0)):.2f}"

    def from_wire(self, raw: Any, ctx: CodecContext) -> Decimal:
        return parse_decimal(raw, places=2, message="must be a decimal string")

    def exact(self, value: Decimal | None, ctx: CodecContext) -> bool:
        """Shown to two places: a third place is not."""
        return value is None or round_trips(self, value, ctx)


class Uuid:
    """A record's own id (``id``)."""

    def to_wire(self, value: UUID | None, ctx: CodecContext) -> str | None:
        return None if value is None else str(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> UUID:
        return parse_uuid(raw)


class RefUuid:
    """An input ``*_uuid`` field: the UUID of the record to reference, null for none."""

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> str | None:
        return None if value is None or value.uuid is None else str(value.uuid)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Ref | None:
        return None if raw is None else Ref(uuid=parse_uuid(raw))


def _person(rec: Any) -> str:
    return " ".join(p for p in (rec.first_name, rec.last_name) if p)


DISPLAY_NAMES: dict[str, Callable[[Any], str]] = {
    "patient": _person,
    "provider": lambda r: _person(r) or r.abbreviation,
    "user": lambda r: _person(r) or r.username,
    "clinic": lambda r: r.description or r.abbreviation,
    "definition": lambda r: r.name,
    "employer": lambda r: r.name,
    "fee_schedule": lambda r: r.description,
    "site": lambda r: r.description,
    "referral": _person,
}
"""How a lightweight reference names each kind of record (the "optional name")."""


def display_name(resource: str, record: Record | None) -> str | None:
    if record is None:
        return None
    namer = DISPLAY_NAMES.get(resource)
    if namer is None:
        name = getattr(record, "name", None)
        return name if isinstance(name, str) and name else None
    return namer(record) or None


class LightRef:
    """Output half of a reference: ``{"id": uuid, "name": display name}`` or null.

    The name comes from the referenced record, prefetched with
    :func:`dialects.codec.load_refs` (the codec field carries ``ref=RefTo(...)``).
    """

    def __init__(self, target: RefTo) -> None:
        self.target = target

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> dict[str, Any] | None:
        if value is None:
            return None
        rec = ctx.ref_record(self.target.resource, value)
        ident = value.uuid or (rec.uuid if rec is not None else None)
        if ident is None:
            return None
        name = display_name(self.target.resource, rec) if rec is not None else value.name
        return {"id": str(ident), "name": name}

    def from_wire(self, raw: Any, ctx: CodecContext) -> Ref | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or "id" not in raw:
            raise ValueError('must be an object with an "id"')
        return Ref(uuid=parse_uuid(raw["id"]))
