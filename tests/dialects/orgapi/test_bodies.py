"""Org API request bodies (dialects/orgapi/bodies.py): JSON objects only, and
each way a body is not one answered as its FastAPI service answers it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from dialects.base import Call
from dialects.codec import CodecContext
from dialects.orgapi.bodies import json_body
from dialects.orgapi.dialect import ValidationFailed
from gateway.backends.store import Store
from tests.dialects.orgapi.support import patient_count


def _call(body: bytes) -> Call:
    return Call("POST", "/x", {}, [], {}, body, None, CodecContext(), "", "")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"", "missing"),
        (b"{not json", "json_invalid"),
        (b"[1, 2]", "dict_type"),
        (b'"x"', "dict_type"),
    ],
)
async def test_create_malformed_body_is_422(
    org: httpx.AsyncClient, store: Store, content: bytes, kind: str
) -> None:
    before = await patient_count(store)
    r = await org.post("patients", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == kind
    assert await patient_count(store) == before


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"  ", {"loc": ["body"], "msg": "Field required", "type": "missing"}),
        (
            b"[1]",
            {"loc": ["body"], "msg": "Input should be a valid dictionary", "type": "dict_type"},
        ),
        (
            b"null",
            {"loc": ["body"], "msg": "Input should be a valid dictionary", "type": "dict_type"},
        ),
    ],
)
def test_not_an_object_is_pydantics_422(content: bytes, error: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        json_body(_call(content))
    assert caught.value.errors == [error]


def test_malformed_json_names_the_parser_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        json_body(_call(b'{"a": '))
    (error,) = caught.value.errors
    assert (error["loc"], error["type"]) == (["body", 0], "json_invalid")
    assert error["msg"].startswith("JSON decode error: ")


def test_an_object_is_the_body() -> None:
    assert json_body(_call(b'{"a": [1, {"b": null}]}')) == {"a": [1, {"b": None}]}
