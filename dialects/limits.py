"""Bounds on what a client may send, the same in every dialect.

The canonical store holds integers in signed 64-bit columns, decimals as
exact text with at most :data:`DECIMAL_INTEGER_DIGITS` digits before the
point, and text without NUL characters. A value past these bounds would fail
deep in the database or in ``decimal`` (a 500); checked here, it is the
client's mistake, answered with the dialect's own 4xx naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from typing import Any

from canonical import INT64_MAX, INT64_MIN, Invalid, Ref

__all__ = [
    "DECIMAL_INTEGER_DIGITS",
    "DECIMAL_SIGNIFICANT_DIGITS",
    "MAX_QUERY_VALUE",
    "check_query",
    "parse_decimal",
    "value_problem",
]

DECIMAL_INTEGER_DIGITS = 13
"""Digits a decimal may have before the point (amounts below ten trillion).

Open Dental keeps money as a double, exact to the cent only below about
9 x 10^13; thirteen digits stay inside that, so an amount moves between
dialects without losing a cent."""

DECIMAL_SIGNIFICANT_DIGITS = 28
"""Significant digits of a decimal whose field fixes no number of places
(Python's default decimal precision: arithmetic on it stays exact)."""

MAX_QUERY_VALUE = 1000
"""Characters a query parameter's value may have. Search values past this
would only ever match nothing, and a long ``LIKE`` pattern is refused by SQLite."""

NUL = "\x00"


def parse_decimal(
    raw: Any,
    *,
    places: int | None,
    message: str,
    not_finite: str | None = None,
    rounding: str = ROUND_HALF_EVEN,
) -> Decimal:
    """A client's number (JSON number or numeric string) as a bounded ``Decimal``.

    ``places`` rounds to that many decimal places (``None`` keeps the value as
    given); ``message`` is the dialect's wording for "not a number" and
    ``not_finite`` for infinities and NaN (``message`` when not given). Raises
    ``ValueError`` for what is not a finite number or is past the bounds.
    """
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ValueError(message)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(message) from None
    if not value.is_finite():
        raise ValueError(not_finite or message)
    if value and value.adjusted() >= DECIMAL_INTEGER_DIGITS:
        raise ValueError(
            f"must have no more than {DECIMAL_INTEGER_DIGITS} digits before the decimal point"
        )
    if places is None:
        if len(value.as_tuple().digits) > DECIMAL_SIGNIFICANT_DIGITS:
            raise ValueError(f"must have no more than {DECIMAL_SIGNIFICANT_DIGITS} digits")
        return value
    # The bound above keeps the result inside this precision, so quantize cannot fail.
    with localcontext() as ctx:
        ctx.prec = DECIMAL_INTEGER_DIGITS + places + 1
        return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def value_problem(raw: Any) -> str | None:
    """What is wrong with a decoded client value wherever it is nested, or ``None``.

    A NUL character cuts text short in C-based clients and drivers (SQLite's
    ``LIKE`` stops at it); an integer past 64 bits fits no column.
    """
    if isinstance(raw, str):
        return "must not contain a NUL character" if NUL in raw else None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        if not INT64_MIN <= raw <= INT64_MAX:
            return f"must be between {INT64_MIN} and {INT64_MAX}"
        return None
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            problem = value_problem(key) or value_problem(value)
            if problem:
                return problem
        return None
    if isinstance(raw, Ref):
        return value_problem(raw.num) or value_problem(raw.name)
    if isinstance(raw, list | tuple | set | frozenset):
        for value in raw:
            problem = value_problem(value)
            if problem:
                return problem
    return None


def check_query(query: Iterable[tuple[str, str]], label: str = "{}") -> None:
    """Refuse query parameters no filter can use: a NUL, or a value past
    :data:`MAX_QUERY_VALUE` characters. ``label`` formats a parameter's name as
    the dialect's errors locate it (the org API says ``query.<name>``)."""
    errors: dict[str, str] = {}
    for name, value in query:
        if NUL in name or NUL in value:
            errors[label.format(name.replace(NUL, ""))] = (
                f"{name.replace(NUL, '')} must not contain a NUL character."
            )
        elif len(value) > MAX_QUERY_VALUE:
            errors[label.format(name)] = (
                f"{name} must be at most {MAX_QUERY_VALUE} characters long."
            )
    if errors:
        raise Invalid(" ".join(dict.fromkeys(errors.values())), errors)
