"""Every decimal and integer field of every dialect, given values at and beyond
what the store holds, answers 2xx or the dialect's 4xx: never a 5xx, an error
in the dialect's shape, and a rejected request changes nothing.

The fields come from the dialects' own codecs (every writable field whose
canonical type is an integer, a decimal, or, in the integer-keyed dialects, a
reference), sent to every endpoint that writes their resource. Each pair gets
the edge values once (a sweep that lists every offender), then hypothesis
draws further values around the bounds.
"""

from __future__ import annotations

import json
import os
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canonical import INT64_MAX, INT64_MIN, Ref
from dialects.base import Dialect, Endpoint
from dialects.codec import Field
from dialects.limits import DECIMAL_INTEGER_DIGITS
from gateway.app import all_dialects
from tests.gateway.hostile import Harness, Target, demo_auth
from tests.gateway.test_robustness import judge, known_ids, real_path

WRITES = ("POST", "PUT", "PATCH")
CI = bool(os.environ.get("CI"))

LARGEST = Decimal(10**DECIMAL_INTEGER_DIGITS) - Decimal("0.01")
INT_EDGES: list[Any] = [
    0,
    -1,
    2**31 - 1,
    2**31,
    2**53 + 1,
    INT64_MAX,
    INT64_MAX + 1,
    INT64_MIN,
    INT64_MIN - 1,
    2**70,
    str(INT64_MAX + 1),
    "9" * 40,
    1e20,
    1e300,
]
DECIMAL_EDGES: list[Any] = [
    str(LARGEST),
    str(-LARGEST),
    10**DECIMAL_INTEGER_DIGITS,
    f"1e{DECIMAL_INTEGER_DIGITS}",
    1e26,
    1e30,
    1e308,
    "1e400",
    "-1e400",
    "1e-400",
    "0." + "1" * 40,
    "1" * 40,
    "NaN",
    "Infinity",
    2**70,
]


def _unwrap(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def numeric_kind(dialect: Dialect, resource: str, f: Field) -> str | None:
    """``int`` or ``decimal`` for a writable numeric field, else ``None``."""
    codec = dialect.codecs[resource]
    info = codec.model.model_fields.get(f.canonical or "")
    if f.read_only or info is None:
        return None
    tp = _unwrap(info.annotation)
    if tp is Decimal:
        return "decimal"
    if tp is int or (tp is Ref and dialect.name != "orgapi"):  # org API refs are UUIDs
        return "int"
    return None


@dataclass(frozen=True)
class Case:
    target: Target
    wire: str
    kind: str

    @property
    def id(self) -> str:
        return f"{self.target.id} {self.wire}"


def cases(dialect: Dialect) -> list[Case]:
    seen: dict[tuple[str, str], Endpoint] = {}
    for ep in dialect.endpoints:  # one of each DrChrono slash variant
        if ep.method in WRITES and ep.resource in dialect.codecs:
            seen.setdefault((ep.method, ep.path.rstrip("/")), ep)
    out = []
    for ep in seen.values():
        assert ep.resource is not None
        for f in dialect.codecs[ep.resource].fields:
            kind = numeric_kind(dialect, ep.resource, f)
            if kind is not None:
                out.append(Case(Target(dialect, ep), f.wire, kind))
    return out


DIALECTS = {d.name: d for d in all_dialects()}


def test_every_dialect_has_numeric_fields_to_try() -> None:
    # A change that hid the numeric fields from this test would make it pass vacuously.
    counts = {name: len(cases(d)) for name, d in DIALECTS.items()}
    assert all(n >= 10 for n in counts.values()), counts


@pytest.fixture(scope="module")
def harnesses(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    made: dict[str, Any] = {}
    yield made
    for h, _ in made.values():
        h.close()


def _setup(
    harnesses: dict[str, Any], name: str, demo_db: Path, workdir: Path
) -> tuple[Harness, dict[str, list[tuple[int, str]]]]:
    if name not in harnesses:
        h = Harness(demo_db, workdir / name)
        h.replay_examples(DIALECTS[name])
        targets = [c.target for c in cases(DIALECTS[name])]
        harnesses[name] = (h, known_ids(h, targets))
    h, ids = harnesses[name]
    return h, ids


def _send(h: Harness, case: Case, ids: dict[str, list[tuple[int, str]]], value: Any) -> None:
    url = real_path(h, case.target, ids)
    if url is None:  # no record to write to: the junk-id sweeps cover such paths
        return
    headers = {**demo_auth(case.target.dialect.name), "Content-Type": "application/json"}
    if case.target.dialect.name == "orgapi":
        headers["Idempotency-Key"] = os.urandom(8).hex()
    body = json.dumps({case.wire: value}).encode()
    judge(h, case.target, case.target.endpoint.method, url, headers, body)


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_edge_values_of_every_numeric_field(
    name: str, demo_db: Path, tmp_path_factory: pytest.TempPathFactory, harnesses: dict[str, Any]
) -> None:
    h, ids = _setup(harnesses, name, demo_db, tmp_path_factory.mktemp("bounds"))
    failures: list[str] = []
    for case in cases(DIALECTS[name]):
        for value in INT_EDGES if case.kind == "int" else DECIMAL_EDGES:
            try:
                _send(h, case, ids, value)
            except AssertionError as exc:
                failures.append(f"{case.id} = {value!r}: {str(exc).splitlines()[0][:300]}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:40])


numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.integers(min_value=INT64_MAX - 2, max_value=INT64_MAX + 2),
    st.integers(min_value=INT64_MIN - 2, max_value=INT64_MIN + 2),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.decimals(
        min_value=-(10**DECIMAL_INTEGER_DIGITS) - 1, max_value=10**DECIMAL_INTEGER_DIGITS + 1
    ).map(str),
)


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_random_values_near_the_bounds(
    name: str, demo_db: Path, tmp_path_factory: pytest.TempPathFactory, harnesses: dict[str, Any]
) -> None:
    h, ids = _setup(harnesses, name, demo_db, tmp_path_factory.mktemp("bounds"))
    all_cases = cases(DIALECTS[name])

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=CI,  # CI replays the same examples, so a red build is never chance
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(case=st.sampled_from(all_cases), value=numbers)
    def run(case: Case, value: Any) -> None:
        _send(h, case, ids, value)

    run()
