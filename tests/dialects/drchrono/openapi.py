"""Validate DrChrono responses against the OpenAPI component schemas kept in
fixtures/drchrono/schemas (properties where the OpenAPI contradicts seed 004
are listed under ``x-not-validated`` there and skipped)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema

from tests.support import FIXTURES


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (FIXTURES / "drchrono" / "schemas" / f"{name}.json").read_text()
    )
    return loaded


def assert_schema(body: Any, name: str) -> None:
    """``body`` (one object, or a list of them) matches the schema ``name``."""
    for item in body if isinstance(body, list) else [body]:
        jsonschema.validate(item, schema(name))


def assert_keys(body: dict[str, Any], keys: list[str]) -> None:
    """Exactly the documented keys, in the documented order."""
    assert list(body) == keys, f"keys differ\n  got      {list(body)}\n  expected {keys}"
