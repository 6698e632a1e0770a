"""Helpers for tests: documented examples as fixtures, and comparing a response
with a documented example (keys, key order, value formats)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

from canonical import Query, Record
from gateway.backends.store import Store, TenantStore
from gateway.demo import DEMO_TENANT_ID

FIXTURES = resources.files("fixtures")

_FORMATS = [
    ("datetime", re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")),
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("bool", re.compile(r"^(true|false)$")),
    ("money", re.compile(r"^-?\d+\.\d{2}$")),
    ("int-text", re.compile(r"^-?\d+$")),
]


def load(path: str) -> Any:
    """A fixture file, e.g. ``load("opendental/commlogs/get_one.json")``."""
    return json.loads((FIXTURES / path).read_text())


def examples(folder: str) -> list[tuple[str, dict[str, Any]]]:
    """Every example file in ``fixtures/<folder>``, as (name, example) pairs."""
    root = FIXTURES / folder
    return sorted(
        (f.name.removesuffix(".json"), json.loads(f.read_text()))
        for f in root.iterdir()
        if f.name.endswith(".json")
    )


def value_format(value: Any) -> str:
    if isinstance(value, bool):
        return "json-bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, str):
        for name, pattern in _FORMATS:
            if pattern.match(value):
                return name
        return "text"
    return type(value).__name__


def assert_matches_example(
    actual: Any, expected: Any, *, assigned: Iterable[str] = (), path: str = "$"
) -> None:
    """``actual`` has the example's keys in the example's order, and every value
    has the example's format; values equal the example's except ``assigned``
    keys (those the server assigns: ids, stamps), whose format alone is checked.
    """
    free = set(assigned)
    if isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {type(actual).__name__}"
        assert len(actual) == len(expected), (
            f"{path}: {len(actual)} items, example has {len(expected)}"
        )
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_matches_example(a, e, assigned=free, path=f"{path}[{i}]")
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        assert list(actual) == list(expected), (
            f"{path}: keys differ\n  got      {list(actual)}\n  example  {list(expected)}"
        )
        for key, e in expected.items():
            a = actual[key]
            if key in free:
                fa, fe = value_format(a), value_format(e)
                empty = {"", "0001-01-01", "0001-01-01 00:00:00"}
                assert fa == fe or a in empty or e in empty, (
                    f"{path}.{key}: format {fa} ({a!r}), example {fe} ({e!r})"
                )
            else:
                assert_matches_example(a, e, assigned=free, path=f"{path}.{key}")
        return
    assert actual == expected and type(actual) is type(expected), (
        f"{path}: got {actual!r}, example {expected!r}"
    )


def demo_backend(store: Store) -> TenantStore:
    """The demo tenant's backend, for set-up and checks the dialects cannot make."""
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    return store.for_tenant(tenant)


async def stored(store: Store, model: type[Record]) -> list[Record]:
    """Every record of ``model`` in the demo tenant, deleted ones included, as
    stored (versions, stamps): equal before and after means nothing changed."""
    return (await demo_backend(store).find(model, Query(include_deleted=True))).items
