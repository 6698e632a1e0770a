"""DrChrono OAuth2 (seed 004, "OAuth"): ``/o/authorize``, ``/o/token/``,
``/o/revoke_token/``.

Credentials live in the gateway's credential store through
:class:`dialects.auth.AuthService`; only digests are stored. Kinds:

- ``oauth_client``: an application, keyed by its ``client_id``; ``meta``
  holds the digest of its ``client_secret`` and its redirect URIs, its scopes
  are the most it may be granted.
- ``authorization_code``: single use, expires after 1 minute (seed).
- ``access_token``: expires after 172800 s (``expires_in``, always 48 hours).
- ``refresh_token``: no expiry; rotated on use: a refresh returns a new
  access and refresh token and revokes the refresh token used and the access
  token issued with it (django-oauth-toolkit's rotation, which DrChrono runs).
- ``code_lineage``: what was issued from one authorization code, so a replay
  of the code can revoke it (RFC 6749 4.1.2). Entry ``n`` of a code (secret
  ``lineage:<code digest>:<n>``, stored as its digest like every credential)
  holds the digests of the ``n``-th access and refresh token issued from it:
  0 at redemption, one more at each rotation. A refresh token is used once,
  so the entries of a code are a chain without gaps and a replay walks them
  from 0. The tokens carry ``code_sha256`` and ``lineage`` (their entry) in
  ``meta``. Neither kind is ever accepted as a bearer or at the token endpoint.
- ``code_replayed``: the mark a replay leaves (secret ``replayed:<code
  digest>``). Every issuance of a lineage writes its entry and tokens first
  and looks for the mark after, so a redemption or rotation racing a replay
  is revoked by one of the two: the replay's walk, or its own look.

Consent without a UI: the gateway has no login page. Registering an
application with a tenant is the practice's consent, so ``GET /o/authorize``
with a registered ``client_id`` and ``redirect_uri`` redirects (302) at once
to ``redirect_uri?code=...&state=...``. ``scope`` (space-separated) narrows the
grant to a subset of the application's scopes; absent, every scope of the
application is granted. Errors after the redirect URI is known are reported
on the redirect (``error=invalid_scope``), before it as a 400 (RFC 6749 4.1.2.1).

The token endpoints answer RFC 6749 errors ``{"error", "error_description"}``
(what django-oauth-toolkit sends). ``redirect_uri`` is required and must match
the code's for ``authorization_code``; on ``refresh_token`` it is checked
against the registration when given (clients often omit it there).
"""

from __future__ import annotations

import base64
import hmac
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from canonical import CanonicalError, Invalid, Tenant, TooLarge, Unsupported
from dialects.auth import AuthService, Grant
from dialects.base import Call, Endpoint, Reply, status_for
from dialects.drchrono.bodies import parse_body
from dialects.drchrono.dialect import ACCESS_TOKEN, known_scope
from dialects.drchrono.params import Params

__all__ = ["CLIENT", "CODE", "ENDPOINTS", "EXPIRES_IN", "REFRESH_TOKEN"]

EXPIRES_IN = 172800
"""Seconds an access token lives: "always 172800 (48 hours)"."""
CODE_SECONDS = 60
""""the code parameter expires after 1 minute"."""

CLIENT = "oauth_client"
CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"
LINEAGE = "code_lineage"
REPLAYED = "code_replayed"

Lineage = tuple[str, int]
"""(the digest of the authorization code, the entry number) of one issuance."""

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def reply(self) -> Reply:
        headers = dict(NO_STORE)
        if self.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="oauth"'
        return Reply(
            self.status, {"error": self.error, "error_description": self.description}, headers
        )


# Statuses of what the gateway refuses before a token handler runs.
_PRE_HANDLER: list[tuple[type[CanonicalError], int]] = [
    (TooLarge, 413),
    (Unsupported, 405),
    (Invalid, 400),
]


