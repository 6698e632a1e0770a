"""The runner: median-run selection, the report, and one short end-to-end run
of real uvicorn processes on loopback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.load import AsyncioLoad, LoadResult
from bench.run import Load, Report, benchmark, main
from bench.scenarios import scenario_named
from bench.servers import Uvicorn


def _result(rps: float, p50: float = 1.0, p99: float = 2.0) -> LoadResult:
    return LoadResult(requests=int(rps * 2), seconds=2.0, p50_ms=p50, p99_ms=p99, errors=0)


def _report() -> Report:
    return Report(
        scenario=scenario_named("od-commlog-get"),
        generator="test",
        uvicorn=Uvicorn("asyncio", "h11"),
        load=Load(connections=8, seconds=2, warmup=0, runs=3),
        runs={
            "bare": [_result(1000), _result(1200, 0.5), _result(1100, 0.8, 1.5)],
            "gateway": [_result(800, 3.0, 6.0), _result(700), _result(900)],
        },
    )


def test_report_takes_the_median_run_and_the_ratio_of_medians() -> None:
    report = _report()
    assert report.median("bare").rps == 1100
    assert report.median("bare").p99_ms == 1.5
    assert report.median("gateway").rps == 800
    assert report.ratio == pytest.approx(800 / 1100)
    assert report.met is True


def test_report_json_and_table_carry_every_figure() -> None:
    report = _report()
    data = report.as_json()
    assert data["targets"]["gateway"]["rps"] == 800.0
    assert data["targets"]["gateway"]["p50_ms"] == 3.0
    assert data["ratio"] == {"of": "gateway/bare", "rps": 0.727, "server_cpu_us_per_request": None}
    assert data["met"] is True
    assert len(data["targets"]["bare"]["runs"]) == 3
    table = report.table()
    assert "gateway/bare: requests/s 0.727" in table
    assert "goal >= 0.70: met" in table


def test_main_lists_scenarios_and_rejects_an_unknown_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--list"]) == 0
    assert "od-commlog-get" in capsys.readouterr().out
    assert main(["--scenario", "nope"]) == 2
    assert "unknown scenario" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--duration", "0"])


@pytest.mark.slow
def test_benchmark_runs_both_servers_under_uvicorn() -> None:
    report = benchmark(
        scenario_named("od-commlog-get"),
        AsyncioLoad(),
        Load(connections=2, seconds=0.3, warmup=0, runs=1),
        Uvicorn.best(),
    )
    for label in ("bare", "gateway"):
        run = report.median(label)
        assert run.requests > 0
        assert run.errors == 0
    assert report.ratio > 0


def test_report_shows_server_cpu_per_request_when_measured() -> None:
    report = _report()
    runs = {
        k: [replace(r, server_cpu_us=100.0 if k == "gateway" else 25.0) for r in v]
        for k, v in report.runs.items()
    }
    report = replace(report, runs=runs)
    data = report.as_json()
    assert data["targets"]["gateway"]["server_cpu_us_per_request"] == 100.0
    assert data["ratio"]["server_cpu_us_per_request"] == 4.0
    assert "server CPU per request x4.00" in report.table()
