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


@pytest.mark.parametrize(
    "path",
    [
        "/opendental/api/v1/commlogs/2",
        "/a b/c",
        "/trailing ",
        "/tab\there",
        "/new\nline",
        "/q?mark",
        "/hash#tag",
        "/back\\slash",
        "//double",
        "/ünïcode/ok",
        "/\u200bzero-width",
        "/ctl\x7f",
    ],
)
def test_the_call_path_is_the_request_url_path(path: str) -> None:
    from starlette.datastructures import URL

    from gateway.dispatch import _url_path

    for headers in ([(b"host", b"example.test")], []):
        scope = {
            "type": "http",
            "scheme": "http",
            "path": path,
            "query_string": b"",
            "headers": headers,
            "server": ("127.0.0.1", 8000),
        }
        assert _url_path(scope) == URL(scope=scope).path


async def test_a_get_without_a_declared_body_is_not_read() -> None:
    from starlette.datastructures import Headers

    from gateway.dispatch import _read_body

    async def receive() -> dict[str, object]:
        raise AssertionError("a GET with no Content-Length has no body to read")

    assert await _read_body(Headers(raw=[]), "GET", receive, 10) == b""


async def test_a_declared_body_is_read_for_every_method() -> None:
    from starlette.datastructures import Headers

    from canonical import TooLarge
    from gateway.dispatch import _read_body

    messages = [
        {"type": "http.request", "body": b"ab", "more_body": True},
        {"type": "http.request", "body": b"c", "more_body": False},
    ]

    async def receive() -> dict[str, object]:
        return messages.pop(0)

    headers = Headers(raw=[(b"content-length", b"3")])
    assert await _read_body(headers, "GET", receive, 10) == b"abc"
    with pytest.raises(TooLarge):
        await _read_body(Headers(raw=[(b"content-length", b"11")]), "GET", receive, 10)


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


@pytest.mark.parametrize(
    "reply",
    [
        {"status": 200, "body": {"a": 1, "b": [1, 2]}},
        {"status": 201, "body": {"x": "é"}, "headers": {"Location": "http://h/x/1"}},
        {"status": 204},
        {"status": 304, "body": b""},
        {"status": 200, "body": b"raw", "content_type": "text/csv"},
        {"status": 200, "body": b"raw", "content_type": "text/plain; charset=latin-1"},
        {"status": 200, "body": bytearray(b"ba"), "content_type": "application/pdf"},
        {"status": 429, "body": "slow down", "headers": {"Retry-After": "60"}},
        {"status": 200, "body": b"x", "headers": {"Content-Type": "image/png"}},
        {"status": 200, "body": b"xy", "headers": {"Content-Length": "2"}},
        {"status": 200, "body": None, "headers": {"X-Request-Id": "given-by-handler"}},
    ],
)
def test_replies_are_sent_exactly_as_a_starlette_response(reply: dict[str, object]) -> None:
    from dialects.base import Reply
    from gateway.dispatch import _raw_reply, _render

    r = Reply(**reply)  # type: ignore[arg-type]
    expected = _render(r, "0123456789abcdef")
    status, headers, body = _raw_reply(r, "0123456789abcdef")
    assert (status, headers, body) == (expected.status_code, expected.raw_headers, expected.body)


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
