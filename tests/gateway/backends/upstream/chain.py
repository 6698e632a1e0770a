"""Gateway A in upstream mode over gateway B in store mode, both real processes
(``python -m gateway serve``) on free loopback ports: B with the demo data, A
with the demo tenant alone, its mirror pulled from B."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import DRC_AUTH, OD_AUTH, ORG_AUTH, ORG_ID
from tests.serving import Served, serving

PATHS = {
    "opendental": "/opendental/api/v1",
    "drchrono": "/drchrono",
    "orgapi": f"/orgapi/api/v1/{ORG_ID}",
}
UPSTREAM_AUTH = {
    "opendental": OD_AUTH["Authorization"],
    "drchrono": DRC_AUTH["Authorization"].removeprefix("Bearer "),
    "orgapi": ORG_AUTH["Authorization"].removeprefix("Bearer "),
}
CLIENT_ROOT = {
    "opendental": ("/opendental/api/v1", OD_AUTH),
    "drchrono": ("/drchrono", DRC_AUTH),
    "orgapi": (f"/orgapi/api/v1/{ORG_ID}", ORG_AUTH),
}


@dataclass
class Chain:
    dialect: str
    b: Served
    a: Served
    a_db: Path
    stack: ExitStack = field(default_factory=ExitStack)
    """Processes started later in the module (a restarted A), stopped with the chain."""

    def restart_a(self) -> Served:
        """Stop A and start it again on its database; ``a`` is the new process."""
        self.a.proc.terminate()
        self.a.proc.communicate(timeout=10)
        self.a = self.stack.enter_context(upstream_of(self.b, self.dialect, self.a_db))
        return self.a

    def client(self, server: Served, dialect: str) -> httpx.Client:
        root, auth = CLIENT_ROOT[dialect]
        return httpx.Client(base_url=server.base + root, headers=auth, timeout=30)

    def of_a(self, dialect: str) -> httpx.Client:
        return self.client(self.a, dialect)

    def of_b(self, dialect: str) -> httpx.Client:
        return self.client(self.b, dialect)


def wait_synced(a: Served, timeout: float = 60) -> dict[str, object]:
    """A's status once every resource has been pulled at least once."""
    deadline = time.monotonic() + timeout
    while True:
        status = httpx.get(f"{a.base}/upstream/status", headers=OD_AUTH, timeout=10).json()
        resources = status.get("resources") or []
        if resources and all(r["last_attempt_at"] for r in resources):
            return dict(status)
        assert time.monotonic() < deadline, status
        time.sleep(0.2)


@contextmanager
def upstream_of(b: Served, dialect: str, db: Path, **env: str) -> Iterator[Served]:
    """Gateway A over ``b`` speaking ``dialect``, synced once."""
    with serving(
        db,
        GATEWAY_UPSTREAM=f"{dialect}+{b.base}{PATHS[dialect]}",
        GATEWAY_UPSTREAM_AUTH=env.pop("GATEWAY_UPSTREAM_AUTH", UPSTREAM_AUTH[dialect]),
        GATEWAY_SYNC_INTERVAL_SECONDS=env.pop("interval", "3600"),
        GATEWAY_UPSTREAM_REQUESTS_PER_SECOND="0",
        **env,
    ) as a:
        wait_synced(a)
        yield a


@contextmanager
def chain(tmp: Path, dialect: str) -> Iterator[Chain]:
    with serving(tmp / "b.db") as b, upstream_of(b, dialect, tmp / "a.db") as a:
        made = Chain(dialect, b, a, tmp / "a.db")
        with made.stack:
            yield made
