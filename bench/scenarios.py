"""Named benchmark scenarios.

A scenario is a few request targets, each served by one of two servers:
``gateway`` (the real gateway over a demo database) or ``bare`` (a plain
Starlette app answering, at the same path, exactly the bytes the gateway
answers for that request). Every target receives the identical load; the
report compares two of them as ``ratio`` (numerator / denominator of
requests/s) against an optional ``goal``.

Adding a scenario is one entry in ``SCENARIOS``: usually ``versus_bare(...)``;
a scenario that needs more data than the demo tenant gives a ``seed``
coroutine, run on the database before the gateway starts, and a target whose
path depends on that data (a deep cursor) a ``locate`` function, run once
against the started gateway.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import httpx

from bench.seeds import many_patients
from gateway.backends.store import Store

ServerKind = Literal["gateway", "bare"]
Seed = Callable[[Store], Awaitable[None]]
Locate = Callable[[httpx.Client], str]
"""Given a client of the running gateway (base URL set), the path and query to load."""

OD_PREFIX = "/opendental/api/v1"
OD_AUTH: Mapping[str, str] = {"Authorization": "ODFHIR demo-developer/demo-customer"}
"""The demo tenant's Open Dental credentials (gateway/demo.py)."""
ORG_PREFIX = "/orgapi/api/v1/5f0c8a4e-2d3b-4c6a-9e1f-7a8b9c0d1e2f"
"""The org API under the demo tenant's org id."""
ORG_AUTH: Mapping[str, str] = {"Authorization": "Bearer demo-org-token"}
DRC_AUTH: Mapping[str, str] = {"Authorization": "Bearer demo-drchrono-token"}


@dataclass(frozen=True, slots=True)
class Target:
    """One request, repeated under load against one server."""

    label: str
    server: ServerKind
    path: str
    """Path and query, e.g. ``/opendental/api/v1/commlogs/2``."""
    headers: tuple[tuple[str, str], ...] = ()
    method: str = "GET"
    status: int = 200
    """The status every answer must have; any other makes the run invalid."""
    locate: Locate | None = None
    """For a request that depends on the data (a cursor deep into a list): computes the
    path from the running gateway, once, before any load; ``path`` is then a label."""

    def located(self, client: httpx.Client) -> Target:
        """This target with its concrete path (itself when it has no ``locate``)."""
        if self.locate is None:
            return self
        return replace(self, path=self.locate(client), locate=None)


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    targets: tuple[Target, ...]
    """Measured in this order in every round, so runs alternate between them."""
    ratio: tuple[str, str]
    """(numerator, denominator) target labels of the reported requests/s ratio."""
    goal: float | None = None
    """Smallest acceptable ratio, if the scenario has a target figure."""
    seed: Seed | None = None
    """Extra data written to the demo database before the gateway starts."""

    def target(self, label: str) -> Target:
        return next(t for t in self.targets if t.label == label)

    def located(self, client: httpx.Client) -> Scenario:
        """This scenario with every target's path made concrete against the gateway."""
        return replace(self, targets=tuple(t.located(client) for t in self.targets))


def versus_bare(
    name: str,
    description: str,
    path: str,
    headers: Mapping[str, str],
    *,
    goal: float | None = None,
    seed: Seed | None = None,
) -> Scenario:
    """The same request to the bare app and to the gateway; ratio gateway/bare."""
    h = tuple(headers.items())
    return Scenario(
        name,
        description,
        (Target("bare", "bare", path, h), Target("gateway", "gateway", path, h)),
        ratio=("gateway", "bare"),
        goal=goal,
        seed=seed,
    )


def patients_seed(count: int) -> Seed:
    """A seed adding ``count`` patients to the demo tenant."""

    async def seed(store: Store) -> None:
        await many_patients(store, count)

    return seed


def walk_cursor(path: str, headers: Mapping[str, str], rows: int) -> Locate:
    """A locate walking a cursor list from page 1, following each page's ``end_cursor``
    (the cursor the dialect hands out) until ``rows`` rows are behind; ``path`` with
    that cursor as ``after``, i.e. the page starting at row ``rows + 1``."""

    def locate(client: httpx.Client) -> str:
        seen, cursor = 0, None
        while seen < rows:
            size = min(PAGE, rows - seen)
            url = f"{path}&first={size}" + (f"&after={cursor}" if cursor else "")
            r = client.get(url, headers=dict(headers))
            r.raise_for_status()
            body = r.json()
            if not body["data"] or not body["page_info"]["has_next_page"]:
                raise ValueError(f"{path} has fewer than {rows + 1} rows")
            seen += len(body["data"])
            cursor = body["page_info"]["end_cursor"]
        return f"{path}&first={PAGE}&after={cursor}"

    return locate


PAGE = 200
"""Rows per org API cursor page (walking, and in the depth scenarios): the largest."""
DEEP_PATIENTS = 100_000
DEEP_ROW = 99_000


def cursor_depth(field: str, *, descending: bool = False) -> Scenario:
    """Org API patient cursor list: page 1 against the page after row 99,000 of
    100,000, same sort; ratio deep/first of requests/s, goal: the deep page costs
    at most 1.5 times page 1 (a ratio of at least 1/1.5)."""
    direction = "desc" if descending else "asc"
    path = f"{ORG_PREFIX}/patients/cursor?sort_by={field}&sort_dir={direction}"
    h = tuple(ORG_AUTH.items())
    name = f"org-cursor-{field.replace('_', '-')}{'-desc' if descending else ''}"
    return Scenario(
        name,
        f"Org API patient cursor list by {field} {direction}, {PAGE} a page: page 1 "
        f"vs the page after row {DEEP_ROW:,} of {DEEP_PATIENTS:,}",
        (
            Target("first", "gateway", f"{path}&first={PAGE}", h),
            Target(
                "deep", "gateway", f"{path} (deep)", h, locate=walk_cursor(path, ORG_AUTH, DEEP_ROW)
            ),
        ),
        ratio=("deep", "first"),
        goal=round(1 / 1.5, 2),
        seed=patients_seed(DEEP_PATIENTS),
    )


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        versus_bare(
            "od-commlog-get",
            "Open Dental single-record GET /commlogs/2",
            f"{OD_PREFIX}/commlogs/2",
            OD_AUTH,
            goal=0.70,
        ),
        versus_bare(
            "drc-patients-250",
            "DrChrono patient list, one full page of 250 (300 seeded patients)",
            "/drchrono/api/patients?page_size=250",
            DRC_AUTH,
            seed=patients_seed(300),
        ),
        cursor_depth("first_name"),
        cursor_depth("last_name"),
        cursor_depth("date_of_birth", descending=True),
    ]
}


def scenario_named(name: str) -> Scenario:
    """The scenario called ``name``; a typo raises naming the closest one."""
    try:
        return SCENARIOS[name]
    except KeyError:
        close = difflib.get_close_matches(name, SCENARIOS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        known = ", ".join(sorted(SCENARIOS))
        raise KeyError(f"unknown scenario {name!r}{hint} (known: {known})") from None
