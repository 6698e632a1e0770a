"""The load generators' helpers: percentiles, wrk's script and summary, and the
built-in asyncio generator against a tiny HTTP server on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bench.load import (
    LoadRequest,
    choose_generator,
    drive,
    parse_wrk_output,
    percentile,
    read_response,
    request_bytes,
    wrk_script,
)

BODY = b'{"ok":true}'


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0


def test_wrk_script_sets_the_request_and_escapes_every_byte() -> None:
    script = wrk_script(LoadRequest(8000, '/a?b="c"', "GET", (("Authorization", "ODFHIR d/c"),)))
    # '/' is byte 47, '"' is 34: no raw quote can end the Lua string early.
    assert 'wrk.path = "\\47\\97\\63\\98\\61\\34\\99\\34"' in script
    assert "wrk.headers[" in script
    assert "latency:percentile(99)" in script


def test_parse_wrk_output_reads_the_summary_line() -> None:
    out = (
        "Running 5s test @ http://127.0.0.1:1/\n"
        'BENCH-RESULT {"requests": 5000, "duration_us": 2000000, '
        '"p50_us": 1250.0, "p99_us": 4000.5, "errors": 0}\n'
    )
    result = parse_wrk_output(out)
    assert result.requests == 5000
    assert result.rps == 2500.0
    assert result.p50_ms == 1.25
    assert result.p99_ms == pytest.approx(4.0005)
    assert result.errors == 0
    with pytest.raises(RuntimeError, match="no summary"):
        parse_wrk_output("Running 5s test\n")


def test_choose_generator_rejects_an_unknown_name() -> None:
    assert choose_generator("asyncio").name == "asyncio"
    with pytest.raises(ValueError, match="unknown generator"):
        choose_generator("ab")


def test_request_bytes_is_a_keep_alive_http11_request() -> None:
    raw = request_bytes(LoadRequest(8123, "/x", "GET", (("A", "b"),)))
    assert raw == b"GET /x HTTP/1.1\r\nHost: 127.0.0.1:8123\r\nA: b\r\n\r\n"


async def test_read_response_handles_length_and_chunked_bodies() -> None:
    reader = asyncio.StreamReader()
    reader.feed_data(b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n" + BODY)
    reader.feed_data(
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n"
    )
    reader.feed_data(b"HTTP/1.1 204 No Content\r\n\r\n")
    reader.feed_eof()
    assert await read_response(reader) == 200
    assert await read_response(reader) == 404
    assert await read_response(reader) == 204
    assert reader.at_eof()


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        for _ in range(100_000):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def port() -> AsyncIterator[int]:
    server = await asyncio.start_server(_answer, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def test_asyncio_generator_counts_requests_and_latencies(port: int) -> None:
    result = await drive(LoadRequest(port, "/"), connections=3, seconds=0.3)
    assert result.requests > 10
    assert result.errors == 0
    assert 0 < result.p50_ms <= result.p99_ms
    assert 0.3 <= result.seconds < 2


async def test_asyncio_generator_counts_an_unexpected_status_as_an_error(port: int) -> None:
    result = await drive(LoadRequest(port, "/", status=201), connections=1, seconds=0.1)
    assert result.requests > 0
    assert result.errors == result.requests


async def test_asyncio_generator_reports_a_refused_connection() -> None:
    server = await asyncio.start_server(_answer, "127.0.0.1", 0)
    closed_port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    result = await drive(LoadRequest(closed_port, "/"), connections=2, seconds=0.1)
    assert result.requests == 0
    assert result.errors == 2
