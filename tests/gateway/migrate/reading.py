"""A practice's records read through a dialect's own client, for comparing ends."""

from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from canonical import Record, model_for
from gateway.backends.upstream.target import make_client, parse_target
from tests.gateway.migrate.chains import AUTH, ZONE, spec
from tests.serving import Served


def records(dialect: str, served: Served, resource: str) -> list[Record]:
    """Every record of ``resource`` the server shows through ``dialect``."""

    async def read() -> list[Record]:
        target = parse_target(spec(dialect, served))
        async with httpx.AsyncClient(base_url=target.base_url, timeout=60) as http:
            client = make_client(target, http, AUTH[dialect], tz=ZoneInfo(ZONE), rate=0)
            model = model_for(resource)
            out = []
            lanes: list[dict[str, Any]] = [{}]
            if dialect == "orgapi" and resource == "patient":
                lanes.append({"status": "archived"})
            if dialect == "drchrono" and resource == "patient":
                lanes = [{"show_inactive": "true"}]
            for n, lane in enumerate(lanes):
                async for record in client.list(model, lane):
                    if n and record.deleted_at is None:
                        continue  # archived by status only: the live listing shows it too
                    out.append(record)
            return out

    return asyncio.run(read())


def people(dialect: str, served: Served) -> list[tuple[Any, ...]]:
    """The practice's patients as names and birth dates, sorted (no ids)."""
    return sorted(
        (p.last_name, p.first_name, p.date_of_birth)  # type: ignore[attr-defined]
        for p in records(dialect, served, "patient")
    )
