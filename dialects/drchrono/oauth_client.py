"""DrChrono OAuth2 on the client side: the bearer token of every request, kept fresh.

:class:`DrChronoAuth` is an ``httpx.Auth`` (installed on the client's
``httpx.AsyncClient``), made from the ``upstream_auth`` setting in one of two
forms:

- an access token (``Bearer`` prefix optional): sent as it is, never
  refreshed; when it is refused the setting must change.
- ``client_id:client_secret:refresh_token``: the application's credentials
  and a refresh token from its authorization-code grant (see
  :func:`exchange_code`). The first request obtains an access token.

Decisions:

- **Before expiry.** An access token is refreshed once less than
  :data:`MARGIN` of its ``expires_in`` is left (a tenth of it when that is
  shorter), measured on this machine's monotonic clock: ``expires_in`` is a
  duration, so no wall clock of either side is compared.
- **Once on a 401.** A 401 to a token that could be refreshed refreshes it
  (unless a concurrent request already did) and sends the request again,
  once. A second 401 goes back to the client, which names the setting: a
  refresh never loops.
- **Rotation.** DrChrono (django-oauth-toolkit) rotates refresh tokens: every
  refresh answers a new one and revokes the one used. Each token answer is
  handed to ``on_tokens`` (plain or async) *before* the request goes on, so the
  caller persists the refresh token it must start from next time; an error
  of the callback is raised (an unsaved token would lock the next process
  out), after the new tokens are already in use here.
- **One refresh at a time.** Concurrent requests wait on one lock; those that
  waited use the token the first obtained.
- **Refused refresh.** ``invalid_grant`` or ``invalid_client`` from
  ``/o/token/`` (revoked, already used, wrong secret) is a
  :class:`~canonical.BadUpstream` naming the ``upstream_auth`` setting: the
  practice must authorize the application again. It is remembered: later
  requests fail the same way at once instead of sending the refused token
  again (a new setting makes a new auth). A 5xx or 429 there is
  :class:`~canonical.Unavailable`; a connection fault or timeout is mapped by
  the transport as for any request. A token request is never retried on
  its own: a refresh that reached the server may have rotated the token, and
  sending the old one again would only be refused.
- **Secrets.** No token, secret or code appears in any message.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from canonical import BadUpstream, Unavailable, UpstreamTimeout
from dialects.transport import retry_after_seconds

__all__ = [
    "AUTHORIZE_PATH",
    "MARGIN",
    "TOKEN_PATH",
    "DrChronoAuth",
    "Tokens",
    "authorize_url",
    "exchange_code",
    "parse_setting",
]

AUTHORIZE_PATH = "o/authorize/"
"""Where the practice grants the application access (its browser goes there)."""
TOKEN_PATH = "o/token/"
"""The token endpoint, relative to the server's root (``https://drchrono.com/``)."""
MARGIN = 300.0
"""Seconds before expiry at which an access token is refreshed."""
UPSTREAM = "The DrChrono server"
SETTING = "upstream_auth"


@dataclass(frozen=True, slots=True)
class Tokens:
    """One answer of the token endpoint."""

    access_token: str
    refresh_token: str | None
    expires_in: float | None
    scope: str = ""


OnTokens = Callable[[Tokens], Awaitable[None] | None]


def parse_setting(value: str) -> tuple[str | None, tuple[str, str, str] | None]:
    """(access token, None) or (None, (client_id, client_secret, refresh_token))."""
    text = value.strip()
    if text.lower().startswith("bearer "):
        text = text[7:].strip()
    parts = text.split(":")
    if len(parts) == 1 and text:
        return text, None
    if len(parts) == 3 and all(p.strip() for p in parts):
        client_id, secret, refresh = (p.strip() for p in parts)
        return None, (client_id, secret, refresh)
    raise ValueError(
        f"The {SETTING} setting of a DrChrono upstream is an access token or "
        "client_id:client_secret:refresh_token."
    )


