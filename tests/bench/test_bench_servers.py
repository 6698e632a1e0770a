"""Server processes: free ports, identical uvicorn arguments, CPU accounting."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bench.servers import Server, Uvicorn, free_port


def test_every_server_gets_the_same_uvicorn_arguments() -> None:
    settings = Uvicorn("uvloop", "httptools")
    a, b = settings.argv("bench.apps:bare_app", 1), settings.argv("bench.apps:gateway_app", 1)
    assert [x for x in a if x != "bench.apps:bare_app"] == [
        x for x in b if x != "bench.apps:gateway_app"
    ]
    assert a[a.index("--host") + 1] == "127.0.0.1"
    assert {"--no-access-log", "--factory"} <= set(a)
    assert a[a.index("--workers") + 1] == "1"
    assert a[a.index("--log-level") + 1] == "warning"


def test_free_port_is_bindable() -> None:
    assert 0 < free_port() < 65536


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_cpu_seconds_reads_the_process_cpu_time() -> None:
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.2: pass\n"
    proc = subprocess.Popen([sys.executable, "-c", busy + "time.sleep(5)"])
    try:
        server = Server("busy", 0, proc)
        for _ in range(100):
            used = server.cpu_seconds()
            assert used is not None
            if used >= 0.2:
                break
            time.sleep(0.05)
        assert used is not None and used >= 0.2
    finally:
        proc.kill()
        proc.wait()
