"""A request's query parameters, read by type: one parser for every dialect.

A dialect subclasses :class:`Params` to set its conventions: which
occurrence of a repeated name counts, how a raw value is parsed (its
``formats``), how a bad one is reported (its error shape), and which names
an endpoint refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, ClassVar

from canonical import Invalid
from dialects.codec import CodecContext

__all__ = ["Params"]


class Params:
    """The query string of one request."""

    first_wins: ClassVar[bool] = False
    """A repeated name counts by its first occurrence (DRF's ``QueryDict.get``
    reads the last; DrChrono's links rely on the first); else by its last."""
    empty_is_absent: ClassVar[bool] = True
    """``?name=`` reads as if the name were not there."""

    def __init__(self, query: Iterable[tuple[str, str]], ctx: CodecContext | None = None) -> None:
        self.values: dict[str, str] = {}
        self.ctx = ctx or CodecContext()
        for k, v in query:
            if self.first_wins:
                self.values.setdefault(k, v)
            else:
                self.values[k] = v

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def get(self, name: str, default: str | None = None) -> str | None:
        """The raw value as sent (``""`` included)."""
        return self.values.get(name, default)

    # -- the dialect's formats and error shape -----------------------------------

    def invalid(self, name: str, message: str) -> Invalid:
        """The error for a bad value of parameter ``name``."""
        return Invalid(f"{name}: {message}", {name: message})

    def to_int(self, raw: str) -> int:
        text = raw.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        raise ValueError("A valid integer is required.")

    def to_bool(self, raw: str) -> bool:
        if raw.lower() in ("true", "1", "yes", "on"):
            return True
        if raw.lower() in ("false", "0", "no", "off"):
            return False
        raise ValueError("Must be a valid boolean.")

    def to_date(self, raw: str) -> date:
        return date.fromisoformat(raw.strip())

    def to_timestamp(self, raw: str) -> datetime:
        return datetime.fromisoformat(raw.strip())

    # -- typed reads --------------------------------------------------------------

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value == "" and self.empty_is_absent:
            return None
        return value

    def parsed(self, name: str, fn: Callable[[str], Any]) -> Any:
        """``fn`` of the value; its ``ValueError`` becomes the dialect's error."""
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return fn(raw)
        except ValueError as exc:
            raise self.invalid(name, str(exc)) from None

    def int_(self, name: str) -> int | None:
        return self.parsed(name, self.to_int)

    def bool_(self, name: str) -> bool | None:
        return self.parsed(name, self.to_bool)

    def date_(self, name: str) -> date | None:
        return self.parsed(name, self.to_date)

    def timestamp(self, name: str) -> datetime | None:
        return self.parsed(name, self.to_timestamp)

    def flag(self, name: str) -> bool:
        """A switch: present with no value, or a true value."""
        if name not in self.values:
            return False
        return True if self.values[name] == "" else self.bool_(name) is True
