"""A DrChrono server's refusals (4xx) as canonical errors, on the client side.

DrChrono answers Django REST framework's bodies: ``{"detail": "..."}``, and on
a 400 every bad key with a list of messages (``{"key": ["message"]}``, nested
objects and lists of them for nested serializers, ``non_field_errors`` for the
whole body). Messages are the upstream's own words; a status with no body
gets one that names only the status.

A 400's keys are named as the canonical fields they map to in the resource's
codec (``doctor`` -> ``provider``), so whoever renders the error in another
dialect can name them its own way; a key the codec does not know stays as
DrChrono spelled it. A 401 or 403 is the gateway's own credentials: the
caller did nothing wrong, so :class:`~canonical.BadUpstream` (502) naming the
``upstream_auth`` setting, and for a 403 the scope the resource needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from canonical import (
    BadUpstream,
    CanonicalError,
    Conflict,
    Invalid,
    NotFound,
    TooLarge,
    Unsupported,
)

if TYPE_CHECKING:
    from dialects.drchrono.client import DrChronoClient

__all__ = ["field_messages", "refusal"]

WHOLE = "non_field_errors"
MAX_MESSAGE = 500
"""Characters of an upstream's message kept (a refusal is not a document)."""


def refusal(client: DrChronoClient, response: httpx.Response) -> CanonicalError:
    status = response.status_code
    body = _body(response)
    detail = _detail(body)
    make = _BY_STATUS.get(status)
    if make is not None:
        return make(detail or _DEFAULT.get(status, f"Refused ({status})."))
    if status == 400:
        return _invalid(client, response, body)
    if status == 401:
        return BadUpstream(
            f"{client.upstream} refused this gateway's access token (401)"
            + (" after a refresh" if client.auth.can_refresh else "")
            + ": check the upstream_auth setting."
        )
    if status == 403:
        res = client.remote_at(response.request.url)
        scope = res.declaration.scope if res is not None else None
        what = f"the scope {scope!r}" if scope else "the permission this request needs"
        return BadUpstream(
            f"{client.upstream} refused this gateway's token {what} (403): authorize the "
            "application with it and set the upstream_auth setting."
        )
    return BadUpstream(f"{client.upstream} answered {status}.")


_BY_STATUS: dict[int, Callable[[str], CanonicalError]] = {
    404: NotFound,
    409: Conflict,
    405: Unsupported,
    413: TooLarge,
}
_DEFAULT = {
    404: "Not found.",
    409: "The change conflicts with another record.",
    405: "Method not allowed.",
    413: "The request is too large.",
}


def _invalid(client: DrChronoClient, response: httpx.Response, body: Any) -> Invalid:
    res = client.remote_at(response.request.url)
    codec = res.codec if res is not None else None
    fields: dict[str, str] = {}
    for key, message in field_messages(body):
        row = codec.by_wire.get(key) if codec is not None else None
        name = row.canonical if row is not None and row.canonical else key
        fields[name] = f"{fields[name]} {message}" if name in fields else message
    whole = fields.pop(WHOLE, None)
    if not fields:
        return Invalid(whole or _detail(body) or f"{client.upstream} refused the request (400).")
    text = " ".join(f"{k}: {v}" for k, v in fields.items())
    return Invalid(f"{whole} {text}" if whole else text, fields)


def field_messages(body: Any, prefix: str = "") -> list[tuple[str, str]]:
    """(key, message) for every message of a DRF 400 body; a nested key is dotted
    after its parent (``primary_insurance.insurance_company``), an item of a list
    by its index."""
    out: list[tuple[str, str]] = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key == "detail" and not prefix:
                out.append((WHOLE, _text(value)))
                continue
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, str):
                out.append((name, _clip(value)))
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                out.append((name, _clip(" ".join(value))))
            else:
                out.extend(field_messages(value, name))
    elif isinstance(body, list):
        for i, value in enumerate(body):
            if isinstance(value, str):
                out.append((prefix or WHOLE, _clip(value)))
            elif value:
                out.extend(field_messages(value, f"{prefix}.{i}" if prefix else str(i)))
    elif body is not None:
        out.append((prefix or WHOLE, _text(body)))
    return out


def _body(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        text = response.text.strip()
        return {"detail": text} if text and not text.startswith("<") else None


def _detail(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return _clip(body["detail"])
    return ""


def _text(value: Any) -> str:
    return _clip(value if isinstance(value, str) else str(value))


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"
