"""Checking a dialect's code tables against tables written out by hand from the
reference documents.

A :class:`Table` is the documented wire text of each canonical member of one
:class:`~dialects.codec.EnumMap`, plus the ``nearest`` wire text of the
members the dialect has no exact text for. The expected rows are never read
from the ``EnumMap`` itself: swapping two rows in the source must fail a test.

:func:`discover` walks a dialect package for every ``EnumMap`` (module
attributes and the converters of every codec field), so a new code table
without an explicit table here fails the coverage test.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import ModuleType
from typing import Any

import pytest

from dialects.codec import Codec, CodecContext, EnumMap

CTX = CodecContext()


@dataclass(frozen=True)
class Table:
    """One code table as the documents give it."""

    name: str
    """Where it lives, e.g. ``opendental.patient_codec.POSITIONS``."""
    codes: EnumMap[Any]
    rows: tuple[tuple[str, Enum], ...]
    """Documented wire text -> the canonical member it means, in both directions."""
    nearest: Mapping[Enum, str] = field(default_factory=dict)
    """Canonical members with no exact wire text -> the text shown for them."""


def row_params(tables: list[Table]) -> list[Any]:
    return [
        pytest.param(t, wire, member, id=f"{t.name}:{wire or '<empty>'}")
        for t in tables
        for wire, member in t.rows
    ]


def nearest_params(tables: list[Table]) -> list[Any]:
    return [
        pytest.param(t, member, wire, id=f"{t.name}:{member.value}")
        for t in tables
        for member, wire in t.nearest.items()
    ]


def table_params(tables: list[Table]) -> list[Any]:
    return [pytest.param(t, id=t.name) for t in tables]


def check_from_wire(table: Table, wire: str, member: Enum) -> None:
    assert table.codes.from_wire(wire, CTX) is member


def check_to_wire(table: Table, wire: str, member: Enum) -> None:
    assert table.codes.to_wire(member, CTX) == wire
    assert table.codes.exact(member)


def check_nearest(table: Table, member: Enum, wire: str) -> None:
    assert not table.codes.exact(member), f"{member} has exact text; not a nearest row"
    assert table.codes.to_wire(member, CTX) == wire


def check_complete(table: Table) -> None:
    """The table holds the documented rows and no others, and every member of
    the canonical enum has either an exact row or a nearest row."""
    assert list(table.codes.table) == [w for w, _ in table.rows]
    assert dict(table.codes.nearest) == dict(table.nearest)
    enum = type(table.rows[0][1])
    covered = {m for _, m in table.rows} | set(table.nearest)
    assert covered == set(enum), f"members without wire text: {set(enum) - covered}"
    with pytest.raises(ValueError):
        table.codes.from_wire("no such code", CTX)


# -- discovery ---------------------------------------------------------------------


def modules(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        yield importlib.import_module(info.name)


def _codecs_in(value: Any) -> Iterator[Codec]:
    if isinstance(value, Codec):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            if isinstance(v, Codec):
                yield v
    elif isinstance(value, list | tuple):
        for v in value:
            if isinstance(v, Codec):
                yield v
            elif isinstance(getattr(v, "codec", None), Codec):
                yield v.codec
    elif isinstance(getattr(value, "codec", None), Codec):
        yield value.codec


def codecs(package: ModuleType) -> dict[int, Codec]:
    """Every codec a dialect package holds, by identity."""
    out: dict[int, Codec] = {}
    for mod in modules(package):
        for value in list(vars(mod).values()):
            for c in _codecs_in(value):
                out[id(c)] = c
        for value in list(vars(mod).values()):
            if isinstance(value, type):
                for attr in ("codecs",):
                    for c in _codecs_in(getattr(value, attr, None)):
                        out[id(c)] = c
    return out


def enum_map_of(conv: Any) -> EnumMap[Any] | None:
    """The code table a converter is (an ``EnumMap``) or wraps (``Enum_``, ``NullEnum``)."""
    if isinstance(conv, EnumMap):
        return conv
    inner = getattr(conv, "table", None)
    return inner if isinstance(inner, EnumMap) else None


def discover(package: ModuleType) -> dict[int, str]:
    """Every ``EnumMap`` in a dialect package, by identity -> where it was found."""
    found: dict[int, str] = {}
    for mod in modules(package):
        for name, value in list(vars(mod).items()):
            if isinstance(value, EnumMap):
                found.setdefault(id(value), f"{mod.__name__}.{name}")
    for c in codecs(package).values():
        for f in c.fields:
            table = enum_map_of(f.conv)
            if table is not None:
                found.setdefault(id(table), f"{c.dialect} {c.model.__name__}.{f.wire}")
    return found


def enum_fields(package: ModuleType) -> dict[tuple[str, str], set[int]]:
    """(model, wire field) -> the identities of the code tables its codecs use."""
    out: dict[tuple[str, str], set[int]] = {}
    for c in codecs(package).values():
        for f in c.fields:
            table = enum_map_of(f.conv)
            if table is not None:
                out.setdefault((c.model.__name__, f.wire), set()).add(id(table))
    return out


def enum_dicts(package: ModuleType) -> dict[int, str]:
    """Module-level mappings keyed by, or holding, canonical enum members:
    dict-based code tables."""
    found: dict[int, str] = {}
    for mod in modules(package):
        for name, value in list(vars(mod).items()):
            if isinstance(value, Mapping) and not isinstance(value, type):
                items = list(value.items())
                if any(isinstance(k, Enum) or isinstance(v, Enum) for k, v in items):
                    found.setdefault(id(value), f"{mod.__name__}.{name}")
    return found


TableTest = Callable[..., None]


def table_suite(
    package: ModuleType,
    tables: list[Table],
    fields: Mapping[tuple[str, str], object],
    *,
    checked_elsewhere: frozenset[str] = frozenset(),
) -> tuple[TableTest, TableTest, TableTest, TableTest, TableTest, TableTest]:
    """The tests every dialect's code tables get, bound to that dialect: each
    row both ways, the nearest texts, each table complete (but those named in
    ``checked_elsewhere``), every table listed, every enum field on its table."""

    @pytest.mark.parametrize(("table", "wire", "member"), row_params(tables))
    def test_from_wire(table: Table, wire: str, member: Enum) -> None:
        check_from_wire(table, wire, member)

    @pytest.mark.parametrize(("table", "wire", "member"), row_params(tables))
    def test_to_wire(table: Table, wire: str, member: Enum) -> None:
        check_to_wire(table, wire, member)

    @pytest.mark.parametrize(("table", "member", "wire"), nearest_params(tables))
    def test_nearest(table: Table, member: Enum, wire: str) -> None:
        check_nearest(table, member, wire)

    complete = [t for t in table_params(tables) if t.id not in checked_elsewhere]

    @pytest.mark.parametrize("table", complete)
    def test_table_is_exactly_the_documented_one(table: Table) -> None:
        check_complete(table)

    def test_every_code_table_has_an_explicit_table() -> None:
        covered = {id(t.codes) for t in tables}
        missing = [where for key, where in discover(package).items() if key not in covered]
        assert not missing, f"code tables without an explicit table in this file: {missing}"

    def test_every_enum_field_uses_its_documented_table() -> None:
        used = enum_fields(package)
        assert set(used) == set(fields), "a field's code table is not listed in FIELDS"
        for key, table in fields.items():
            assert used[key] == {id(table)}, f"{key} does not use the table listed for it"

    return (
        test_from_wire,
        test_to_wire,
        test_nearest,
        test_table_is_exactly_the_documented_one,
        test_every_code_table_has_an_explicit_table,
        test_every_enum_field_uses_its_documented_table,
    )
