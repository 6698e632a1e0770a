"""Org API request bodies (seed 003): JSON objects only.

An empty body, malformed JSON or JSON that is not an object is a 422 as the
documented FastAPI service answers it: ``Field required`` and ``Input should
be a valid dictionary`` at ``["body"]`` (pydantic's words), ``json_invalid`` at
``["body", 0]`` with the parser's message.
"""

from __future__ import annotations

from typing import Any

import orjson
import pydantic

from dialects.base import Call
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.inputs import check

__all__ = ["json_body"]


class _Request(pydantic.BaseModel):
    body: dict[str, Any]


def json_body(call: Call) -> dict[str, Any]:
    """The request's JSON object, or the 422 naming what is wrong with it."""
    if not call.body.strip():
        check(_Request, {}, ())
    try:
        data = orjson.loads(call.body)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed.one(
            ["body", 0], f"JSON decode error: {exc.args[0]}", "json_invalid"
        ) from None
    check(_Request, {"body": data}, ())
    body: dict[str, Any] = data
    return body
