"""How the org API client reads a server's refusals (seed 003's FastAPI-style errors).

- **422** ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`` becomes
  :class:`~canonical.Invalid` with one message per field, keyed by the wire
  field as the server located it: a body location is the key path after
  ``body`` (``last_name``, ``fields.0.value``); another location keeps its
  prefix (``query.page``, ``header.Idempotency-Key``), as this project's
  server reads such names back (:func:`dialects.orgapi.dialect.error_detail`).
  An entry located at the body as a whole names no field; its message is in
  the error's message only. The same key twice keeps the first message.
- **404** becomes :class:`~canonical.NotFound`, **409**
  :class:`~canonical.Conflict` (with ``current_version`` when the body gives
  one: a ``current_version`` key at the top or inside ``detail``, else the
  ``(version N, ...)`` this project's server words its version conflicts
  with), each with the server's ``detail``.
- **401/403** are this gateway's own credentials refused, not its client's:
  :class:`~canonical.BadUpstream` (502) naming the ``upstream_auth`` setting.
- **405** becomes :class:`~canonical.Unsupported`, **413**
  :class:`~canonical.TooLarge`; any other 4xx :class:`~canonical.BadUpstream`.

Messages are the server's own words (a 422's ``msg``, a ``detail`` string),
cut at 500 characters; the client adds nothing from the request it sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

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

__all__ = ["refusal"]

MAX_MESSAGE = 500
_VERSION = re.compile(r"\(version (\d+)\b")


def refusal(response: httpx.Response, upstream: str) -> CanonicalError:
    """The canonical error for a 4xx answer of an org API server."""
    status = response.status_code
    body = _json(response)
    detail = body.get("detail") if isinstance(body, Mapping) else None
    message = _text(detail)
    if status == 422:
        return _invalid(detail, upstream)
    if status in (404, 410):
        return NotFound(message or "Not found.")
    if status == 409:
        return Conflict(message or "Conflict.", current_version=_current_version(body, message))
    if status in (401, 403):
        return BadUpstream(
            f"{upstream} refused this gateway's credentials ({status}): "
            "check the upstream_auth setting."
        )
    if status == 405:
        return Unsupported(message or f"{upstream} does not allow this method.")
    if status == 413:
        return TooLarge(message or f"{upstream} refused the request as too large.")
    return BadUpstream(f"{upstream} answered {status}.")


def _json(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None


def _text(detail: Any) -> str:
    if isinstance(detail, str):
        return detail[:MAX_MESSAGE]
    if isinstance(detail, Mapping) and isinstance(detail.get("message"), str):
        return str(detail["message"])[:MAX_MESSAGE]
    return ""


def _field(loc: Any) -> str | None:
    """The wire field a 422 entry's ``loc`` names (``None``: the body as a whole)."""
    if not isinstance(loc, list) or not loc:
        return None
    parts = [str(p) for p in loc]
    if parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or None


def _invalid(detail: Any, upstream: str) -> Invalid:
    if isinstance(detail, str):
        return Invalid(detail[:MAX_MESSAGE])
    if not isinstance(detail, list):
        return Invalid(f"{upstream} refused the request as invalid (422).")
    fields: dict[str, str] = {}
    messages: list[str] = []
    for entry in detail:
        if not isinstance(entry, Mapping):
            continue
        msg = str(entry.get("msg", ""))[:MAX_MESSAGE] or "Invalid value."
        name = _field(entry.get("loc"))
        messages.append(f"{name}: {msg}" if name else msg)
        if name is not None:
            fields.setdefault(name, msg)
    text = " ".join(messages)[:MAX_MESSAGE]
    return Invalid(text or f"{upstream} refused the request as invalid (422).", fields)


def _current_version(body: Any, message: str) -> int | None:
    for holder in (body, body.get("detail") if isinstance(body, Mapping) else None):
        if isinstance(holder, Mapping):
            value = holder.get("current_version")
            if isinstance(value, int) and not isinstance(value, bool):
                return value
    found = _VERSION.search(message)
    return int(found.group(1)) if found else None
