"""The org API's query parameters (seed 003), read as its FastAPI service reads them.

Parameters an endpoint does not define are ignored; a defined one is validated
by pydantic, and a bad value is a 422 at ``["query", name]`` in pydantic's
words (``int_parsing``, ``greater_than_equal``, ``bool_parsing``, ``enum``,
``date_parsing``, ...). The last occurrence of a repeated name counts, and
``?name=`` is a value like any other (an empty integer is refused), except for
dates and ids, where it reads as absent.

Dates are ``YYYY-MM-DD`` and date-times ISO 8601, as in bodies (a date-time
without an offset is UTC).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any

import pydantic

from canonical import Invalid
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.formats import parse_datetime
from dialects.orgapi.inputs import failed, known, one_of
from dialects.params import Params as BaseParams

__all__ = ["Params"]

_BOOL = pydantic.TypeAdapter(bool)
_DATE = pydantic.TypeAdapter(date)
_DATETIME = pydantic.TypeAdapter(datetime)


@cache
def _bounded(ge: int | None, le: int | None) -> pydantic.TypeAdapter[int]:
    return pydantic.TypeAdapter(Annotated[int, pydantic.Field(ge=ge, le=le)])


@cache
def _choices(options: tuple[str, ...]) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(one_of(options))


class Params(BaseParams):
    """The query of one org API request."""

    empty_is_absent = False

    def invalid(self, name: str, message: str) -> Invalid:
        return ValidationFailed.one(["query", name], message, "value_error")

    def parsed(self, name: str, fn: Callable[[str], Any]) -> Any:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return fn(raw)
        except pydantic.ValidationError as exc:
            raise failed(exc, ("query", name)) from None
        except ValueError as exc:
            raise self.invalid(name, str(exc)) from None

    def to_int(self, raw: str) -> int:
        return _bounded(None, None).validate_strings(raw)

    def to_bool(self, raw: str) -> bool:
        return _BOOL.validate_strings(raw.strip())

    def to_date(self, raw: str) -> date:
        return _DATE.validate_strings(raw, strict=True)

    def to_timestamp(self, raw: str) -> datetime:
        try:
            return parse_datetime(raw)
        except ValueError:
            _DATETIME.validate_strings(raw, strict=True)  # a refusal worded by pydantic
            raise

    # -- typed reads with the endpoint's bounds and defaults ------------------------

    def int_(
        self,
        name: str,
        default: int | None = None,
        *,
        ge: int | None = None,
        le: int | None = None,
        required: bool = False,
    ) -> int | None:
        if name not in self.values:
            if required:
                raise known("missing", ["query", name])
            return default
        value: int = self.parsed(name, _bounded(ge, le).validate_strings)
        return value

    def bool_(self, name: str, default: bool | None = None) -> bool | None:
        if name not in self.values:
            return default
        return self.parsed(name, self.to_bool)

    def choice(self, name: str, options: Iterable[str]) -> str | None:
        """One of ``options`` (pydantic's ``enum`` error otherwise), or ``None``."""
        adapter = _choices(tuple(options))
        chosen = self.parsed(name, adapter.validate_python)
        return None if chosen is None else str(chosen.value)

    def date_(self, name: str) -> date | None:
        return self.parsed(name, self.to_date) if self.values.get(name) else None

    def timestamp(self, name: str) -> datetime | None:
        return self.parsed(name, self.to_timestamp) if self.values.get(name) else None

    def sort(self, allowed: Iterable[str], default: str) -> tuple[str, bool]:
        """``sort_by`` (one of ``allowed``) and whether ``sort_dir`` is ``desc``."""
        field = self.choice("sort_by", allowed) or default
        return field, self.choice("sort_dir", ("asc", "desc")) == "desc"
