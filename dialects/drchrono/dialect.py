"""The DrChrono v4 dialect: OAuth bearer auth with scopes, DRF error shapes,
the hourly per-application rate limit.

Implements ../shared/seeds/004 (DrChrono v4: "Requests", "Responses",
"Permissions", "Rate Limits", "OAuth"); the OpenAPI document
reference/drchrono/drchrono-rest-api-openapi.yml lists the same statuses
(400, 401, 403, 404, 405) without bodies, so bodies are DrChrono's (Django
REST framework's): ``{"detail": "..."}``, and on a 400 every bad key with a
list of messages, ``{"field": ["message"]}``.

Scopes. The seed lists "Required scopes: calendar, clinical" per endpoint;
every listed scope is required (a client reads the list as what it must ask
for). A token's scope ``patients`` covers reading and writing;
``patients:read`` covers GET only and ``patients:write`` the writes, as
DrChrono's own scope names do. Missing scope -> 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
from dialects.drchrono.bodies import UnsupportedMediaType
from dialects.drchrono.errors import ListInvalid, field_errors

__all__ = ["ACCESS_TOKEN", "SCOPES", "DrChronoBase", "has_scope"]

SCOPES: tuple[str, ...] = (
    "billing",
    "billing:patient-payment",
    "calendar",
    "clinical",
    "labs",
    "messages",
    "patients",
    "patients:summary",
    "settings",
    "tasks",
    "user",
)
"""Every scope the seed names; each also has ``:read`` and ``:write`` forms."""

ACCESS_TOKEN = "access_token"
"""Credential kind of a bearer token (codes, refresh tokens and client
registrations are credentials of this dialect too, never accepted as bearers)."""

_STATUS: list[tuple[type[CanonicalError], int]] = [
    (UnsupportedMediaType, 415),
    (TooLarge, 413),
    (Invalid, 400),
    (NotFound, 404),
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

READS = frozenset({"GET", "HEAD", "OPTIONS"})


def has_scope(granted: frozenset[str], needed: str, method: str) -> bool:
    """Whether ``granted`` covers every scope in ``needed`` (space-separated) for ``method``."""
    mode = "read" if method in READS else "write"
    return all(s in granted or f"{s}:{mode}" in granted for s in needed.split())


def known_scope(scope: str) -> bool:
    base, _, mode = scope.rpartition(":")
    if base and mode in ("read", "write") and base in SCOPES:
        return True
    return scope in SCOPES


class DrChronoBase(Dialect):
    name = "drchrono"
    prefix = "/drchrono"
    document = "seed 004 (DrChrono v4); reference/drchrono/drchrono-rest-api-openapi.yml"
    scopes = SCOPES
    rate_limit = 500
    """DrChrono's default: 500 calls per OAuth application per clock hour."""

    def credentials(
        self, headers: Mapping[str, str], path_params: Mapping[str, str]
    ) -> AuthRequest:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Authentication credentials were not provided.")
        return AuthRequest(token.strip(), kind=ACCESS_TOKEN)

    def authorize(self, call: Call, credential: Any, endpoint: Endpoint) -> None:
        if credential.kind != ACCESS_TOKEN:
            raise Unauthorized("Invalid token.")
        if endpoint.scope and not has_scope(credential.scopes, endpoint.scope, call.method):
            raise Forbidden(
                f"You do not have permission to perform this action: the token lacks "
                f"the scope {endpoint.scope!r}."
            )
        if call.services is not None:
            # The limit is per application; a token issued outside OAuth counts for its tenant.
            app = str(credential.meta.get("client_id") or f"tenant:{credential.tenant.id}")
            wait = call.services.hit(app)
            if wait is not None:
                raise RateLimited(
                    f"Request was throttled. Expected available in {wait} seconds.", wait
                )

    def render_error(self, error: CanonicalError) -> Reply:
        status = status_for(error, _STATUS, 500)
        headers: dict[str, str] = {}
        body: Any
        if isinstance(error, ListInvalid):
            body = error.items
        elif isinstance(error, Invalid) and status == 400:
            body = field_errors(error)
        else:
            body = {"detail": error.message}
        if error.retry_after is not None:
            headers["Retry-After"] = str(error.retry_after)
        if isinstance(error, Unauthorized):
            headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return Reply(status, body, headers)

    def not_found_route(self, method: str, path: str) -> Reply:
        return self.render_error(
            NotFound(f"Not found: {path} is not an endpoint of the DrChrono v4 API.")
        )