def rfc6749_error(error: CanonicalError) -> Reply:
    """Those refusals in RFC 6749's shape, which token clients parse."""
    status = status_for(error, _PRE_HANDLER, 500)
    code = "server_error" if status >= 500 else "invalid_request"
    return OAuthError(code, error.message, status).reply()


def _services(call: Call) -> AuthService:
    assert call.services is not None, "the gateway provides the auth service"
    return call.services


def _usable(grant: Grant | None, kind: str, now: Any) -> Grant | None:
    if grant is None or grant.kind != kind or grant.revoked_at is not None:
        return None
    if grant.expires_at is not None and grant.expires_at <= now:
        return None
    return grant


def _client(call: Call, client_id: str) -> Grant | None:
    return _usable(_services(call).find(client_id), CLIENT, call.ctx.now) if client_id else None


def _authenticate_client(call: Call, form: dict[str, Any]) -> tuple[str, Grant]:
    """The client of a token request: ``client_id``/``client_secret`` in the body or Basic."""
    client_id = str(form.get("client_id") or "")
    secret = str(form.get("client_secret") or "")
    scheme, _, value = call.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and not secret:
        try:
            client_id, _, secret = base64.b64decode(value).decode().partition(":")
        except ValueError:
            raise OAuthError("invalid_client", "Malformed Basic credentials.", 401) from None
    client = _client(call, client_id)
    expected = str(client.meta.get("secret_sha256", "")) if client else ""
    given = _services(call).digest(secret)
    if client is None or not secret or not hmac.compare_digest(expected, given):
        raise OAuthError("invalid_client", "Client authentication failed.", 401)
    return client_id, client


FORM_BYTES = 64 * 1024
"""Largest token or revocation request read. The RFC's parameters are a few
short strings; a body past this is malformed, refused before it is parsed."""


def _form(call: Call) -> dict[str, str]:
    """The request's parameters (RFC 6749 section 3.2: form-encoded, UTF-8,
    none repeated); anything else is ``invalid_request``, never the API's
    ``{"non_field_errors"}`` shape."""
    kind = call.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise OAuthError(
            "invalid_request",
            "The OAuth endpoints accept application/x-www-form-urlencoded parameters only.",
        )
    if len(call.body) > FORM_BYTES:
        raise OAuthError("invalid_request", f"The request body exceeds {FORM_BYTES} bytes.")
    try:
        data = parse_body(call)
    except Invalid as exc:
        raise OAuthError("invalid_request", exc.message) from None
    assert isinstance(data, dict)
    repeated = sorted(k for k, v in data.items() if isinstance(v, list))
    if repeated:
        raise OAuthError(
            "invalid_request", "Parameters must not be repeated: " + ", ".join(repeated) + "."
        )
    return {str(k): str(v) for k, v in data.items()}


# -- /o/authorize -----------------------------------------------------------


async def authorize(call: Call) -> Reply:
    params = Params(call.query)
    client_id = params.text("client_id") or ""
    redirect_uri = params.text("redirect_uri") or ""
    client = _client(call, client_id)
    if client is None:
        return OAuthError("invalid_client", "Unknown client_id.").reply()
    if redirect_uri not in client.meta.get("redirect_uris", []):
        return OAuthError(
            "invalid_request", "redirect_uri is not registered for this application."
        ).reply()
    state = params.text("state")
    response_type = params.text("response_type") or "code"
    requested = (params.text("scope") or "").replace(",", " ").split()
    scopes = requested or sorted(client.scopes)
    extra: dict[str, str]
    if response_type != "code":
        extra = {"error": "unsupported_response_type"}
    elif not all(known_scope(s) and _within(s, client.scopes) for s in scopes):
        extra = {"error": "invalid_scope"}
    else:
        code = secrets.token_urlsafe(30)
        await _services(call).issue(
            client.tenant,
            code,
            kind=CODE,
            scopes=scopes,
            expires_at=call.ctx.now + timedelta(seconds=CODE_SECONDS),
            meta={"client_id": client_id, "redirect_uri": redirect_uri},
        )
        extra = {"code": code}
    if state is not None:
        extra["state"] = state
    sep = "&" if "?" in redirect_uri else "?"
    return Reply(302, None, {"Location": f"{redirect_uri}{sep}{urlencode(extra)}", **NO_STORE})


