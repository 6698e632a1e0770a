"""The demo OAuth application's redirect URIs follow what ``serve`` serves:
``http://127.0.0.1:<port>/callback`` for the port it binds, and
``<public_url>/callback`` when a public URL is set, on a new database and on
one whose demo application was registered for another port."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from gateway.backends.store import Store
from gateway.cli import main
from gateway.demo import seed_demo
from tests.serving import serving

CLIENT = {"client_id": "demo-client", "client_secret": "demo-client-secret"}


def serve(
    monkeypatch: pytest.MonkeyPatch, url: str, *args: str, public_url: str | None = None
) -> Any:
    """Run ``serve`` up to the point it would start uvicorn; the app it built."""
    import uvicorn

    served: dict[str, Any] = {}

    def run(app: Any, **kwargs: Any) -> None:
        served.update(kwargs, app=app)

    monkeypatch.setattr(uvicorn, "run", run)
    if public_url is None:
        monkeypatch.delenv("GATEWAY_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("GATEWAY_PUBLIC_URL", public_url)
    monkeypatch.delenv("GATEWAY_DEMO", raising=False)
    assert main(["serve", "--database-url", url, *args]) == 0
    return served["app"]


async def authorize(app: Any, redirect_uri: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        return await c.get(
            "/drchrono/o/authorize",
            params={"client_id": "demo-client", "redirect_uri": redirect_uri},
        )


async def flow(app: Any, redirect_uri: str) -> httpx.Response:
    """Code, then token, through ``redirect_uri``."""
    r = await authorize(app, redirect_uri)
    assert r.status_code == 302, r.text
    code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        data = {
            **CLIENT,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
        }
        return await c.post("/drchrono/o/token/", data=data)


async def test_a_new_database_registers_the_served_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    app = await asyncio.to_thread(serve, monkeypatch, url, "--port", "8123")
    out = capsys.readouterr().out
    assert (await flow(app, "http://127.0.0.1:8123/callback")).status_code == 200
    assert (await authorize(app, "http://127.0.0.1:8000/callback")).status_code == 400
    assert "redirect_uri http://127.0.0.1:8123/callback" in out
    assert "redirect_uri=http://127.0.0.1:8123/callback" in out
    assert "8000" not in out


async def test_an_existing_demo_is_registered_again_for_the_new_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    store.migrate()
    await seed_demo(store)  # registered for the default port, 8000
    store.close()
    app = await asyncio.to_thread(serve, monkeypatch, url, "--port", "8124")
    assert (await flow(app, "http://127.0.0.1:8124/callback")).status_code == 200
    assert (await authorize(app, "http://127.0.0.1:8000/callback")).status_code == 400
    assert "redirect_uri http://127.0.0.1:8124/callback" in capsys.readouterr().out
    # Back on 8000, 8000 again and only it.
    app = await asyncio.to_thread(serve, monkeypatch, url, "--port", "8000")
    assert (await authorize(app, "http://127.0.0.1:8000/callback")).status_code == 302
    assert (await authorize(app, "http://127.0.0.1:8124/callback")).status_code == 400


async def test_public_url_and_named_host_are_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'public.db'}"
    public = "https://gateway.example.com/"
    app = await asyncio.to_thread(
        serve, monkeypatch, url, "--port", "8125", "--host", "localhost", public_url=public
    )
    out = capsys.readouterr().out
    for uri in (
        "https://gateway.example.com/callback",
        "http://127.0.0.1:8125/callback",
        "http://localhost:8125/callback",
    ):
        assert (await flow(app, uri)).status_code == 200, uri
        assert uri in out
    assert (await authorize(app, "http://127.0.0.1:8000/callback")).status_code == 400
    # The OAuth example in the printout uses the public address.
    assert "redirect_uri=https://gateway.example.com/callback" in out


def test_demo_redirect_uris_for_each_kind_of_host() -> None:
    from gateway.demo import demo_redirect_uris

    # A wildcard bind is reached on loopback; a named host also by its name.
    assert demo_redirect_uris("0.0.0.0", 9000) == ["http://127.0.0.1:9000/callback"]
    assert demo_redirect_uris("::", 9000) == ["http://127.0.0.1:9000/callback"]
    assert demo_redirect_uris("::1", 9000) == [
        "http://127.0.0.1:9000/callback",
        "http://[::1]:9000/callback",
    ]
    assert demo_redirect_uris("127.0.0.1", 9000, "http://h.example:81/gw") == [
        "http://h.example:81/gw/callback",
        "http://127.0.0.1:9000/callback",
    ]


def test_real_serve_accepts_its_own_port(tmp_path: Path) -> None:
    """The registration is done before uvicorn starts its own event loop; the
    served app then redeems a code on that loop."""
    with serving(tmp_path / "serve.db") as served:
        redirect = f"{served.base}/callback"
        base = f"{served.base}/drchrono/o"
        r = httpx.get(
            f"{base}/authorize", params={"client_id": "demo-client", "redirect_uri": redirect}
        )
        assert r.status_code == 302, r.text
        code = parse_qs(urlsplit(r.headers["location"]).query)["code"][0]
        data = {**CLIENT, "grant_type": "authorization_code", "code": code}
        r = httpx.post(f"{base}/token/", data={**data, "redirect_uri": redirect})
        assert r.status_code == 200, r.text
    out = served.output
    assert f"redirect_uri {redirect}" in out
