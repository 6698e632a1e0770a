"""``python -m gateway serve`` in a second process on a free loopback port, as
a user runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    port: int
    proc: subprocess.Popen[str]
    output: str = field(default="")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def serving(database: Path, **env: str) -> Iterator[Served]:
    """Start serve on an empty database; yield once its port accepts connections.
    ``output`` holds what it printed once the block ends."""
    port = free_port()
    full = {
        **os.environ,
        "GATEWAY_DATABASE_URL": f"sqlite:///{database}",
        "GATEWAY_PORT": str(port),
        "GATEWAY_LOG_LEVEL": "warning",
        **env,
    }
    if "GATEWAY_PUBLIC_URL" not in env:  # links must name this process, not a setting
        full.pop("GATEWAY_PUBLIC_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve"],
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(port, proc)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        yield served
    finally:
        proc.terminate()
        served.output, _ = proc.communicate(timeout=10)
