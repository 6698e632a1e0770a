"""Paths no route pattern matches still answer in the dialect's own shape."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import DRC_AUTH, OD_AUTH, ORG_AUTH


@pytest.mark.parametrize(
    ("path", "headers", "check"),
    [
        ("/opendental/api/v1/tasks/%0A0", OD_AUTH, lambda b: isinstance(b, str)),
        ("/orgapi/api/v1/x%0Ay", ORG_AUTH, lambda b: b == {"detail": "Not Found"}),
        ("/drchrono/api/%0A", DRC_AUTH, lambda b: isinstance(b["detail"], str)),
    ],
)
async def test_a_newline_in_the_path_is_a_404_in_the_dialects_shape(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], check: object
) -> None:
    r = await client.get(path, headers=headers)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert check(r.json())  # type: ignore[operator]


async def test_a_path_outside_every_dialect_is_a_json_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/nowhere%0A")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not Found"}


def _request(messages: list[dict[str, object]], headers: list[tuple[bytes, bytes]]) -> object:
    from starlette.requests import Request

    async def receive() -> dict[str, object]:
        return messages.pop(0)

    return Request({"type": "http", "method": "POST", "headers": headers}, receive)


async def test_a_body_is_read_whole_up_to_the_cap() -> None:
    from gateway.dispatch import _read_body

    messages = [
        {"type": "http.request", "body": b"ab", "more_body": True},
        {"type": "http.request", "body": b"c", "more_body": False},
    ]
    assert await _read_body(_request(messages, []), 3) == b"abc"  # type: ignore[arg-type]


async def test_a_body_over_the_cap_is_refused_before_it_is_all_read() -> None:
    from canonical import TooLarge
    from gateway.dispatch import _read_body

    declared = _request([], [(b"content-length", b"11")])  # nothing is read at all
    with pytest.raises(TooLarge):
        await _read_body(declared, 10)  # type: ignore[arg-type]
    chunked = [
        {"type": "http.request", "body": b"x" * 8, "more_body": True},
        {"type": "http.request", "body": b"x" * 8, "more_body": True},
    ]
    with pytest.raises(TooLarge):
        await _read_body(_request(chunked, []), 10)  # type: ignore[arg-type]
    assert len(chunked) == 0


async def test_urls_are_built_only_when_read(od: httpx.AsyncClient) -> None:
    from dialects.base import Call
    from dialects.codec import CodecContext

    built = []

    def links() -> tuple[str, str]:
        built.append(1)
        return "http://h/p", "http://h/p/x?y=1"

    call = Call("GET", "/x", {}, [], {}, b"", None, CodecContext(), links=links)  # type: ignore[arg-type]
    assert built == []
    assert call.url == "http://h/p/x?y=1"
    assert call.base_url == "http://h/p"
    assert built == [1]
    # A created record's Location is still absolute: the handler reads base_url.
    r = await od.post("/commlogs", json={"PatNum": 15, "Note": "Called back."})
    assert r.status_code == 201
    assert r.headers["location"].startswith("http://")


async def test_a_client_that_abandons_its_upload_is_logged_as_a_disconnect(
    app: object, caplog: pytest.LogCaptureFixture
) -> None:
    import json
    import logging

    body = json.dumps({"PatNum": 15, "Note": "never finished"}).encode()
    messages = [
        {"type": "http.request", "body": body[:10], "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return messages.pop(0)

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    headers = [(k.lower().encode(), v.encode()) for k, v in OD_AUTH.items()]
    headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "method": "POST",
        "path": "/opendental/api/v1/commlogs",
        "raw_path": b"/opendental/api/v1/commlogs",
        "query_string": b"",
        "headers": headers,
        "server": ("test", 80),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
    }
    with caplog.at_level(logging.INFO):
        await app(scope, receive, send)  # type: ignore[operator]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    access = [r.getMessage() for r in caplog.records if r.name == "gateway.access"]
    assert len(access) == 1 and " 499 " in access[0] and " 500 " not in access[0]
    assert any("client disconnected" in r.getMessage() for r in caplog.records)
    assert "never finished" not in caplog.text
