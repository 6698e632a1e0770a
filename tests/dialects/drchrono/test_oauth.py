"""DrChrono OAuth2 (seed 004 "OAuth"): code -> token -> refresh -> revoke -> 401."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

CLIENT = {"client_id": "demo-client", "client_secret": "demo-client-secret"}
REDIRECT = "http://127.0.0.1:8000/callback"


async def authorize(client: httpx.AsyncClient, **extra: str) -> httpx.Response:
    params = {"client_id": "demo-client", "redirect_uri": REDIRECT, **extra}
    return await client.get("/drchrono/o/authorize", params=params)


async def get_code(client: httpx.AsyncClient, **extra: str) -> str:
    r = await authorize(client, **extra)
    assert r.status_code == 302
    return parse_qs(urlsplit(r.headers["location"]).query)["code"][0]


async def exchange(client: httpx.AsyncClient, code: str) -> httpx.Response:
    data = {**CLIENT, "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    return await client.post("/drchrono/o/token/", data=data)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_full_flow_code_token_refresh_revoke(client: httpx.AsyncClient) -> None:
    r = await authorize(client, state="s1")
    location = urlsplit(r.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["s1"]

    r = await exchange(client, query["code"][0])
    assert r.status_code == 200
    tokens = r.json()
    assert tokens["expires_in"] == 172800
    assert tokens["token_type"] == "Bearer"
    assert r.headers["cache-control"] == "no-store"
    access, refresh = tokens["access_token"], tokens["refresh_token"]
    assert (await client.get("/drchrono/api/patients", headers=bearer(access))).status_code == 200

    # (The code is single use: a second use revokes these tokens, see
    # test_code_replay_revokes_every_token_issued_from_the_code.)

    r = await client.post(
        "/drchrono/o/token/",
        data={**CLIENT, "grant_type": "refresh_token", "refresh_token": refresh},
    )
    assert r.status_code == 200
    rotated = r.json()
    assert rotated["refresh_token"] != refresh and rotated["access_token"] != access
    # Rotation: the old refresh token and the access token issued with it are dead.
    r = await client.post(
        "/drchrono/o/token/",
        data={**CLIENT, "grant_type": "refresh_token", "refresh_token": refresh},
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert (await client.get("/drchrono/api/patients", headers=bearer(access))).status_code == 401

    new = rotated["access_token"]
    assert (await client.get("/drchrono/api/patients", headers=bearer(new))).status_code == 200
    r = await client.post("/drchrono/o/revoke_token/", data={**CLIENT, "token": new})
    assert r.status_code == 200
    r = await client.get("/drchrono/api/patients", headers=bearer(new))
    assert r.status_code == 401
    assert r.json() == {"detail": "The credential has been revoked."}


async def test_revocation_is_immediate_despite_the_auth_cache(client: httpx.AsyncClient) -> None:
    tokens = (await exchange(client, await get_code(client))).json()
    headers = bearer(tokens["access_token"])
    assert (await client.get("/drchrono/api/patients", headers=headers)).status_code == 200
    await client.post("/drchrono/o/revoke_token/", data={**CLIENT, "token": tokens["access_token"]})
    assert (await client.get("/drchrono/api/patients", headers=headers)).status_code == 401


async def test_scope_narrowing_and_403(client: httpx.AsyncClient) -> None:
    code = await get_code(client, scope="patients:read tasks")
    tokens = (await exchange(client, code)).json()
    assert tokens["scope"] == "patients:read tasks"
    headers = bearer(tokens["access_token"])
    assert (await client.get("/drchrono/api/patients", headers=headers)).status_code == 200
    r = await client.post(
        "/drchrono/api/patients", headers=headers, json={"doctor": 1, "gender": "Male"}
    )
    assert r.status_code == 403
    assert "patients" in r.json()["detail"]
    r = await client.get("/drchrono/api/procedures", headers=headers)
    assert r.status_code == 403  # billing not granted


async def test_unknown_scope_is_reported_on_the_redirect(client: httpx.AsyncClient) -> None:
    r = await authorize(client, scope="patients everything", state="z")
    query = parse_qs(urlsplit(r.headers["location"]).query)
    assert query == {"error": ["invalid_scope"], "state": ["z"]}


async def test_authorize_rejects_unknown_client_and_redirect(client: httpx.AsyncClient) -> None:
    r = await client.get(
        "/drchrono/o/authorize", params={"client_id": "nope", "redirect_uri": REDIRECT}
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_client"
    r = await authorize(client, redirect_uri="http://evil.example/cb")
    assert r.status_code == 400 and "redirect_uri" in r.json()["error_description"]


async def test_token_endpoint_errors(client: httpx.AsyncClient) -> None:
    code = await get_code(client)
    bad_secret = {"client_id": "demo-client", "client_secret": "wrong"}
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    r = await client.post("/drchrono/o/token/", data={**bad_secret, **data})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = await client.post("/drchrono/o/token/", json={**CLIENT, **data})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = await client.post(
        "/drchrono/o/token/", data={**CLIENT, **data, "redirect_uri": "http://x.example/"}
    )
    assert r.json()["error"] == "invalid_grant"
    r = await client.post("/drchrono/o/token/", data={**CLIENT, "grant_type": "password"})
    assert r.json()["error"] == "unsupported_grant_type"
    # Basic client authentication works too; the code is still unused.
    r = await client.post(
        "/drchrono/o/token/", data=data, auth=("demo-client", "demo-client-secret")
    )
    assert r.status_code == 200


async def test_codes_refresh_tokens_and_clients_are_not_bearer_tokens(
    client: httpx.AsyncClient,
) -> None:
    code = await get_code(client)
    refresh = (await exchange(client, await get_code(client))).json()["refresh_token"]
    for secret in (code, refresh, "demo-client"):
        r = await client.get("/drchrono/api/patients", headers=bearer(secret))
        assert r.status_code == 401


async def test_secrets_are_stored_as_digests(client: httpx.AsyncClient, store) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    tokens = (await exchange(client, await get_code(client))).json()
    with store.engine.connect() as conn:
        dump = " ".join(str(row) for row in conn.execute(sa.text("select * from credentials")))
    for secret in (tokens["access_token"], tokens["refresh_token"], "demo-client-secret"):
        assert secret not in dump


async def test_code_expires_after_a_minute(client: httpx.AsyncClient, store) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from canonical import utcnow

    await store.add_credential(
        store.get_tenant("demo"),
        "drchrono",
        "stale-code",
        kind="authorization_code",
        scopes=["patients"],
        expires_at=utcnow() - timedelta(seconds=1),
        meta={"client_id": "demo-client", "redirect_uri": REDIRECT},
    )
    r = await exchange(client, "stale-code")
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


async def test_issued_access_token_expires_in_48_hours(
    client: httpx.AsyncClient,
    store,  # type: ignore[no-untyped-def]
) -> None:
    from datetime import timedelta

    from canonical import utcnow

    tokens = (await exchange(client, await get_code(client))).json()
    row = store.find_credential("drchrono", tokens["access_token"])
    assert row.kind == "access_token" and row.meta["client_id"] == "demo-client"
    left = row.expires_at - utcnow()
    assert timedelta(hours=47, minutes=59) < left <= timedelta(hours=48)


FORM = {"content-type": "application/x-www-form-urlencoded"}


def rfc6749_problem(r: httpx.Response, error: str, status: int = 400) -> str | None:
    """What is wrong with an RFC 6749 section 5.2 error reply (``error`` and
    ``error_description`` only, the RFC's status, not cached), or ``None``."""
    body = r.json() if r.headers.get("content-type", "").startswith("application/json") else None
    if r.status_code != status or not isinstance(body, dict):
        return f"{r.status_code} {r.text[:200]}"
    if set(body) != {"error", "error_description"} or body["error"] != error:
        return str(body)
    if r.headers.get("cache-control") != "no-store":
        return "cacheable"
    return None


async def test_token_endpoint_malformed_bodies_answer_rfc6749_errors(
    client: httpx.AsyncClient,
) -> None:
    code = await get_code(client)
    good = {**CLIENT, "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    cases: list[tuple[dict[str, Any], str, int]] = [
        ({"content": b"grant_type=\xff\xfe", "headers": FORM}, "invalid_request", 400),
        ({"json": good}, "invalid_request", 400),
        ({"content": b'{"grant_type": "x"}', "headers": FORM}, "invalid_request", 400),
        (
            {"content": b"grant_type=password", "headers": {"content-type": "text/plain"}},
            "invalid_request",
            400,
        ),
        ({"data": {k: v for k, v in good.items() if k != "grant_type"}}, "invalid_request", 400),
        ({"data": {**good, "grant_type": ""}}, "invalid_request", 400),
        ({"data": {**good, "grant_type": "password"}}, "unsupported_grant_type", 400),
        ({"data": {**good, "code": "x" * 70_000}}, "invalid_request", 400),
        (
            {"content": b"&".join([b"grant_type=authorization_code"] * 2), "headers": FORM},
            "invalid_request",
            400,
        ),
        ({"data": {**good, "client_secret": "wrong"}}, "invalid_client", 401),
        ({"data": {k: v for k, v in good.items() if k != "client_secret"}}, "invalid_client", 401),
        ({"data": {**good, "code": "nope"}}, "invalid_grant", 400),
        ({"content": b"", "headers": FORM}, "invalid_request", 400),
    ]
    problems = []
    for n, (request, error, status) in enumerate(cases):
        r = await client.post("/drchrono/o/token/", **request)
        if problem := rfc6749_problem(r, error, status):
            problems.append((n, problem))
    assert problems == [], problems
    # None of them used the code.
    assert (await client.post("/drchrono/o/token/", data=good)).status_code == 200


async def test_revoke_token_malformed_bodies_answer_rfc6749_errors(
    client: httpx.AsyncClient,
) -> None:
    cases: list[tuple[dict[str, Any], str, int]] = [
        ({"content": b"token=\xff", "headers": FORM}, "invalid_request", 400),
        ({"json": {**CLIENT, "token": "x"}}, "invalid_request", 400),
        ({"data": CLIENT}, "invalid_request", 400),
        ({"data": {**CLIENT, "token": "x" * 70_000}}, "invalid_request", 400),
        ({"data": {"client_id": "demo-client", "token": "x"}}, "invalid_client", 401),
    ]
    problems = []
    for n, (request, error, status) in enumerate(cases):
        r = await client.post("/drchrono/o/revoke_token/", **request)
        if problem := rfc6749_problem(r, error, status):
            problems.append((n, problem))
    assert problems == [], problems
    r = await client.post("/drchrono/o/revoke_token/", data={**CLIENT, "token": "x"}, headers={})
    assert r.status_code == 200


async def refresh_with(client: httpx.AsyncClient, refresh: str) -> httpx.Response:
    data = {**CLIENT, "grant_type": "refresh_token", "refresh_token": refresh}
    return await client.post("/drchrono/o/token/", data=data)


async def works(client: httpx.AsyncClient, access: str) -> bool:
    r = await client.get("/drchrono/api/patients/1", headers=bearer(access))
    assert r.status_code in (200, 401), r.text
    return r.status_code == 200


async def test_code_replay_revokes_every_token_issued_from_the_code(
    client: httpx.AsyncClient,
) -> None:
    """RFC 6749 4.1.2: a code used twice is refused, and the tokens issued from
    it are revoked, rotated ones included."""
    code = await get_code(client)
    first = (await exchange(client, code)).json()
    rotated = (await refresh_with(client, first["refresh_token"])).json()
    again = (await refresh_with(client, rotated["refresh_token"])).json()
    other = (await exchange(client, await get_code(client))).json()
    assert await works(client, again["access_token"])

    r = await exchange(client, code)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    for pair in (first, rotated, again):
        assert not await works(client, pair["access_token"])
        r = await refresh_with(client, pair["refresh_token"])
        assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    # Tokens from another code are not touched; a third use is refused the same way.
    assert await works(client, other["access_token"])
    assert (await exchange(client, code)).json()["error"] == "invalid_grant"
    assert (await refresh_with(client, other["refresh_token"])).status_code == 200


async def test_code_replay_without_rotation_revokes_the_pair(client: httpx.AsyncClient) -> None:
    code = await get_code(client)
    tokens = (await exchange(client, code)).json()
    r = await client.post(
        "/drchrono/o/token/",
        data={**CLIENT, "grant_type": "authorization_code", "code": code},
    )  # even a replay missing redirect_uri is a second use of the code
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert not await works(client, tokens["access_token"])
    assert (await refresh_with(client, tokens["refresh_token"])).json()["error"] == "invalid_grant"


async def test_code_replay_by_another_client_revokes_too(
    client: httpx.AsyncClient,
    store,  # type: ignore[no-untyped-def]
) -> None:
    from gateway.backends.store import hash_secret

    await store.add_credential(
        store.get_tenant("demo"),
        "drchrono",
        "other-client",
        kind="oauth_client",
        scopes=["patients"],
        meta={"secret_sha256": hash_secret("other-secret"), "redirect_uris": [REDIRECT]},
    )
    code = await get_code(client)
    tokens = (await exchange(client, code)).json()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    # Unauthenticated, a replay is refused and changes nothing ...
    r = await client.post("/drchrono/o/token/", data={**data, "client_id": "other-client"})
    assert r.status_code == 401
    assert await works(client, tokens["access_token"])
    # ... authenticated, the code has leaked to another application: revoked.
    auth = {"client_id": "other-client", "client_secret": "other-secret"}
    r = await client.post("/drchrono/o/token/", data={**data, **auth})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert not await works(client, tokens["access_token"])


async def test_concurrent_redemptions_of_one_code(client: httpx.AsyncClient) -> None:
    """Two redemptions racing: one may get tokens, the other is the replay that
    revokes them, whichever order the store sees them in."""
    import asyncio

    code = await get_code(client)
    answers = await asyncio.gather(*(exchange(client, code) for _ in range(3)))
    granted = [r.json() for r in answers if r.status_code == 200]
    assert len(granted) <= 1
    assert all(r.json()["error"] == "invalid_grant" for r in answers if r.status_code != 200)
    for tokens in granted:
        assert not await works(client, tokens["access_token"])
        assert (await refresh_with(client, tokens["refresh_token"])).status_code == 400


async def test_code_lineage_is_kept_as_digests_only(
    client: httpx.AsyncClient,
    store,  # type: ignore[no-untyped-def]
) -> None:
    import sqlalchemy as sa

    code = await get_code(client)
    first = (await exchange(client, code)).json()
    rotated = (await refresh_with(client, first["refresh_token"])).json()
    assert (await exchange(client, code)).status_code == 400
    with store.engine.connect() as conn:
        dump = " ".join(str(row) for row in conn.execute(sa.text("select * from credentials")))
    for pair in (first, rotated):
        for secret in (code, pair["access_token"], pair["refresh_token"]):
            assert secret not in dump


async def test_issuance_that_loses_a_race_with_a_replay_revokes_itself(
    client: httpx.AsyncClient,
    store,  # type: ignore[no-untyped-def]
) -> None:
    """A replay that walked the lineage before this redemption wrote its tokens
    left its mark; the redemption finds it after writing and revokes them."""
    import sqlalchemy as sa

    from gateway.backends.store import hash_secret

    code = await get_code(client)
    await store.add_credential(
        store.get_tenant("demo"), "drchrono", f"replayed:{hash_secret(code)}", kind="code_replayed"
    )
    r = await exchange(client, code)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    row = store.find_credential("drchrono", f"lineage:{hash_secret(code)}:0")
    assert row is not None and row.kind == "code_lineage"
    for digest in (row.meta["access_sha256"], row.meta["refresh_sha256"]):
        with store.engine.connect() as conn:
            revoked = conn.execute(
                sa.text("select revoked_at from credentials where secret_hash = :d"), {"d": digest}
            ).scalar_one()
        assert revoked is not None


async def test_what_the_gateway_refuses_before_the_token_handler_is_an_rfc6749_error(
    client: httpx.AsyncClient,
) -> None:
    """A body over the limit, a bad query and a wrong method are refused by the
    gateway itself; token clients still get ``{"error", "error_description"}``."""
    for path in ("/drchrono/o/token/", "/drchrono/o/revoke_token/"):
        replies = [
            await client.post(path, content=b"a" * 16_800_001),
            await client.post(path + "?x=a%00b", data=CLIENT),
            await client.get(path),
        ]
        for r, status in zip(replies, (413, 400, 405), strict=True):
            assert r.status_code == status, (path, r.text)
            body = r.json()
            assert set(body) == {"error", "error_description"}, body
            assert body["error"] == "invalid_request"
            assert r.headers["cache-control"] == "no-store"
