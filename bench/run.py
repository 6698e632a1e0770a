"""Benchmark the gateway against a bare Starlette app: ``python -m bench.run``.

Prepares a fresh SQLite database with the demo tenant, starts the gateway and
(when the scenario has bare targets) a bare app serving the gateway's own
bytes, both as identical uvicorn processes on 127.0.0.1; then drives every
target with the same load, round after round (bare, gateway, bare, gateway,
...), and reports the median run of each target by requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from bench.apps import BARE_SPEC_ENV, DATABASE_ENV, bare_spec
from bench.load import Generator, LoadRequest, LoadResult, choose_generator
from bench.scenarios import SCENARIOS, Scenario, Target, scenario_named
from bench.servers import Server, Uvicorn, serve
from gateway.backends.store import Store
from gateway.demo import seed_demo


@dataclass(frozen=True, slots=True)
class Load:
    connections: int
    seconds: float
    warmup: float
    runs: int


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Report:
    scenario: Scenario
    generator: str
    uvicorn: Uvicorn
    load: Load
    runs: Mapping[str, Sequence[LoadResult]]

    def median(self, label: str) -> LoadResult:
        """The run with the median requests/s (the lower middle one for an even count)."""
        ordered = sorted(self.runs[label], key=lambda r: r.rps)
        return ordered[(len(ordered) - 1) // 2]

    @property
    def ratio(self) -> float:
        num, den = self.scenario.ratio
        base = self.median(den).rps
        return self.median(num).rps / base if base else 0.0

    @property
    def met(self) -> bool | None:
        goal = self.scenario.goal
        return None if goal is None else self.ratio >= goal

    def as_json(self) -> dict[str, Any]:
        num, den = self.scenario.ratio
        return {
            "scenario": self.scenario.name,
            "description": self.scenario.description,
            "generator": self.generator,
            "uvicorn": asdict(self.uvicorn) | {"workers": 1, "access_log": False},
            "load": asdict(self.load),
            "targets": {
                t.label: {
                    "server": t.server,
                    "method": t.method,
                    "path": t.path,
                    "rps": round(self.median(t.label).rps, 1),
                    "p50_ms": round(self.median(t.label).p50_ms, 3),
                    "p99_ms": round(self.median(t.label).p99_ms, 3),
                    "server_cpu_us_per_request": _round(self.median(t.label).server_cpu_us),
                    "runs": [
                        {
                            "rps": round(r.rps, 1),
                            "p50_ms": round(r.p50_ms, 3),
                            "p99_ms": round(r.p99_ms, 3),
                            "server_cpu_us_per_request": _round(r.server_cpu_us),
                        }
                        for r in self.runs[t.label]
                    ],
                }
                for t in self.scenario.targets
            },
            "ratio": {
                "of": f"{num}/{den}",
                "rps": round(self.ratio, 3),
                "server_cpu_us_per_request": _ratio(
                    self.median(num).server_cpu_us, self.median(den).server_cpu_us
                ),
            },
            "goal": self.scenario.goal,
            "met": self.met,
        }

    def table(self) -> str:
        s, load = self.scenario, self.load
        lines = [
            f"scenario   {s.name}: {s.description}",
            f"generator  {self.generator}; {load.connections} connections, "
            f"{load.warmup:g}s warm-up + {load.seconds:g}s per run, {load.runs} runs each",
            f"uvicorn    1 worker, loop={self.uvicorn.loop}, http={self.uvicorn.http}, "
            "no access log, log level warning",
            "",
            f"{'target':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'cpu us/req':>11}   "
            "runs req/s",
        ]
        for t in s.targets:
            m = self.median(t.label)
            cpu = "-" if m.server_cpu_us is None else f"{m.server_cpu_us:.1f}"
            runs = " ".join(f"{r.rps:.0f}" for r in self.runs[t.label])
            lines.append(
                f"{t.label:<10} {m.rps:>9.0f} {m.p50_ms:>8.2f} {m.p99_ms:>8.2f} {cpu:>11}   {runs}"
            )
        num, den = s.ratio
        verdict = ""
        if s.goal is not None:
            verdict = f"  (goal >= {s.goal:.2f}: {'met' if self.met else 'NOT met'})"
        top, bottom = self.median(num), self.median(den)
        ratio = f"ratio {num}/{den}: requests/s {self.ratio:.3f}{verdict}"
        ratio += f"; p99 latency x{top.p99_ms / (bottom.p99_ms or 1):.2f}"
        if top.server_cpu_us and bottom.server_cpu_us:
            ratio += f"; server CPU per request x{top.server_cpu_us / bottom.server_cpu_us:.2f}"
        lines += ["", ratio]
        return "\n".join(lines)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return round(top / bottom, 3) if top and bottom else None


def prepare_database(directory: Path, scenario: Scenario) -> str:
    """A fresh SQLite file with the demo tenant and the scenario's own data."""
    url = f"sqlite:///{directory / 'gateway.db'}"
    store = Store(url)
    store.migrate()

    async def seed() -> None:
        await seed_demo(store)
        if scenario.seed is not None:
            await scenario.seed(store)

    try:
        asyncio.run(seed())
    finally:
        store.close()
    return url


def fetch(server: Server, target: Target) -> Answer:
    r = httpx.request(target.method, server.url + target.path, headers=target.headers, timeout=10)
    if r.status_code != target.status:
        raise RuntimeError(
            f"{server.name} answered {target.method} {target.path} with {r.status_code}, "
            f"expected {target.status}: {r.text[:500]}"
        )
    return Answer(r.status_code, r.headers.get("content-type", ""), r.content)