def _within(scope: str, allowed: frozenset[str]) -> bool:
    """A requested scope the application may hold (``x:read`` is within ``x``)."""
    base = scope.rsplit(":", 1)[0] if scope.endswith((":read", ":write")) else scope
    return scope in allowed or base in allowed


# -- /o/token/ -----------------------------------------------------------------


async def token(call: Call) -> Reply:
    try:
        form = _form(call)
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError("invalid_request", "grant_type is required.")
        if grant_type not in ("authorization_code", "refresh_token"):
            raise OAuthError(
                "unsupported_grant_type",
                'grant_type must be "authorization_code" or "refresh_token".',
            )
        client_id, client = _authenticate_client(call, form)
        if grant_type == "authorization_code":
            tenant, scopes, lineage = await _redeem_code(call, client_id, form)
        else:
            tenant, scopes, lineage = await _rotate_refresh(call, client_id, client, form)
        pair = await _issue_pair(call, tenant, client_id, scopes, lineage)
        return Reply(200, pair, dict(NO_STORE))
    except OAuthError as exc:
        return exc.reply()


USED = "The code is invalid, expired or already used."


async def _redeem_code(
    call: Call, client_id: str, form: dict[str, str]
) -> tuple[Tenant, frozenset[str], Lineage | None]:
    code = form.get("code") or ""
    if not code:
        raise OAuthError("invalid_request", 'code is required for grant_type "authorization_code".')
    svc = _services(call)
    digest = svc.digest(code)
    grant = svc.find(code)
    if grant is not None and grant.kind == CODE and grant.revoked_at is not None:
        # A code is revoked only when it is redeemed: this is a second use, by
        # whichever authenticated client, with whatever other parameters.
        await _revoke_lineage(call, grant.tenant, digest)
        raise OAuthError("invalid_grant", USED)
    if not form.get("redirect_uri"):
        raise OAuthError("invalid_request", "redirect_uri is required.")
    grant = _usable(grant, CODE, call.ctx.now)
    if (
        grant is None
        or grant.meta.get("client_id") != client_id
        or grant.meta.get("redirect_uri") != form["redirect_uri"]
    ):
        raise OAuthError("invalid_grant", USED)
    if not await svc.revoke(digest):  # single use: another request redeemed it meanwhile
        await _revoke_lineage(call, grant.tenant, digest)
        raise OAuthError("invalid_grant", USED)
    return grant.tenant, grant.scopes, (digest, 0)


async def _rotate_refresh(
    call: Call, client_id: str, client: Grant, form: dict[str, str]
) -> tuple[Tenant, frozenset[str], Lineage | None]:
    refresh = form.get("refresh_token") or ""
    if not refresh:
        raise OAuthError(
            "invalid_request", 'refresh_token is required for grant_type "refresh_token".'
        )
    uri = form.get("redirect_uri")
    if uri and uri not in client.meta.get("redirect_uris", []):
        raise OAuthError("invalid_request", "redirect_uri is not registered for this application.")
    svc = _services(call)
    grant = _usable(svc.find(refresh), REFRESH_TOKEN, call.ctx.now)
    if grant is None or grant.meta.get("client_id") != client_id:
        raise OAuthError("invalid_grant", "The refresh token is invalid or already used.")
    # Used once: of two refreshes racing, only the one that revokes it goes on
    # (so each lineage entry has one successor).
    if not await svc.revoke(svc.digest(refresh)):
        raise OAuthError("invalid_grant", "The refresh token is invalid or already used.")
    access = grant.meta.get("access_sha256")
    if access:
        await svc.revoke(str(access))
    code = grant.meta.get("code_sha256")
    step = grant.meta.get("lineage")
    lineage = (code, step + 1) if isinstance(code, str) and isinstance(step, int) else None
    return grant.tenant, grant.scopes, lineage


