"""Request-head size and read timeouts, as ``serve`` runs them: raw sockets
against a real uvicorn on loopback, with sub-second timeouts."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.serving import Served, serving

HEAD_TIMEOUT = 0.6
BODY_TIMEOUT = 0.6
MAX_HEAD = 8192
AUTH = b"Authorization: ODFHIR demo-developer/demo-customer\r\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    db = tmp_path_factory.mktemp("guard") / "serve.db"
    with serving(
        db,
        GATEWAY_MAX_HEAD_BYTES=str(MAX_HEAD),
        GATEWAY_HEAD_TIMEOUT_SECONDS=str(HEAD_TIMEOUT),
        GATEWAY_BODY_TIMEOUT_SECONDS=str(BODY_TIMEOUT),
    ) as s:
        yield s


def _connect(served: Served) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=10)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _read_response(sock: socket.socket) -> bytes:
    """One whole response of a kept-alive connection: its head, then
    ``Content-Length`` bytes of body (they may arrive in separate packets)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, data
        body += chunk
    return head + b"\r\n\r\n" + body


def _status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def _get(served: Served, path: str = "/opendental/api/v1/commlogs?PatNum=15") -> bytes:
    with _connect(served) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode() + AUTH + b"\r\n"
        )
        return _read_all(sock)


def _commlog_count(served: Served) -> int:
    reply = _get(served)
    assert _status(reply) == 200, reply[:200]
    return len(json.loads(reply.split(b"\r\n\r\n", 1)[1]))


def test_a_head_within_the_limit_is_served(served: Served) -> None:
    padding = b"X-Pad: " + b"a" * (MAX_HEAD - 400) + b"\r\n"
    with _connect(served) as sock:
        sock.sendall(
            b"GET /opendental/api/v1/commlogs/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + AUTH
            + padding
            + b"\r\n"
        )
        assert _status(_read_all(sock)) == 200


@pytest.mark.parametrize("where", ["header", "url"])
def test_an_oversized_head_is_refused_with_431_before_it_is_buffered(
    served: Served, where: str
) -> None:
    huge = b"a" * (20 * 1024 * 1024)
    with _connect(served) as sock:
        if where == "header":
            sock.sendall(b"GET /opendental/api/v1/commlogs/2 HTTP/1.1\r\nHost: x\r\nX-Big: ")
        else:
            sock.sendall(b"GET /opendental/api/v1/commlogs?x=")
        sent = 0
        try:
            while sent < len(huge):
                sent += sock.send(huge[sent : sent + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = _read_all(sock)
    assert sent < len(huge), "the server read 20 MB of head"
    assert _status(reply) == 431
    assert reply.split(b"\r\n\r\n", 1)[1] == b'{"detail":"Request header fields too large."}'
    assert _status(_get(served)) == 200  # the server is still serving


def test_a_head_that_drips_in_gets_408_after_the_head_timeout(served: Served) -> None:
    head = b"GET /opendental/api/v1/commlogs/2 HTTP/1.1\r\nHost: x\r\n" + AUTH
    with _connect(served) as sock:
        started = time.monotonic()
        for byte in head:  # always active, never done
            try:
                sock.send(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(0.05)
            if time.monotonic() - started > HEAD_TIMEOUT * 5:
                break
        reply = _read_all(sock)
        elapsed = time.monotonic() - started
    assert _status(reply) == 408
    assert HEAD_TIMEOUT * 0.9 <= elapsed < HEAD_TIMEOUT * 4


def test_a_connection_that_sends_nothing_is_closed_without_a_reply(served: Served) -> None:
    with _connect(served) as sock:
        started = time.monotonic()
        reply = _read_all(sock)
        elapsed = time.monotonic() - started
    assert reply == b""
    assert HEAD_TIMEOUT * 0.9 <= elapsed < HEAD_TIMEOUT * 4


def test_a_stalled_body_gets_408_and_writes_nothing(served: Served) -> None:
    before = _commlog_count(served)
    body = json.dumps({"PatNum": 15, "Note": "stalled upload"}).encode()
    with _connect(served) as sock:
        sock.sendall(
            b"POST /opendental/api/v1/commlogs HTTP/1.1\r\nHost: x\r\n"
            + AUTH
            + b"Content-Type: application/json\r\n"
            + b"Content-Length: %d\r\n\r\n" % len(body)
            + body[:10]
        )
        started = time.monotonic()
        reply = _read_all(sock)
        elapsed = time.monotonic() - started
    assert _status(reply) == 408
    assert BODY_TIMEOUT * 0.9 <= elapsed < BODY_TIMEOUT * 4
    assert _commlog_count(served) == before


def test_a_slow_but_steady_body_is_not_cut_off(served: Served) -> None:
    """The body timeout is a pause between reads, not a deadline for the body."""
    before = _commlog_count(served)
    body = json.dumps({"PatNum": 15, "CommDateTime": "2026-01-02 10:00:00", "Note": "x" * 40})
    raw = body.encode()
    with _connect(served) as sock:
        sock.sendall(
            b"POST /opendental/api/v1/commlogs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + AUTH
            + b"Content-Type: application/json\r\n"
            + b"Content-Length: %d\r\n\r\n" % len(raw)
        )
        step = max(1, len(raw) // 6)
        for i in range(0, len(raw), step):  # ~1.2 s in all, each pause half the timeout
            sock.sendall(raw[i : i + step])
            time.sleep(BODY_TIMEOUT / 2)
        reply = _read_all(sock)
    assert _status(reply) == 201, reply[:300]
    assert _commlog_count(served) == before + 1


def test_keep_alive_requests_each_get_the_full_head_limit(served: Served) -> None:
    padding = b"X-Pad: " + b"a" * (MAX_HEAD - 400) + b"\r\n"
    request = b"GET /opendental/api/v1/commlogs/2 HTTP/1.1\r\nHost: x\r\n" + AUTH + padding
    with _connect(served) as sock:
        for last in (False, False, True):
            sock.sendall(request + (b"Connection: close\r\n" if last else b"") + b"\r\n")
            if not last:
                assert _status(_read_response(sock)) == 200
        assert _status(_read_all(sock)) == 200
