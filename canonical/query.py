"""Backend-neutral queries: conditions, ordering, paging.

A dialect turns its query parameters into a :class:`Query`; the backend runs
it (in the database for the store, as request parameters upstream). Field
names are canonical; a reference field is compared by its ``num``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

__all__ = ["AnyOf", "Cond", "Op", "Order", "Page", "Query"]

Op = Literal[
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "in",
    "contains",
    "startswith",
    "is_null",
    "digits_contains",
]
"""``digits_contains``: the field's digits, with phone punctuation ignored, contain
the value's digits (``(536)265-8587`` matches ``5362658587`` and ``2658``)."""

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Cond:
    field: str
    op: Op
    value: Any = None


@dataclass(frozen=True, slots=True)
class AnyOf:
    """True when any of its conditions holds (SQL ``OR``)."""

    conds: tuple[Cond | AnyOf, ...]


@dataclass(frozen=True, slots=True)
class Order:
    field: str
    descending: bool = False


@dataclass(slots=True)
class Query:
    where: list[Cond | AnyOf] = field(default_factory=list)
    order: list[Order] = field(default_factory=lambda: [Order("num")])
    offset: int = 0
    limit: int | None = None
    after: tuple[Any, ...] | None = None
    """Keyset cursor: the sort values (then ``num``) of the last row already seen."""
    include_deleted: bool = False
    with_total: bool = False

    def add(self, fld: str, op: Op, value: Any = None) -> Query:
        self.where.append(Cond(fld, op, value))
        return self


@dataclass(slots=True)
class Page(Generic[R]):
    items: list[R]
    total: int | None = None
