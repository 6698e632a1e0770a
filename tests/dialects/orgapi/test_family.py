"""Org API family view (seed 003): members sharing one guarantor, head first."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Patient, Ref
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import backend, demo, run_example
from tests.support import examples

EXAMPLES = examples("orgapi/family")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def test_members_share_the_guarantor(org: httpx.AsyncClient, store: Store) -> None:
    b = backend(store)
    for num in (16, 48):
        p = await b.get(Patient, num=num)
        await b.update(p.model_copy(update={"guarantor": Ref(num=15)}))
    expected = [demo("patient", n) for n in (15, 16, 48)]
    for num in (15, 16, 48):
        members = (await org.get(f"patients/{demo('patient', num)}/family")).json()
        assert sorted(m["id"] for m in members) == sorted(expected)
        assert members[0]["id"] == demo("patient", 15) and members[0]["is_guarantor"]
        assert [m["is_guarantor"] for m in members[1:]] == [False, False]
    alone = (await org.get(f"patients/{demo('patient', 23)}/family")).json()
    assert [m["id"] for m in alone] == [demo("patient", 23)]


async def test_missing_patient(org: httpx.AsyncClient) -> None:
    r = await org.get(f"patients/{demo('patient', 99999)}/family")
    assert r.status_code == 404 and r.json() == {"detail": "Patient not found."}
