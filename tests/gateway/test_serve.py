"""``python -m gateway serve`` as a user runs it: a real uvicorn server on
loopback, an empty database, the demo tenant and its printed credentials."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_creates_the_demo_and_answers_the_documented_example(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "GATEWAY_PORT": str(port),
        "GATEWAY_LOG_LEVEL": "warning",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(
                    f"{base}/opendental/api/v1/commlogs/2",
                    headers={"Authorization": "ODFHIR demo-developer/demo-customer"},
                )
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert r.status_code == 200
        assert r.json()["Note"] == "Left msg on answering machine"
        assert r.headers["content-type"] == "application/json"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "ODFHIR demo-developer/demo-customer" in out
    assert f"127.0.0.1:{port}" in out
