"""What upstream mode costs: ``python -m bench.upstream``.

Gateway B serves Open Dental from its store (the "real server"); gateway A
runs in upstream mode in front of B. Both are ``python -m gateway serve`` as
shipped (its own access log on, log level info), each on its own SQLite file
on loopback. Measured in one session:

1. **Added latency.** One keep-alive connection per server; rounds alternate
   B, A, B, A, ... so drift of the machine hits both alike. Each round sends
   the same request to each: a single read (``GET /commlogs/2``) and a
   write-through create (``POST /commlogs``). Reported: p50 and p99 of B
   direct, of A, and A minus B (the issue's target: added p50 <= 1 ms,
   added p99 <= 3 ms).
2. **Full pull.** B holds ``--patients`` patients (10,000 by default) besides
   the demo data; a fresh A starts over it and the time until its sync status
   shows every patient mirrored gives records per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.seeds import many_patients
from bench.servers import Server, free_port, run
from canonical import Patient, Query
from gateway.backends.store import Store
from gateway.demo import DEMO_TENANT_ID, seed_demo

OD = "/opendental/api/v1"
OD_AUTH = "ODFHIR demo-developer/demo-customer"


@contextmanager
def serve(name: str, folder: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """``python -m gateway serve`` as shipped, on ``folder/<name>.db`` and a free port,
    until the block ends."""
    port = free_port()
    settings = {
        "GATEWAY_DATABASE_URL": f"sqlite:///{folder / name}.db",
        "GATEWAY_PORT": str(port),
        **(env or {}),
    }
    with run(name, [sys.executable, "-m", "gateway", "serve"], port, settings, folder) as server:
        yield server


def upstream_env(b: Server, rate: float = 0.0) -> dict[str, str]:
    """A in front of B. The client's own rate limit (Open Dental's default is low,
    for its cloud) is lifted by default: on loopback it would measure the limit,
    not the gateway."""
    return {
        "GATEWAY_UPSTREAM": f"opendental+{b.url}{OD}",
        "GATEWAY_UPSTREAM_AUTH": OD_AUTH,
        "GATEWAY_UPSTREAM_REQUESTS_PER_SECOND": str(rate),
    }


@dataclass(frozen=True, slots=True)
class Latency:
    p50_ms: float
    p99_ms: float


def _percentiles(samples: list[float]) -> Latency:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return Latency(round(statistics.median(ordered) * 1000, 3), round(p99 * 1000, 3))


def _timed(client: httpx.Client, method: str, path: str, body: object, status: int) -> float:
    started = time.perf_counter()
    r = client.request(method, path, json=body, headers={"Authorization": OD_AUTH})
    elapsed = time.perf_counter() - started
    if r.status_code != status:
        raise RuntimeError(f"{method} {path} answered {r.status_code}: {r.text[:200]}")
    return elapsed


def added_latency(a: Server, b: Server, requests: int, warmup: int) -> dict[str, object]:
    """Rounds of (B, A) for a read and a write-through create; percentiles of each."""
    cases = {
        "read": ("GET", f"{OD}/commlogs/2", None, 200),
        "create": ("POST", f"{OD}/commlogs", {"PatNum": 15, "Note": "bench"}, 201),
    }
    out: dict[str, object] = {}
    with httpx.Client(base_url=b.url) as direct, httpx.Client(base_url=a.url) as fronted:
        for name, (method, path, body, status) in cases.items():
            samples: dict[str, list[float]] = {"direct": [], "upstream": []}
            for i in range(warmup + requests):
                for label, client in (("direct", direct), ("upstream", fronted)):
                    t = _timed(client, method, path, body, status)
                    if i >= warmup:
                        samples[label].append(t)
            d, u = _percentiles(samples["direct"]), _percentiles(samples["upstream"])
            out[name] = {
                "direct": asdict(d),
                "upstream": asdict(u),
                "added_p50_ms": round(u.p50_ms - d.p50_ms, 3),
                "added_p99_ms": round(u.p99_ms - d.p99_ms, 3),
            }
    return out


def sync_status(a: Server) -> dict[str, Any]:
    """A's sync status (``GET /upstream/status``)."""
    r = httpx.get(f"{a.url}/upstream/status", headers={"Authorization": OD_AUTH}, timeout=120.0)
    r.raise_for_status()
    status: dict[str, Any] = r.json()
    return status


def mirrored_patients(a: Server) -> int:
    """Patients A's mirror holds, as its sync status reports them."""
    for row in sync_status(a)["resources"]:
        if row["resource"] == "patient":
            return int(row["records"])
    return 0


def wait_synced(a: Server, seconds: float = 600.0) -> None:
    """Until A's first full pull has run for every resource."""
    deadline = time.monotonic() + seconds
    while True:
        rows = sync_status(a)["resources"]
        if rows and all(row["last_pull_at"] for row in rows):
            return
        if time.monotonic() > deadline:
            raise RuntimeError("the upstream gateway did not finish its first pull in time")
        time.sleep(0.2)


def full_pull(folder: Path, patients: int, rate: float) -> dict[str, object]:
    """Seconds for a fresh A to mirror a B holding ``patients`` more patients."""
    database = folder / "pull-b.db"
    store = Store(f"sqlite:///{database}")
    store.migrate()
    asyncio.run(seed_demo(store))
    asyncio.run(many_patients(store, patients))
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    expected = asyncio.run(store.for_tenant(tenant).count(Patient, Query()))
    store.close()
    with serve("pull-b", folder) as b:
        started = time.monotonic()
        with serve("pull-a", folder, upstream_env(b, rate)) as a:
            while (count := mirrored_patients(a)) < expected:
                if time.monotonic() - started > 1800:
                    raise RuntimeError(f"only {count} of {expected} patients mirrored in 30 min")
                time.sleep(0.2)
            elapsed = time.monotonic() - started
    return {
        "patients": count,
        "seconds": round(elapsed, 2),
        "records_per_second": round(count / elapsed, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.upstream", description=__doc__)
    parser.add_argument("--requests", type=int, default=400, help="measured rounds per case")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured rounds first")
    parser.add_argument("--patients", type=int, default=10_000, help="patients for the pull")
    parser.add_argument(
        "--rate", type=float, default=0.0, help="A's requests per second to B (0: no limit)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-upstream-") as tmp:
        folder = Path(tmp)
        print("latency: starting B (store) and A (upstream over B)...", file=sys.stderr)
        with (
            serve("b", folder) as b,
            serve("a", folder, upstream_env(b, args.rate)) as a,
        ):
            wait_synced(a)
            latency = added_latency(a, b, args.requests, args.warmup)
        print(f"full pull: B with {args.patients:,} more patients...", file=sys.stderr)
        pull = full_pull(folder, args.patients, args.rate)
    report = {"latency": latency, "full_pull": pull, "requests": args.requests, "rate": args.rate}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{'case':<8} {'direct p50/p99 ms':>18} {'upstream p50/p99 ms':>20} {'added p50/p99':>15}"
    )
    for name, row in latency.items():
        assert isinstance(row, dict)
        d, u = row["direct"], row["upstream"]
        print(
            f"{name:<8} {d['p50_ms']:>8.3f} / {d['p99_ms']:<8.3f} {u['p50_ms']:>9.3f} / "
            f"{u['p99_ms']:<9.3f} {row['added_p50_ms']:>6.3f} / {row['added_p99_ms']:<6.3f}"
        )
    print(
        f"full pull: {pull['patients']:,} patients in {pull['seconds']} s "
        f"({pull['records_per_second']} records/s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
