"""Real migration chains on loopback: a source gateway serving a practice, a
target gateway serving an empty tenant, and ``practice-gateway migrate`` in a
third process between them, as a person running a migration runs it."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canonical import model_for
from gateway.backends.store import Store
from gateway.backends.store.schema import table_for
from gateway.demo import DEMO_ORG_ID, seed_demo
from gateway.migrate.plan import PATIENT_RECORDS
from tests.serving import Served, serving

AUTH = {
    "opendental": "demo-developer/demo-customer",
    "drchrono": "demo-drchrono-token",
    "orgapi": "demo-org-token",
}
ZONE = "America/Los_Angeles"
"""The demo tenant's zone: how Open Dental and DrChrono times are read and written."""


def spec(dialect: str, served: Served) -> str:
    if dialect == "opendental":
        return f"opendental+{served.base}/opendental/api/v1"
    if dialect == "drchrono":
        return f"drchrono+{served.base}/drchrono"
    return f"orgapi+{served.base}/orgapi/api/v1/{DEMO_ORG_ID}"


PATIENT_SIDE = (
    "patient",
    *PATIENT_RECORDS,
    "insurance_subscription",
)
"""What a target practice does not have before its patients move in."""


def target_practice(path: Path) -> Path:
    """A database with the demo tenant, its credentials and its reference data
    (providers, clinics, users, definitions, codes, task lists), and no patients:
    a practice set up on the new system, waiting for its patients. Reference
    records are matched there, never created twice."""
    store = Store(f"sqlite:///{path}")
    store.migrate()
    asyncio.run(seed_demo(store))
    with store.engine.begin() as conn:
        for resource in PATIENT_SIDE:
            conn.execute(table_for(model_for(resource)).delete())
    store.close()
    return path


@contextmanager
def source_and_target(tmp: Path) -> Iterator[tuple[Served, Served]]:
    """The demo practice (patients with families, commlogs, tasks, procedures,
    clinical records) served from one database, the same practice's reference
    data without a patient from another."""
    target_db = target_practice(tmp / "target.db")
    with serving(tmp / "source.db") as source, serving(target_db) as target:
        yield source, target


@dataclass
class Result:
    rc: int
    out: str
    err: str
    report: dict[str, Any]

    def counts(self, resource: str) -> dict[str, Any]:
        return dict(self.report["resources"].get(resource, {}))

    def total(self, outcome: str) -> int:
        return sum(int(r.get(outcome, 0)) for r in self.report["resources"].values())


def migrate_env(work: Path, source: str, target: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "GATEWAY_DATABASE_URL": f"sqlite:///{work}",
        "GATEWAY_LOG_LEVEL": "warning",
        "MIGRATE_FROM_TIME_ZONE": ZONE,
        "MIGRATE_TO_TIME_ZONE": ZONE,
        "MIGRATE_FROM_REQUESTS_PER_SECOND": "0",
        "MIGRATE_TO_REQUESTS_PER_SECOND": "0",
    }
    for side, end in (("FROM", source), ("TO", target)):
        dialect = end.partition("+")[0]
        if dialect in AUTH:
            env[f"MIGRATE_{side}_AUTH"] = AUTH[dialect]
        else:
            env.pop(f"MIGRATE_{side}_AUTH", None)
    return {**env, **extra}


def command(source: str, target: str, report: Path, *flags: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gateway",
        "migrate",
        "--from",
        source,
        "--to",
        target,
        "--report",
        str(report),
        *flags,
    ]


def run_migrate(work: Path, source: str, target: str, *flags: str, **env: str) -> Result:
    report = work.with_suffix(f".{len(list(work.parent.glob('*.json')))}.json")
    proc = subprocess.run(
        command(source, target, report, *flags),
        env=migrate_env(work, source, target, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    data = json.loads(report.read_text()) if report.exists() else {}
    return Result(proc.returncode, proc.stdout, proc.stderr, data)
