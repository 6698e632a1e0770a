"""Org API duplicate check (seed 003): any one signal flags a potential duplicate."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.backends.store import Store
from tests.dialects.orgapi.schemas import assert_schema
from tests.dialects.orgapi.support import make, snapshot

PERSON = {
    "first_name": "Delia",
    "last_name": "Duplicate",
    "date_of_birth": "1970-01-02",
    "email": "delia@dupes.example",
    "mobile_phone": "(541) 555-0177",
    "social_security_number": "123-45-6789",
}


@pytest.mark.parametrize(
    ("probe", "found"),
    [
        ({"last_name": "duplicate", "date_of_birth": "1970-01-02"}, True),
        ({"last_name": "Duplicate", "date_of_birth": "1970-01-03"}, False),
        ({"last_name": "Other", "date_of_birth": "1970-01-02"}, False),
        ({"last_name": "Other", "email": "DELIA@dupes.example"}, True),
        ({"last_name": "Other", "email": "delia@dupes.example.org"}, False),
        ({"last_name": "Other", "mobile_phone": "541.555.0177"}, True),
        ({"last_name": "Other", "mobile_phone": "+1 541 555 0177"}, True),
        ({"last_name": "Other", "mobile_phone": "541-555-0178"}, False),
        ({"last_name": "Other", "social_security_number": "123456789"}, True),
        ({"last_name": "Other", "social_security_number": "123-45-6780"}, False),
        ({"last_name": "Duplicate"}, False),
    ],
)
async def test_each_signal(org: httpx.AsyncClient, probe: dict[str, Any], found: bool) -> None:
    me = await make(org, **PERSON)
    r = await org.post("patients/check-duplicates", json=probe)
    assert r.status_code == 200, r.text
    body = r.json()
    assert_schema(body, "patient_summaries.json")
    ids = [i["id"] for i in body["items"]]
    assert (me["id"] in ids) is found
    assert body["total"] == len(ids)


async def test_archived_patients_are_not_duplicates(org: httpx.AsyncClient) -> None:
    me = await make(org, **PERSON)
    await org.post(f"patients/{me['id']}/archive")
    r = await org.post(
        "patients/check-duplicates", json={"last_name": "x", "email": PERSON["email"]}
    )
    assert me["id"] not in [i["id"] for i in r.json()["items"]]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "last_name"]),
        ({"last_name": 3}, ["body", "last_name"]),
        ({"last_name": "x", "date_of_birth": "1970-02-30"}, ["body", "date_of_birth"]),
        ({"last_name": "x", "email": "not an email"}, ["body", "email"]),
        ({"last_name": "x", "first_name": "y"}, ["body", "first_name"]),
    ],
)
async def test_bad_input_is_422_and_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], loc: list[str]
) -> None:
    before = await snapshot(store)
    r = await org.post("patients/check-duplicates", json=body)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["detail"]] == [loc]
    assert await snapshot(store) == before
