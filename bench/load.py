"""Load generators: drive one request over N keep-alive connections for a fixed time.

``wrk`` is preferred when installed: it is C, one thread, and leaves the
second core to the server. Without it, a built-in asyncio generator opens raw
HTTP/1.1 keep-alive connections; it runs in this Python process and so costs
more CPU per request than wrk, which lowers absolute figures for both servers
alike (compare ratios across generators, not requests/s).

Every run is bounded: by its duration, by a request cap per connection and by
a subprocess timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

HOST = "127.0.0.1"
MAX_REQUESTS_PER_CONNECTION = 10_000_000
"""Upper bound on the asyncio generator's loop, whatever the duration."""


@dataclass(frozen=True, slots=True)
class LoadRequest:
    port: int
    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    status: int = 200


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    """Answers with an unexpected status, plus connection errors and timeouts."""
    server_cpu_us: float | None = None
    """CPU time (user + system) the server spent per request during the run, if known."""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


class Generator(Protocol):
    name: str

    def describe(self) -> str: ...

    def run(self, request: LoadRequest, *, connections: int, seconds: float) -> LoadResult: ...


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an ascending sequence (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


# -- wrk ---------------------------------------------------------------------

_RESULT_MARK = "BENCH-RESULT "

_WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "p50_us": %.1f, "p99_us": %.1f, "errors": %d}\\n',
    MARK, summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def _lua_string(text: str) -> str:
    """A Lua string literal of ``text``: every byte as a decimal escape, so no quoting issue."""
    return '"' + "".join(f"\\{b}" for b in text.encode()) + '"'


def wrk_script(request: LoadRequest) -> str:
    """The Lua script that sets the request and prints the summary as one JSON line."""
    lines = [
        f"wrk.method = {_lua_string(request.method)}",
        f"wrk.path = {_lua_string(request.path)}",
        *(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in request.headers),
        f"MARK = {_lua_string(_RESULT_MARK)}",
    ]
    return "\n".join(lines) + "\n" + _WRK_DONE


def parse_wrk_output(stdout: str) -> LoadResult:
    line = next((ln for ln in stdout.splitlines() if ln.startswith(_RESULT_MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{stdout[-2000:]}")
    data = json.loads(line[len(_RESULT_MARK) :])
    return LoadResult(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=int(data["errors"]),
    )


class Wrk:
    """``wrk -t1 -cN -dS`` with a Lua script; one thread keeps the generator light."""

    name = "wrk"

    def __init__(self, executable: str) -> None:
        self.executable = executable

    def describe(self) -> str:
        out = subprocess.run(
            [self.executable, "-v"], capture_output=True, text=True, timeout=10, check=False
        )
        first = (out.stdout or out.stderr).splitlines()[:1]
        return first[0].split(" Copyright")[0] if first else "wrk"

    def run(self, request: LoadRequest, *, connections: int, seconds: float) -> LoadResult:
        with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
            script = Path(tmp) / "request.lua"
            script.write_text(wrk_script(request))
            argv = [
                self.executable,
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "5s",
                "-s",
                str(script),
                f"http://{HOST}:{request.port}{request.path}",
            ]
            out = subprocess.run(
                argv, capture_output=True, text=True, timeout=seconds + 60, check=False
            )
        if out.returncode != 0:
            raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr[-2000:]}")
        return parse_wrk_output(out.stdout)


# -- built-in asyncio generator ------------------------------------------------


def request_bytes(request: LoadRequest) -> bytes:
    head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {HOST}:{request.port}"]
    head += [f"{k}: {v}" for k, v in request.headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked body); return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length: int | None = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _connection(
    request: LoadRequest, payload: bytes, deadline: float, latencies: list[float]
) -> int:
    """One keep-alive connection sending requests back to back until the deadline."""
    errors = 0
    writer: asyncio.StreamWriter | None = None
    try:
        reader, writer = await asyncio.open_connection(HOST, request.port)
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            started = time.perf_counter()
            if started >= deadline:
                break
            writer.write(payload)
            try:
                async with asyncio.timeout(5):
                    status = await read_response(reader)
            except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, request.port)
                continue
            latencies.append(time.perf_counter() - started)
            if status != request.status:
                errors += 1
    except (OSError, asyncio.IncompleteReadError):
        errors += 1
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
    return errors


async def drive(request: LoadRequest, *, connections: int, seconds: float) -> LoadResult:
    payload = request_bytes(request)
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds
    errors = await asyncio.gather(
        *(_connection(request, payload, deadline, latencies) for _ in range(connections))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        errors=sum(errors),
    )


class AsyncioLoad:
    """Raw keep-alive HTTP/1.1 over asyncio streams, in this process (uvloop if present)."""

    name = "asyncio"

    def describe(self) -> str:
        return f"built-in asyncio generator ({'uvloop' if _uvloop() else 'asyncio'} loop)"

    def run(self, request: LoadRequest, *, connections: int, seconds: float) -> LoadResult:
        factory = _uvloop()
        with asyncio.Runner(loop_factory=factory) as runner:
            return runner.run(drive(request, connections=connections, seconds=seconds))


def _uvloop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def choose_generator(name: str = "auto") -> Generator:
    """``wrk`` when installed (or asked for), else the asyncio generator."""
    if name not in ("auto", "wrk", "asyncio"):
        raise ValueError(f"unknown generator {name!r}; use auto, wrk or asyncio")
    exe = shutil.which("wrk")
    if name == "wrk" and exe is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk), use --generator asyncio")
    if name != "asyncio" and exe is not None:
        return Wrk(exe)
    return AsyncioLoad()
