"""Validate org API responses against the JSON Schemas in fixtures/orgapi/schemas,
including the documented field order (the order of the schema's properties)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema

from tests.support import FIXTURES


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / "orgapi" / "schemas" / name).read_text())
    return loaded


def _order(body: Any, sch: dict[str, Any], defs: dict[str, Any], path: str) -> None:
    if "$ref" in sch:
        sch = defs[sch["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in sch:
        for option in sch["anyOf"]:
            if option.get("type") != "null" and body is not None:
                _order(body, option, defs, path)
        return
    if isinstance(body, dict) and "properties" in sch:
        assert list(body) == list(sch["properties"]), f"{path}: field order {list(body)}"
        for key, sub in sch["properties"].items():
            _order(body[key], sub, defs, f"{path}.{key}")
    elif isinstance(body, list) and "items" in sch:
        for i, item in enumerate(body):
            _order(item, sch["items"], defs, f"{path}[{i}]")


def assert_schema(body: Any, name: str) -> None:
    sch = schema(name)
    jsonschema.validate(body, sch, format_checker=jsonschema.FormatChecker())
    _order(body, sch, sch.get("$defs", {}), "$")
