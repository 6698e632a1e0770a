"""Idempotent creates (seed 003: ``Idempotency-Key`` on creates, 409 on reuse).

Without the header the create simply runs. With it, a retry carrying the same
key and the same request (method, path, JSON body) gets the first response
again (status and body, plus ``Idempotent-Replayed: true``) and creates
nothing; the same key with a different request is a 409. Only a successful
create records its key, in the same transaction as the record. A key is 1 to
255 characters (blank is too short).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import orjson
import pydantic

from dialects.base import Call, Reply
from dialects.orgapi.inputs import failed

__all__ = ["MAX_IDEMPOTENCY_KEY", "idempotent"]

MAX_IDEMPOTENCY_KEY = 255

_KEY = pydantic.TypeAdapter(
    Annotated[str, pydantic.StringConstraints(min_length=1, max_length=MAX_IDEMPOTENCY_KEY)]
)


def _fingerprint(call: Call) -> str:
    try:  # key order and spacing do not make a request different
        body = orjson.dumps(orjson.loads(call.body), option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):  # not JSON, or nested too deep
        body = call.body
    digest = hashlib.sha256()
    for part in (call.method.encode(), call.path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _check_key(key: str) -> None:
    try:
        _KEY.validate_python(key.strip() if len(key) <= MAX_IDEMPOTENCY_KEY else key)
    except pydantic.ValidationError as exc:
        raise failed(exc, ("header", "Idempotency-Key")) from None


async def idempotent(call: Call, create: Callable[[], Awaitable[Reply]]) -> Reply:
    """Run a create at most once per ``Idempotency-Key``."""
    key = call.headers.get("idempotency-key")
    if key is None:
        return await create()
    _check_key(key)

    async def run() -> dict[str, Any]:
        reply = await create()
        return {"status": reply.status, "body": reply.body, "headers": reply.headers}

    stored, replayed = await call.backend.remember(f"orgapi:{key}", _fingerprint(call), run)
    headers = dict(stored.get("headers") or {})
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Reply(stored["status"], stored["body"], headers)
