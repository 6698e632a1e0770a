"""Open Dental request bodies (apiimplementation.md): one JSON object, sent
with ``Content-Type: application/json``, carrying only the keys the method
takes (the field map's ``accepts`` flags) and every key it requires (its
``required`` flags)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from canonical import Invalid
from dialects.base import Call
from dialects.codec import Codec

__all__ = ["check_keys", "exclusive", "json_body", "only", "require"]

ACTION = {"POST": "set", "PUT": "updated"}
"""How "X cannot be ... with this method." names what a method does with a key."""


def json_body(call: Call) -> dict[str, Any]:
    """The request's JSON object. OD requires ``Content-Type: application/json``."""
    ctype = call.headers.get("content-type", "")
    if ctype.split(";")[0].strip().lower() != "application/json":
        raise Invalid('Content-Type must be "application/json".', {"Content-Type": "invalid"})
    if not call.body.strip():
        raise Invalid("The request body is empty; a JSON object is required.")
    try:
        data = orjson.loads(call.body)
    except orjson.JSONDecodeError as exc:
        raise Invalid(f"The request body is not valid JSON: {exc.args[0]}.") from None
    if not isinstance(data, dict):
        raise Invalid("The request body must be a JSON object.")
    return data


def require(body: Mapping[str, Any], names: Iterable[str]) -> None:
    """Each of ``names`` is in the body, and not null: "X is required."."""
    missing = [n for n in names if n not in body or body[n] is None]
    if missing:
        raise Invalid(
            " ".join(f"{n} is required." for n in missing),
            {n: f"{n} is required." for n in missing},
        )


def only(body: Mapping[str, Any], allowed: Iterable[str], method: str = "POST") -> None:
    """No key but ``allowed``: "X cannot be set with this method." (PUT: "updated")."""
    ok = set(allowed)
    bad = [k for k in body if k not in ok]
    if bad:
        action = ACTION.get(method, "set")
        raise Invalid(
            " ".join(f"{k} cannot be {action} with this method." for k in bad),
            {k: f"{k} cannot be {action} with this method." for k in bad},
        )


def exclusive(body: Mapping[str, Any], pairs: Iterable[tuple[str, str]]) -> None:
    """ "Only one of the two passed in at once": both given is a 400 naming both."""
    for a, b in pairs:
        if a in body and b in body:
            message = f"Only one of {a} or {b} may be specified."
            raise Invalid(message, {a: message, b: message})


def check_keys(
    body: Mapping[str, Any],
    codec: Codec,
    method: str,
    *,
    required_first: bool = False,
    exclusive_pairs: Iterable[tuple[str, str]] = (),
    without: Iterable[str] = (),
) -> None:
    """The keys of a ``method`` body against the codec's flags, in Open Dental's
    order: the keys it does not take, then pairs given together, then the keys
    it lacks (``required_first``: the lacking keys first). ``without`` names
    keys the request gives elsewhere (the path), so the body may not."""
    skip = set(without)
    required = [k for k in codec.required(method) if k not in skip]
    if required_first:
        require(body, required)
    only(body, [k for k in codec.accepted(method) if k not in skip], method)
    exclusive(body, exclusive_pairs)
    if not required_first:
        require(body, required)