class DrChronoAuth(httpx.Auth):
    """Bearer tokens of one DrChrono application, refreshed before expiry and on a 401."""

    def __init__(
        self,
        *,
        access_token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        refresh_token: str | None = None,
        expires_in: float | None = None,
        token_url: str | httpx.URL | None = None,
        on_tokens: OnTokens | None = None,
    ) -> None:
        if access_token is None and not (client_id and client_secret and refresh_token):
            raise ValueError("DrChronoAuth needs an access token or a refresh token.")
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.token_url = None if token_url is None else httpx.URL(str(token_url))
        """Absolute; ``None``: :data:`TOKEN_PATH` on the host of the request being sent."""
        self.on_tokens = on_tokens
        self._access = access_token
        self._expires_at = _expiry(expires_in)
        self._lock = asyncio.Lock()
        self._refused: str | None = None
        """Why the server refused the refresh token, once it has: every later request
        fails at once with it, until a new setting makes a new auth."""

    @classmethod
    def from_setting(
        cls,
        value: str,
        *,
        token_url: str | httpx.URL | None = None,
        on_tokens: OnTokens | None = None,
    ) -> DrChronoAuth:
        access, app = parse_setting(value)
        if app is None:
            return cls(access_token=access, token_url=token_url, on_tokens=on_tokens)
        client_id, secret, refresh = app
        return cls(
            client_id=client_id,
            client_secret=secret,
            refresh_token=refresh,
            token_url=token_url,
            on_tokens=on_tokens,
        )

    @property
    def can_refresh(self) -> bool:
        return bool(self.client_id and self.client_secret and self.refresh_token)

    def _stale(self) -> bool:
        if self._access is None:
            return True
        if self._expires_at is None or not self.can_refresh:
            return False
        return time.monotonic() >= self._expires_at

    # -- the flow ------------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise RuntimeError("DrChronoAuth refreshes under an asyncio lock: use httpx.AsyncClient.")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._stale():
            async with self._lock:
                if self._stale():
                    answer = yield self._token_request(request)
                    await self._take(answer)
        used = self._access
        request.headers["Authorization"] = f"Bearer {used}"
        response = yield request
        if response.status_code != 401 or not self.can_refresh:
            return
        async with self._lock:
            if self._access == used:  # nobody refreshed it meanwhile
                answer = yield self._token_request(request)
                await self._take(answer)
        request.headers["Authorization"] = f"Bearer {self._access}"
        yield request

    def _token_request(self, request: httpx.Request) -> httpx.Request:
        assert self.client_id and self.client_secret and self.refresh_token
        if self._refused is not None:  # sending the same refresh token again is pointless
            raise BadUpstream(self._refused)
        url = self.token_url or request.url.copy_with(path="/" + TOKEN_PATH, query=None)
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        return httpx.Request("POST", url, data=form, headers={"Accept": "application/json"})

    async def _take(self, response: httpx.Response) -> None:
        await response.aread()
        try:
            tokens = read_tokens(response, "refresh token")
        except BadUpstream as exc:
            if response.status_code in (400, 401):
                self._refused = exc.message
            raise
        self._access = tokens.access_token
        if tokens.refresh_token:
            self.refresh_token = tokens.refresh_token
        self._expires_at = _expiry(tokens.expires_in)
        if self.on_tokens is not None:
            done = self.on_tokens(tokens)
            if inspect.isawaitable(done):
                await done


def _expiry(expires_in: float | None) -> float | None:
    if expires_in is None:
        return None
    return time.monotonic() + expires_in - min(MARGIN, expires_in / 10)


def read_tokens(response: httpx.Response, what: str) -> Tokens:
    """The tokens of a token endpoint's answer, or the canonical error for its refusal."""
    status = response.status_code
    body = _json(response)
    if status == 200:
        access = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(access, str) or not access:
            raise BadUpstream(f"{UPSTREAM} answered a token request without an access_token.")
        refresh = body.get("refresh_token")
        expires = body.get("expires_in")
        return Tokens(
            access,
            refresh if isinstance(refresh, str) and refresh else None,
            float(expires) if isinstance(expires, int | float) and expires > 0 else None,
            str(body.get("scope") or ""),
        )
    if status == 429 or status >= 500:
        wait = retry_after_seconds(response.headers.get("retry-after"))
        raise Unavailable(
            f"{UPSTREAM} answered {status} to a token request.",
            retry_after=None if wait is None else max(1, round(wait)),
        )
    if status not in (400, 401):  # not a refusal of the grant: no token endpoint there
        raise BadUpstream(f"{UPSTREAM} answered {status} to a token request at its token URL.")
    error = body.get("error") if isinstance(body, dict) else None
    code = f" ({error})" if isinstance(error, str) and error.isidentifier() else ""
    raise BadUpstream(
        f"{UPSTREAM} refused the {what}{code}: it was revoked, already used or not "
        f"this application's; authorize the application again and set {SETTING}."
    )


def _json(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        if response.status_code == 200:
            raise BadUpstream(
                f"{UPSTREAM} answered a token request with a body that is not JSON."
            ) from None
        return None


def authorize_url(
    root: str | httpx.URL,
    *,
    client_id: str,
    redirect_uri: str,
    scopes: tuple[str, ...] = (),
    state: str | None = None,
) -> httpx.URL:
    """Where to send the practice to grant access (``root``: the server's root,
    ``https://drchrono.com/``); it comes back to ``redirect_uri`` with the code
    for :func:`exchange_code`. No ``scopes``: every scope of the application."""
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri}
    if scopes:
        params["scope"] = " ".join(scopes)
    if state is not None:
        params["state"] = state
    base = httpx.URL(str(root))
    base = base if base.raw_path.endswith(b"/") else base.copy_with(path=base.path + "/")
    return base.join(AUTHORIZE_PATH).copy_with(params=params)


async def exchange_code(
    http: httpx.AsyncClient,
    *,
    code: str,
    redirect_uri: str,
    client_id: str,
    client_secret: str,
    token_url: str | httpx.URL = TOKEN_PATH,
) -> Tokens:
    """The tokens of an authorization code (the practice's consent, once): the
    refresh token to put in ``upstream_auth``. Sent once, never retried (a code
    is single use)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "client_secret": client_secret,
    }
    try:
        # A bare Auth: the code is the credential, not whatever auth the client carries.
        response = await http.post(token_url, data=form, auth=httpx.Auth())
    except httpx.TimeoutException:
        raise UpstreamTimeout(f"{UPSTREAM} did not answer the token request in time.") from None
    except httpx.TransportError as exc:
        raise Unavailable(f"{UPSTREAM} could not be reached ({type(exc).__name__}).") from None
    return read_tokens(response, "authorization code")