def bare_routes(scenario: Scenario, gateway: Server) -> list[dict[str, Any]]:
    """For each bare target, the exact answer the gateway gives to the same request."""
    routes: dict[str, dict[str, Any]] = {}
    for t in scenario.targets:
        if t.server != "bare":
            continue
        path = t.path.split("?", 1)[0]
        a = fetch(gateway, t)
        route = {"path": path, "status": a.status, "content_type": a.content_type, "body": a.body}
        if routes.get(path, route) != route:
            raise ValueError(f"two bare targets at {path} with different answers")
        routes[path] = route
    return list(routes.values())


def check_same_bytes(scenario: Scenario, bare: Server, routes: list[dict[str, Any]]) -> None:
    """The bare app answers each bare target with exactly the bytes captured from the gateway."""
    by_path = {r["path"]: r for r in routes}
    for t in scenario.targets:
        if t.server == "bare":
            want = by_path[t.path.split("?", 1)[0]]
            got = fetch(bare, t)
            if (got.body, got.content_type) != (want["body"], want["content_type"]):
                raise RuntimeError(f"the bare app's answer differs from the gateway's for {t.path}")


def measure(
    scenario: Scenario, servers: Mapping[str, Server], generator: Generator, load: Load
) -> dict[str, list[LoadResult]]:
    runs: dict[str, list[LoadResult]] = {t.label: [] for t in scenario.targets}
    for round_no in range(1, load.runs + 1):
        for t in scenario.targets:
            req = LoadRequest(servers[t.server].port, t.path, t.method, t.headers, t.status)
            if load.warmup > 0:
                generator.run(req, connections=load.connections, seconds=load.warmup)
            server = servers[t.server]
            cpu_before = server.cpu_seconds()
            result = generator.run(req, connections=load.connections, seconds=load.seconds)
            cpu_after = server.cpu_seconds()
            if cpu_before is not None and cpu_after is not None and result.requests:
                per_request = (cpu_after - cpu_before) / result.requests * 1e6
                result = replace(result, server_cpu_us=per_request)
            if result.errors or not result.requests:
                raise RuntimeError(
                    f"{t.label}: {result.errors} errors in {result.requests} requests; "
                    "a run with failed requests measures nothing"
                )
            runs[t.label].append(result)
            print(
                f"  round {round_no}/{load.runs} {t.label:<10} {result.rps:9.0f} req/s "
                f"p50 {result.p50_ms:.2f} ms p99 {result.p99_ms:.2f} ms"
                + (
                    ""
                    if result.server_cpu_us is None
                    else f" cpu {result.server_cpu_us:.0f} us/req"
                ),
                file=sys.stderr,
            )
    return runs


def benchmark(scenario: Scenario, generator: Generator, load: Load, uvicorn: Uvicorn) -> Report:
    kinds = {t.server for t in scenario.targets}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        directory = Path(tmp)
        print(f"preparing the database for {scenario.name} ...", file=sys.stderr)
        env = {DATABASE_ENV: prepare_database(directory, scenario)}
        with serve("gateway", "bench.apps:gateway_app", uvicorn, env, directory) as gateway:
            servers = {"gateway": gateway}
            with httpx.Client(base_url=gateway.url, timeout=30) as client:
                scenario = scenario.located(client)
            if "bare" in kinds:
                spec = directory / "bare.json"
                captured = bare_routes(scenario, gateway)
                spec.write_text(bare_spec(captured))
                bare_env = {BARE_SPEC_ENV: str(spec)}
                with serve("bare", "bench.apps:bare_app", uvicorn, bare_env, directory) as bare:
                    servers["bare"] = bare
                    check_same_bytes(scenario, bare, captured)
                    runs = measure(scenario, servers, generator, load)
            else:
                runs = measure(scenario, servers, generator, load)
    return Report(scenario, generator.describe(), uvicorn, load, runs)


def _bounded(low: float, high: float, kind: type = float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = kind(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}")
        return value

    return parse


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    best = Uvicorn.best()
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--scenario", default="od-commlog-get", help="scenario name (see --list)")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    p.add_argument("--generator", choices=("auto", "wrk", "asyncio"), default="auto")
    p.add_argument("--connections", type=_bounded(1, 1024, int), default=32)
    p.add_argument("--duration", type=_bounded(1, 600), default=5.0, help="seconds per run")
    p.add_argument("--warmup", type=_bounded(0, 60), default=1.0, help="seconds before each run")
    p.add_argument("--runs", type=_bounded(1, 20, int), default=3, help="runs per target")
    p.add_argument("--loop", default=best.loop, choices=("uvloop", "asyncio"))
    p.add_argument("--http", default=best.http, choices=("httptools", "h11"))
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--check", action="store_true", help="exit 1 when the goal is not met")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for s in SCENARIOS.values():
            goal = f" (goal {s.ratio[0]}/{s.ratio[1]} >= {s.goal:.2f})" if s.goal else ""
            print(f"{s.name:<20} {s.description}{goal}")
        return 0
    try:
        scenario = scenario_named(args.scenario)
        generator = choose_generator(args.generator)
        load = Load(args.connections, args.duration, args.warmup, args.runs)
        report = benchmark(scenario, generator, load, Uvicorn(args.loop, args.http))
    except (KeyError, RuntimeError, ValueError) as exc:
        print(f"bench: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.as_json(), indent=2) if args.json else report.table())
    return 1 if args.check and report.met is False else 0


if __name__ == "__main__":
    sys.exit(main())
