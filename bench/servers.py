"""Start an ASGI app as a real uvicorn process on 127.0.0.1, and stop it.

Every server gets the same :class:`Uvicorn` settings: one worker, the same
event loop and HTTP implementation, access log off, log level warning.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent
READY_SECONDS = 60.0


def _importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Uvicorn:
    loop: str
    http: str

    @classmethod
    def best(cls) -> Uvicorn:
        """uvloop and httptools when installed (what ``uvicorn[standard]`` brings)."""
        return cls(
            loop="uvloop" if _importable("uvloop") else "asyncio",
            http="httptools" if _importable("httptools") else "h11",
        )

    def argv(self, factory: str, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            factory,
            "--factory",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            "1",
            "--loop",
            self.loop,
            "--http",
            self.http,
            "--no-access-log",
            "--log-level",
            "warning",
        ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the server process has used (None without Linux /proc)."""
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return None
        # Fields after the parenthesised command name; utime and stime are the 12th and 13th.
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _child_env(extra: Mapping[str, str]) -> dict[str, str]:
    # GATEWAY_* variables of the caller's shell would change the gateway's settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


@contextmanager
def serve(
    name: str, factory: str, settings: Uvicorn, env: Mapping[str, str], log_dir: Path
) -> Iterator[Server]:
    """Run ``factory`` under uvicorn until the block ends; wait until it answers HTTP."""
    port = free_port()
    with run(name, settings.argv(factory, port), port, env, log_dir) as server:
        yield server


@contextmanager
def run(
    name: str, argv: list[str], port: int, env: Mapping[str, str], log_dir: Path
) -> Iterator[Server]:
    """Run ``argv`` (a server listening on ``port``) until the block ends, its output
    in ``log_dir/<name>.log``; wait until it answers HTTP."""
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, cwd=REPO, env=_child_env(env), stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(name, port, process)
    try:
        _wait_ready(server, log_path)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_ready(server: Server, log_path: Path) -> None:
    """Any HTTP answer means uvicorn has finished its startup and is listening."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited at startup:\n{_tail(log_path)}")
        try:
            httpx.get(f"{server.url}/", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(
        f"{server.name} did not answer within {READY_SECONDS:.0f}s:\n{_tail(log_path)}"
    )


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-2000:]
