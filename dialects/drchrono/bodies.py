"""DrChrono request bodies (seed 004, "Requests"): ``application/json`` (an
object, or a list of objects on POST), ``application/x-www-form-urlencoded``
and ``multipart/form-data``; form values are bare strings that the
converters accept."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

import orjson

from canonical import Invalid
from dialects.base import Call

__all__ = ["UnsupportedMediaType", "body_object", "parse_body"]


class UnsupportedMediaType(Invalid):
    """415: a body in a content type DrChrono does not accept."""


def parse_body(call: Call) -> dict[str, Any] | list[Any]:
    """The request body as JSON, form-encoded or multipart data."""
    ctype = call.headers.get("content-type", "")
    kind = ctype.split(";")[0].strip().lower()
    if not call.body.strip():
        return {}
    if kind in ("application/json", "") or kind.endswith("+json"):
        try:
            data = orjson.loads(call.body)
        except orjson.JSONDecodeError as exc:
            raise Invalid(f"JSON parse error - {exc.args[0]}") from None
        if not isinstance(data, dict | list):
            raise Invalid("Expected an object or a list of objects.")
        return data
    if kind == "application/x-www-form-urlencoded":
        try:
            text = call.body.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("The form body is not UTF-8.") from None
        return _collect(parse_qsl(text, keep_blank_values=True))
    if kind in ("multipart/form-data", "form/multipart"):
        return _multipart(ctype, call.body)
    raise UnsupportedMediaType(f'Unsupported media type "{kind}" in request.')


def body_object(call: Call) -> dict[str, Any]:
    data = parse_body(call)
    if not isinstance(data, dict):
        raise Invalid("Expected an object.", {"non_field_errors": "Expected an object."})
    return data


def _collect(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Form pairs to a dict; a repeated key becomes a list (array values)."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            prev = out[k]
            out[k] = [*prev, v] if isinstance(prev, list) else [prev, v]
        else:
            out[k] = v
    return out


def _multipart(ctype: str, body: bytes) -> dict[str, Any]:
    from python_multipart import parse_form

    pairs: list[tuple[str, Any]] = []

    def on_field(f: Any) -> None:
        name = f.field_name.decode() if isinstance(f.field_name, bytes) else f.field_name
        pairs.append((name, (f.value or b"").decode("utf-8", "replace")))

    def on_file(f: Any) -> None:
        name = f.field_name.decode() if isinstance(f.field_name, bytes) else f.field_name
        f.file_object.seek(0)
        pairs.append((name, f.file_object.read()))

    headers = {"Content-Type": ctype.encode(), "Content-Length": str(len(body)).encode()}
    try:
        parse_form(headers, io.BytesIO(body), on_field, on_file)
    except Exception as exc:  # the parser's own errors: the client's malformed body
        raise Invalid(f"Multipart form parse error - {exc}") from None
    return _collect(pairs)
