"""Migration throughput and memory: ``practice-gateway migrate`` between two local gateways.

    .venv/bin/python -m bench.migrate                       # 10,000 + 30,000, both pairs
    .venv/bin/python -m bench.migrate --patients 100000     # 100,000 + 300,000
    .venv/bin/python -m bench.migrate --pairs opendental-orgapi --json

A source gateway serves the demo tenant with N synthetic patients and three
commlogs each (bulk-inserted as :mod:`bench.seeds` does); a target gateway
serves the demo tenant with its reference data (providers, definitions) and
no patient. ``migrate --resources patient,commlog`` runs in its own process
with no client rate limit (both servers are on loopback) and the figures
are: records per second over the whole run (reads, writes, read-back
verification and state), and the migrate process's peak RSS (its own
``ru_maxrss``, reported by a wrapper that runs the command in-process).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.seeds import BATCH, many_patients
from canonical import Commlog, CommMode, Gender, Patient, Ref, model_for, utcnow
from gateway.backends.store import Store
from gateway.backends.store.rows import row_values
from gateway.backends.store.schema import counters, table_for, tenants
from gateway.demo import DEMO_ORG_ID, DEMO_TENANT_ID, seed_demo
from tests.gateway.migrate.chains import AUTH, PATIENT_SIDE
from tests.serving import Served, serving

GENDERS = (Gender.female, Gender.male)

WRAPPER = (
    "import resource, sys\n"
    "from gateway.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    "print('MAXRSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def _spec(dialect: str, served: Served) -> str:
    if dialect == "opendental":
        return f"opendental+{served.base}/opendental/api/v1"
    if dialect == "drchrono":
        return f"drchrono+{served.base}/drchrono"
    return f"orgapi+{served.base}/orgapi/api/v1/{DEMO_ORG_ID}"


def _commlogs(patients: list[tuple[int, Any]], per: int, first_seq: int) -> Iterator[Commlog]:
    rng = random.Random(7)
    now = utcnow()
    num = 0
    for pnum, puuid in patients:
        for _ in range(per):
            num += 1
            yield Commlog(
                num=num,
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                version=1,
                seq=first_seq + num - 1,
                created_at=now,
                updated_at=now,
                patient=Ref(num=pnum, uuid=puuid),
                communicated_at=now - timedelta(days=rng.randrange(2000)),
                note=f"Synthetic note {num}",
                mode=rng.choice([CommMode.phone, CommMode.email, CommMode.text]),
            )


async def seed_source(path: Path, patients: int, per: int) -> None:
    store = Store(f"sqlite:///{path}")
    store.migrate()
    await seed_demo(store)
    with store.engine.begin() as conn:  # the demo's own patients and records out
        for resource in PATIENT_SIDE:
            conn.execute(table_for(model_for(resource)).delete())
    await many_patients(store, patients)
    ptable = table_for(Patient)
    async with store.transaction() as conn:  # DrChrono requires a gender on a create
        docs = conn.execute(sa.select(ptable.c.num, ptable.c.doc)).all()
        for start in range(0, len(docs), BATCH):
            for num, doc in docs[start : start + BATCH]:
                record = Patient.model_validate_json(doc)
                record = record.model_copy(update={"gender": GENDERS[num % 2]})
                values = row_values(DEMO_TENANT_ID, record)
                conn.execute(
                    ptable.update()
                    .where(ptable.c.tenant_id == DEMO_TENANT_ID, ptable.c.num == num)
                    .values(doc=values["doc"])
                )
    ctable = table_for(Commlog)
    async with store.transaction() as conn:
        people = [
            (int(n), u)
            for n, u in conn.execute(
                sa.select(ptable.c.num, ptable.c.uuid).where(ptable.c.tenant_id == DEMO_TENANT_ID)
            )
        ]
        seq = conn.execute(
            sa.select(tenants.c.seq).where(tenants.c.id == DEMO_TENANT_ID)
        ).scalar_one()
        rows: list[dict[str, Any]] = []
        total = 0
        for commlog in _commlogs(people, per, int(seq) + 1):
            rows.append(row_values(DEMO_TENANT_ID, commlog))
            total += 1
            if len(rows) == BATCH:
                conn.execute(ctable.insert(), rows)
                rows = []
        if rows:
            conn.execute(ctable.insert(), rows)
        conn.execute(counters.delete().where(counters.c.resource == Commlog.resource))
        conn.execute(
            counters.insert().values(tenant_id=DEMO_TENANT_ID, resource="commlog", last_num=total)
        )
        conn.execute(
            tenants.update().where(tenants.c.id == DEMO_TENANT_ID).values(seq=int(seq) + total)
        )
    store.close()


def seed_target(path: Path) -> None:
    from tests.gateway.migrate.chains import target_practice

    target_practice(path)


def run_pair(folder: Path, source_db: Path, pair: str, records: int) -> dict[str, Any]:
    src_dialect, dst_dialect = pair.split("-")
    target_db = folder / f"{pair}-target.db"
    seed_target(target_db)
    # The served DrChrono's hourly limit (500 calls, as drchrono.com's) off: a
    # benchmark of the migration, not of the limit (a real run waits on 429s).
    with (
        serving(source_db) as source,
        serving(target_db, GATEWAY_DRCHRONO_RATE_LIMIT="0") as target,
    ):
        work = folder / f"{pair}-work.db"
        env = {
            **os.environ,
            "GATEWAY_DATABASE_URL": f"sqlite:///{work}",
            "MIGRATE_FROM_AUTH": AUTH[src_dialect],
            "MIGRATE_TO_AUTH": AUTH[dst_dialect],
            "MIGRATE_FROM_TIME_ZONE": "America/Los_Angeles",
            "MIGRATE_TO_TIME_ZONE": "America/Los_Angeles",
            "MIGRATE_FROM_REQUESTS_PER_SECOND": "0",
            "MIGRATE_TO_REQUESTS_PER_SECOND": "0",
            "MIGRATE_TO_DEFAULT_PROVIDER": "1",
        }
        report = folder / f"{pair}-report.json"
        started = time.monotonic()
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                WRAPPER,
                "migrate",
                "--from",
                _spec(src_dialect, source),
                "--to",
                _spec(dst_dialect, target),
                "--resources",
                "patient,commlog",
                "--report",
                str(report),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
    rss = next(
        (int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("MAXRSS_KB")),
        0,
    )
    data = json.loads(report.read_text()) if report.exists() else {}
    moved = {
        r: {k: v for k, v in c.items() if k in ("read", "created", "failed", "mismatched")}
        for r, c in data.get("resources", {}).items()
    }
    return {
        "pair": pair,
        "records": records,
        "seconds": round(elapsed, 1),
        "records_per_second": round(records / elapsed, 1),
        "peak_rss_mb": round(rss / 1024, 1),
        "exit": proc.returncode,
        "outcomes": moved,
        "stopped": next((x for x in proc.stderr.splitlines() if x.startswith("stopped")), None),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.migrate")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--commlogs-per-patient", type=int, default=3)
    parser.add_argument("--pairs", default="opendental-orgapi,orgapi-drchrono")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source_db = folder / "source.db"
        print(f"seeding {args.patients} patients ...", file=sys.stderr)
        asyncio.run(seed_source(source_db, args.patients, args.commlogs_per_patient))
        records = args.patients * (1 + args.commlogs_per_patient)
        for pair in args.pairs.split(","):
            print(f"migrating {pair} ...", file=sys.stderr)
            results.append(run_pair(folder, source_db, pair, records))
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for r in results:
            print(
                f"{r['pair']:<20} {r['records']:>8} records {r['seconds']:>8.1f} s "
                f"{r['records_per_second']:>8.1f} rec/s  peak RSS {r['peak_rss_mb']:>7.1f} MB  "
                f"exit {r['exit']}  {r['outcomes']}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
