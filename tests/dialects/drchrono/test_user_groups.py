"""DrChrono /api/user_groups (seed 004): read-only groups of users."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/user_groups")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "UserProfilesGroup")


async def test_list_with_archived_marked_and_members_are_users(drc: httpx.AsyncClient) -> None:
    groups = (await drc.get("/api/user_groups")).json()["results"]
    assert_schema(groups, "UserProfilesGroup")
    assert [(g["id"], g["archived"]) for g in groups] == [(1, False), (2, False), (3, True)]
    users = {u["id"] for u in (await drc.get("/api/users")).json()["results"]}
    assert {m for g in groups for m in g["members"]} <= users
    doctors = (await drc.get("/api/user_groups/2")).json()
    assert doctors["practice_group"] == (await drc.get("/api/users/1")).json()["practice_group"]


async def test_read_only_and_404(drc: httpx.AsyncClient) -> None:
    assert (await drc.post("/api/user_groups", json={"name": "x"})).status_code == 405
    assert (await drc.get("/api/user_groups/99")).status_code == 404
