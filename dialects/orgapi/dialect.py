"""The UUID org API dialect: bearer auth scoped to ``{org_id}``, FastAPI-style errors.

Implements ../shared/seeds/003 (the org API, 74 endpoints), mounted at
``/orgapi`` so its paths read ``/orgapi/api/v1/{org_id}/...``.

Errors (``{"detail": ...}``), as the document shows them:

- 422 validation: ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``. A
  canonical :class:`~canonical.Invalid` names fields as the client spelled
  them; a field name may carry its location (``query.page``, ``path.x``,
  ``header.Idempotency-Key``, ``body.rows.3.last_name``), else it is in the body.
- 404 and 409: ``{"detail": "<message>"}``.
- 401 for a missing or unknown token (with ``WWW-Authenticate: Bearer``); 403
  for a credential that lacks a right; 405, 413 and 429 as usual.

Tenancy: the token belongs to one tenant. A path whose ``{org_id}`` is not that
tenant's org (or not a UUID at all) answers 404 "Organization not found.",
exactly as an org that does not exist, so a token never learns which other
orgs exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from canonical import (
    BadUpstream,
    CanonicalError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthorized,
    Unavailable,
    Unsupported,
    UpstreamTimeout,
)
from dialects.base import AuthRequest, Call, Dialect, Endpoint, Reply, status_for

__all__ = ["OrgApiBase", "ValidationFailed", "error_detail"]

SCHEME = "bearer"
LOCATIONS = ("body", "query", "path", "header")

_STATUS: list[tuple[type[CanonicalError], int]] = [
    (NotFound, 404),
    (TooLarge, 413),
    (Invalid, 422),
    (Conflict, 409),
    (Unsupported, 405),
    (Unauthorized, 401),
    (Forbidden, 403),
    (RateLimited, 429),
    # The server the gateway fronts failed (upstream mode): a gateway's statuses.
    (BadUpstream, 502),
    (Unavailable, 503),
    (UpstreamTimeout, 504),
]


class ValidationFailed(Invalid):
    """An :class:`Invalid` carrying ready-made FastAPI-style entries (with ``type``)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(
            " ".join(str(e["msg"]) for e in errors),
            {".".join(str(p) for p in e["loc"]): str(e["msg"]) for e in errors},
        )
        self.errors = errors

    @classmethod
    def one(cls, loc: list[Any], msg: str, type_: str = "value_error") -> ValidationFailed:
        return cls([{"loc": loc, "msg": msg, "type": type_}])


def _loc(name: str) -> list[Any]:
    parts: list[Any] = [int(p) if p.isdigit() else p for p in name.split(".")]
    if parts[0] not in LOCATIONS:
        parts.insert(0, "body")
    return parts


def error_detail(error: Invalid) -> list[dict[str, Any]]:
    """The 422 ``detail`` list for a canonical validation error."""
    if isinstance(error, ValidationFailed):
        return error.errors
    if error.fields:
        return [
            {"loc": _loc(name), "msg": msg, "type": "value_error"}
            for name, msg in error.fields.items()
        ]
    return [{"loc": ["body"], "msg": error.message, "type": "value_error"}]


class OrgApiBase(Dialect):
    name = "orgapi"
    prefix = "/orgapi/api/v1"
    document = "seed 003 (UUID org API)"
    query_label = "query.{}"

    def credentials(
        self, headers: Mapping[str, str], path_params: Mapping[str, str]
    ) -> AuthRequest:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != SCHEME or not token.strip():
            raise Unauthorized("Not authenticated")
        return AuthRequest(token.strip(), kind="token")

    def authorize(self, call: Call, credential: Any, endpoint: Endpoint) -> None:
        raw = call.path_params.get("org_id")
        if raw is None:
            return
        try:
            org = UUID(raw)
        except ValueError:
            org = None
        if org is None or org != credential.tenant.org_id:
            raise NotFound("Organization not found.", resource="organization")

    def render_error(self, error: CanonicalError) -> Reply:
        status = status_for(error, _STATUS, 500)
        headers: dict[str, str] = {}
        if isinstance(error, Unauthorized):
            headers["WWW-Authenticate"] = "Bearer"
        if error.retry_after is not None:
            headers["Retry-After"] = str(error.retry_after)
        if status == 422 and isinstance(error, Invalid):
            return Reply(422, {"detail": error_detail(error)}, headers)
        return Reply(status, {"detail": error.message}, headers)

    def not_found_route(self, method: str, path: str) -> Reply:
        return Reply(404, {"detail": "Not Found"})
