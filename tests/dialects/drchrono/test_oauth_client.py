"""DrChrono OAuth2 on the client side: the refresh flow against a real DrChrono
server (the gateway in a second process, its demo application), and the
token faults against a mock one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from canonical import BadUpstream, Commlog, Patient, Unavailable
from dialects.drchrono.client import DrChronoClient
from dialects.drchrono.oauth_client import (
    DrChronoAuth,
    Tokens,
    authorize_url,
    exchange_code,
    parse_setting,
)
from dialects.transport import Policy
from gateway.demo import DEMO_CLIENT_ID
from tests.serving import Served

QUICK = Policy(rate=0, retries=1, backoff=0.001, max_backoff=0.002, timeout=5)
SECRET = "demo-client-secret"


async def authorized(real_server: Served, http: httpx.AsyncClient, scope: str = "") -> Tokens:
    """The practice's consent, as an integrator gets it: the authorization
    code the demo application is redirected with, exchanged for tokens."""
    redirect = f"{real_server.base}/callback"
    scopes = (scope,) if scope else ()
    url = authorize_url(
        http.base_url, client_id=DEMO_CLIENT_ID, redirect_uri=redirect, scopes=scopes
    )
    answer = await http.get(url)
    assert answer.status_code == 302, answer.text
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    return await exchange_code(
        http,
        code=code,
        redirect_uri=redirect,
        client_id=DEMO_CLIENT_ID,
        client_secret=SECRET,
        token_url="o/token/",
    )


def expire(auth: DrChronoAuth) -> None:
    auth._expires_at = time.monotonic() - 1


async def test_refresh_rotates_and_every_rotation_is_handed_over(real_server: Served) -> None:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/drchrono") as http:
        first = await authorized(real_server, http)
        assert first.refresh_token and first.expires_in == 172800
        saved: list[Tokens] = []

        async def persist(tokens: Tokens) -> None:  # an async callback is awaited
            saved.append(tokens)

        setting = f"{DEMO_CLIENT_ID}:{SECRET}:{first.refresh_token}"
        client = DrChronoClient(http, setting, on_tokens=persist, policy=QUICK)
        assert (await client.read(Commlog, 2)).num == 2  # obtained a token first
        assert len(saved) == 1 and saved[0].refresh_token not in (None, first.refresh_token)
        expire(client.auth)  # before expiry: refreshed again, rotated again
        assert (await client.read(Commlog, 2)).num == 2
        assert len(saved) == 2 and saved[1].refresh_token != saved[0].refresh_token
        assert client.auth.refresh_token == saved[1].refresh_token
        # The refresh token used is revoked: a client still holding it must be re-authorized.
    async with httpx.AsyncClient(base_url=f"{real_server.base}/drchrono") as other:
        stale = DrChronoClient(other, setting, policy=QUICK)
        with pytest.raises(BadUpstream, match=r"invalid_grant.*upstream_auth"):
            await stale.read(Commlog, 2)


async def test_a_revoked_access_token_is_refreshed_once(real_server: Served) -> None:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/drchrono") as http:
        tokens = await authorized(real_server, http)
        saved: list[Tokens] = []
        auth = DrChronoAuth(
            access_token=tokens.access_token,
            client_id=DEMO_CLIENT_ID,
            client_secret=SECRET,
            refresh_token=tokens.refresh_token,
            expires_in=tokens.expires_in,
            on_tokens=saved.append,
        )
        client = DrChronoClient(http, auth, policy=QUICK)
        assert (await client.read(Commlog, 2)).num == 2 and not saved
        revoked = await http.post(
            "o/revoke_token/",
            data={
                "token": tokens.access_token,
                "client_id": DEMO_CLIENT_ID,
                "client_secret": SECRET,
            },
            auth=httpx.Auth(),
        )
        assert revoked.status_code == 200
        assert (await client.read(Commlog, 2)).num == 2  # 401, refresh, the request again
        assert len(saved) == 1


async def test_a_missing_scope_names_it(real_server: Served) -> None:
    async with httpx.AsyncClient(base_url=f"{real_server.base}/drchrono") as http:
        tokens = await authorized(real_server, http, scope="patients")
        client = DrChronoClient(http, tokens.access_token, policy=QUICK)
        assert [p async for p in client.list(Patient)]
        with pytest.raises(BadUpstream, match=r"'calendar'.*upstream_auth"):
            await client.read(Commlog, 2)


# -- against a mock server --------------------------------------------------------


def answers(
    api: Callable[[httpx.Request], httpx.Response],
    token: Callable[[httpx.Request], httpx.Response],
    seen: list[httpx.Request],
) -> httpx.AsyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return token(request) if request.url.path.endswith("/o/token/") else api(request)

    return httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://drc")


LOG = {"id": 2, "patient": 1, "doctor": 1, "scheduled_time": "2024-01-02T08:30:00"}


def only(token: str) -> Callable[[httpx.Request], httpx.Response]:
    """An API that takes one access token."""

    def api(request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") == f"Bearer {token}":
            return httpx.Response(200, json=LOG)
        return httpx.Response(401, json={"detail": "Invalid token."})

    return api


def issuing(*access: str) -> Callable[[httpx.Request], httpx.Response]:
    queue = list(access)

    def token(request: httpx.Request) -> httpx.Response:
        n = queue.pop(0)
        body = {"access_token": n, "refresh_token": f"r-{n}", "expires_in": 172800}
        return httpx.Response(200, json={**body, "token_type": "Bearer", "scope": "calendar"})

    return token


def app(http: httpx.AsyncClient, **kw: Any) -> DrChronoClient:
    auth = DrChronoAuth(client_id="app", client_secret="s", refresh_token="r-0", **kw)
    return DrChronoClient(http, auth, policy=QUICK)


async def test_an_expired_access_token_is_refreshed_on_its_401() -> None:
    seen: list[httpx.Request] = []
    saved: list[Tokens] = []
    http = answers(only("new"), issuing("new"), seen)
    client = app(http, access_token="old", on_tokens=saved.append)
    assert (await client.read(Commlog, 2)).num == 2
    assert [r.url.path for r in seen] == ["/api/comm_logs/2", "/o/token/", "/api/comm_logs/2"]
    form = parse_qs(seen[1].content.decode())
    assert form["grant_type"] == ["refresh_token"] and form["refresh_token"] == ["r-0"]
    assert [t.refresh_token for t in saved] == ["r-new"]
    assert seen[2].headers["authorization"] == "Bearer new"


async def test_a_401_after_the_refresh_is_no_loop() -> None:
    seen: list[httpx.Request] = []
    http = answers(only("never"), issuing("new", "newer"), seen)
    with pytest.raises(BadUpstream, match=r"after a refresh.*upstream_auth"):
        await app(http, access_token="old").read(Commlog, 2)
    assert [r.url.path for r in seen].count("/o/token/") == 1


async def test_a_revoked_refresh_token_names_the_setting() -> None:
    seen: list[httpx.Request] = []
    grant = {"error": "invalid_grant", "error_description": "The refresh token is invalid."}
    http = answers(only("x"), lambda r: httpx.Response(400, json=grant), seen)
    client = app(http)
    with pytest.raises(BadUpstream, match=r"invalid_grant.*upstream_auth"):
        await client.read(Commlog, 2)
    assert [r.url.path for r in seen] == ["/o/token/"]  # refused once; never the API
    with pytest.raises(BadUpstream, match=r"invalid_grant.*upstream_auth"):
        await client.read(Commlog, 2)
    assert len(seen) == 1  # remembered: the refused token is not sent again


async def test_token_endpoint_faults() -> None:
    seen: list[httpx.Request] = []
    down = answers(only("x"), lambda r: httpx.Response(503), seen)
    with pytest.raises(Unavailable, match="token request"):
        await app(down).read(Commlog, 2)
    bad = answers(only("x"), lambda r: httpx.Response(200, content=b"<html>"), seen)
    with pytest.raises(BadUpstream, match="not JSON"):
        await app(bad).read(Commlog, 2)
    nowhere = answers(only("x"), lambda r: httpx.Response(404, json={"detail": "x"}), seen)
    with pytest.raises(BadUpstream, match="404 to a token request"):
        await app(nowhere).read(Commlog, 2)
    empty = answers(only("x"), lambda r: httpx.Response(200, json={"token_type": "Bearer"}), seen)
    with pytest.raises(BadUpstream, match="without an access_token"):
        await app(empty).read(Commlog, 2)


async def test_concurrent_requests_share_one_refresh() -> None:
    seen: list[httpx.Request] = []
    http = answers(only("new"), issuing("new", "newer"), seen)
    client = app(http)
    logs = await asyncio.gather(*(client.read(Commlog, 2) for _ in range(5)))
    assert [log.num for log in logs] == [2] * 5
    assert [r.url.path for r in seen].count("/o/token/") == 1


async def test_a_token_near_expiry_is_refreshed_before_use() -> None:
    seen: list[httpx.Request] = []
    http = answers(only("new"), issuing("new"), seen)
    client = app(http, access_token="old", expires_in=100)  # a tenth of it left: now
    expire(client.auth)
    assert (await client.read(Commlog, 2)).num == 2
    assert [r.url.path for r in seen] == ["/o/token/", "/api/comm_logs/2"]


def test_the_setting_has_two_forms() -> None:
    assert parse_setting("abc") == ("abc", None)
    assert parse_setting("Bearer abc") == ("abc", None)
    assert parse_setting("id:secret:refresh") == (None, ("id", "secret", "refresh"))
    for bad in ("", "a:b", "a::c", "a:b:c:d"):
        with pytest.raises(ValueError, match="upstream_auth"):
            parse_setting(bad)


def test_the_authorize_url_is_on_the_servers_root() -> None:
    url = authorize_url(
        "https://drchrono.com",
        client_id="app",
        redirect_uri="https://gw/callback",
        scopes=("patients", "calendar"),
        state="s1",
    )
    assert url.path == "/o/authorize/"
    assert dict(url.params) == {
        "response_type": "code",
        "client_id": "app",
        "redirect_uri": "https://gw/callback",
        "scope": "patients calendar",
        "state": "s1",
    }
