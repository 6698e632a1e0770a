"""Every pairing of the three dialects, on loopback: the demo practice served by one
gateway, a practice with the same reference data and no patients served by another.

Each record the source lists is accounted for (created, matched, unchanged,
skipped or failed with the target's reason); the patients the target shows
through its own dialect are the source's that moved, each once; a second run
changes nothing. The three pairings into the org API run by default; the rest
are slow (``pytest -m slow tests/gateway/migrate``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gateway.migrate.chains import run_migrate, spec, target_practice
from tests.gateway.migrate.reading import people
from tests.serving import Served, serving

DIALECTS = ("opendental", "drchrono", "orgapi")
FAST = {("opendental", "orgapi"), ("drchrono", "orgapi"), ("orgapi", "orgapi")}
PAIRS = [
    pytest.param(s, t, marks=() if (s, t) in FAST else pytest.mark.slow, id=f"{s}-{t}")
    for s in DIALECTS
    for t in DIALECTS
]
ACCOUNTED = ("created", "updated", "unchanged", "matched", "skipped", "failed")


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The source: only ever read in this module."""
    with serving(tmp_path_factory.mktemp("source") / "source.db") as served:
        yield served


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_pairing(practice: Served, source: str, target: str, tmp_path: Path) -> None:
    with serving(target_practice(tmp_path / "target.db")) as served:
        src, dst = spec(source, practice), spec(target, served)
        work = tmp_path / "work.db"
        first = run_migrate(work, src, dst)
        assert first.rc in (0, 3), first.err
        assert first.report["status"] in ("done", "partial")
        for resource, counts in first.report["resources"].items():
            assert sum(counts.get(k, 0) for k in ACCOUNTED) == counts["read"], resource
        for record in first.report["records"]:
            assert record["outcome"] != "failed" or record["error"]
        moved = people(target, served)
        before = people(source, practice)
        patients = first.counts("patient")
        assert len(moved) == patients["created"]  # incomplete ones included: they are there
        assert not Counter(moved) - Counter(before)  # each moved patient is a source one, once
        assert patients["created"] + patients["failed"] == len(before)

        again = run_migrate(work, src, dst)
        assert again.total("created") == again.total("updated") == 0, again.report
        assert people(target, served) == moved
