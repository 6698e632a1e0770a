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


async def check_example(client: Any, example: dict[str, Any], schema_name: str) -> Any:
    """Run a documented example request; the answer matches the example and the schema."""
    from tests.support import assert_matches_example

    req, expected = example["request"], example["response"]
    r = await client.request(req["method"], req["path"], json=req.get("body"))
    assert r.status_code == expected["status"], r.text
    assert_matches_example(r.json(), expected["body"], assigned=example["assigned"])
    assert_schema(r.json(), schema_name)
    return r.json()