def _entry(code_sha256: str, n: int) -> str:
    return f"lineage:{code_sha256}:{n}"


def _mark(code_sha256: str) -> str:
    return f"replayed:{code_sha256}"


async def _revoke_lineage(call: Call, tenant: Tenant, code_sha256: str) -> None:
    """Mark the code replayed, then revoke every token issued from it."""
    svc = _services(call)
    mark = _mark(code_sha256)
    if svc.find(mark) is None:
        try:
            await svc.issue(tenant, mark, kind=REPLAYED, scopes=(), expires_at=None, meta={})
        except Exception:  # a concurrent replay wrote the same mark first: it is there
            if svc.find(mark) is None:
                raise
    n = 0
    while (entry := svc.find(_entry(code_sha256, n))) is not None and entry.kind == LINEAGE:
        for key in ("access_sha256", "refresh_sha256"):
            digest = entry.meta.get(key)
            if isinstance(digest, str):
                await svc.revoke(digest)
        n += 1


async def _issue_pair(
    call: Call,
    tenant: Tenant,
    client_id: str,
    scopes: frozenset[str],
    lineage: Lineage | None,
) -> dict[str, Any]:
    svc = _services(call)
    access, refresh = secrets.token_urlsafe(30), secrets.token_urlsafe(30)
    meta: dict[str, Any] = {"client_id": client_id}
    if lineage is not None:
        code_sha256, n = lineage
        meta |= {"code_sha256": code_sha256, "lineage": n}
        # The entry first: a replay that walks the lineage from now on finds it.
        await svc.issue(
            tenant,
            _entry(code_sha256, n),
            kind=LINEAGE,
            scopes=(),
            expires_at=None,
            meta={"access_sha256": svc.digest(access), "refresh_sha256": svc.digest(refresh)},
        )
    await svc.issue(
        tenant,
        access,
        kind=ACCESS_TOKEN,
        scopes=scopes,
        expires_at=call.ctx.now + timedelta(seconds=EXPIRES_IN),
        meta=meta,
    )
    await svc.issue(
        tenant,
        refresh,
        kind=REFRESH_TOKEN,
        scopes=scopes,
        expires_at=None,
        meta={**meta, "access_sha256": svc.digest(access)},
    )
    if lineage is not None and svc.find(_mark(lineage[0])) is not None:
        # A replay came while these were written and may have walked past them.
        await _revoke_lineage(call, tenant, lineage[0])
        raise OAuthError("invalid_grant", USED)
    return {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": EXPIRES_IN,
        "refresh_token": refresh,
        "scope": " ".join(sorted(scopes)),
    }


# -- /o/revoke_token/ ------------------------------------------------------------


async def revoke_token(call: Call) -> Reply:
    """Revoke an access (or refresh) token of this client; 200 even when the
    token is unknown, as RFC 7009 requires (nothing is revealed)."""
    try:
        form = _form(call)
        value = form.get("token") or ""
        if not value:
            raise OAuthError("invalid_request", "token is required.")
        client_id, _ = _authenticate_client(call, form)
        svc = _services(call)
        grant = svc.find(value)
        if (
            grant is not None
            and grant.kind in (ACCESS_TOKEN, REFRESH_TOKEN)
            and grant.meta.get("client_id") == client_id
        ):
            await svc.revoke(svc.digest(value))
        return Reply(200, None, dict(NO_STORE))
    except OAuthError as exc:
        return exc.reply()


ENDPOINTS = [
    Endpoint("GET", "/o/authorize", authorize, public=True),
    Endpoint("GET", "/o/authorize/", authorize, public=True),
    Endpoint("POST", "/o/token/", token, public=True, render_error=rfc6749_error),
    Endpoint("POST", "/o/revoke_token/", revoke_token, public=True, render_error=rfc6749_error),
]
