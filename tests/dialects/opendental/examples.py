"""Sending a documented Open Dental example to the app and checking the answer."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support import assert_matches_example


async def check_example(
    od: httpx.AsyncClient, example: dict[str, Any], key: str | None = None
) -> httpx.Response:
    """Run the example's ``setup`` steps, then its request; the answer has the
    example's status, keys in order and values (``assigned`` keys by format), an
    empty body where the example shows none, and on a 201 a ``Location`` naming
    the record by ``key`` (its number key, e.g. ``"CommlogNum"``)."""
    for step in example.get("setup", []):
        r = await od.request(step["method"], step["path"], json=step.get("body"))
        assert r.status_code < 300, r.text
    req, expected = example["request"], example["response"]
    r = await od.request(req["method"], req["path"], json=req.get("body"))
    assert r.status_code == expected["status"], r.text
    if expected["body"] is None:
        assert r.content == b""
        return r
    assert_matches_example(r.json(), expected["body"], assigned=example["assigned"])
    if expected["status"] == 201 and key is not None:
        path = req["path"].split("?")[0]
        assert r.headers["location"].endswith(f"{path}/{r.json()[key]}")
    return r
