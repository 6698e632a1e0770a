"""Org API custom field values (seed 003): list, bulk upsert with null clearing,
and the form view."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import FieldValue
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/field_values")
P15 = demo("patient", 15)
BASE = f"patients/{P15}/field-values"
MUSIC, SHIFT, CONSENT, XRAY = (demo("field_definition", n) for n in (1, 2, 3, 4))


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def put(org: httpx.AsyncClient, *pairs: tuple[str, Any]) -> httpx.Response:
    fields = [{"field_definition_uuid": d, "value": v} for d, v in pairs]
    return await org.put(BASE, json={"fields": fields})


async def values(org: httpx.AsyncClient) -> dict[str, Any]:
    items = (await org.get(BASE)).json()["items"]
    return {i["field_definition"]["name"]: i["value"] for i in items}


async def test_upsert_creates_updates_and_clears(org: httpx.AsyncClient) -> None:
    r = await put(org, (MUSIC, "Jazz"), (CONSENT, True), (XRAY, "2024-11-02"))
    assert r.status_code == 200
    assert [v["value"] for v in r.json()] == ["Jazz", True, "2024-11-02"]
    assert await values(org) == {
        "Favorite music": "Jazz",
        "Consent on file": True,
        "Last x-ray date": "2024-11-02",
    }
    r = await put(org, (MUSIC, "Blues"), (XRAY, None))
    assert [v["value"] for v in r.json()] == ["Blues"]
    assert r.json()[0]["version"] == 2
    assert await values(org) == {"Favorite music": "Blues", "Consent on file": True}
    assert (await org.get(BASE)).json()["total"] == 2


async def test_form_view_merges_definitions_and_values(org: httpx.AsyncClient) -> None:
    await put(org, (SHIFT, "Morning"))
    items = (await org.get(f"{BASE}/form")).json()["items"]
    assert [i["name"] for i in items] == [
        "Favorite music",
        "Preferred hygienist shift",
        "Consent on file",
        "Last x-ray date",
    ]
    shift = items[1]
    assert (shift["value"], shift["dropdown_options"]) == ("Morning", ["Morning", "Afternoon"])
    assert shift["field_value_id"] is not None
    assert items[0]["value"] is None and items[0]["field_value_id"] is None


@pytest.mark.parametrize(
    ("entry", "loc"),
    [
        ({"field_definition_uuid": SHIFT, "value": "Evening"}, ["body", "fields", 1, "value"]),
        ({"field_definition_uuid": CONSENT, "value": "yes"}, ["body", "fields", 1, "value"]),
        ({"field_definition_uuid": XRAY, "value": "last week"}, ["body", "fields", 1, "value"]),
        ({"field_definition_uuid": CONSENT, "value": None}, ["body", "fields", 1, "value"]),
        (
            {"field_definition_uuid": MUSIC, "value": "again"},
            ["body", "fields", 1, "field_definition_uuid"],
        ),
        (
            {"field_definition_uuid": "x", "value": "a"},
            ["body", "fields", 1, "field_definition_uuid"],
        ),
        ({"value": "a"}, ["body", "fields", 1, "field_definition_uuid"]),
        (
            {"field_definition_uuid": SHIFT, "value": "Morning", "extra": 1},
            ["body", "fields", 1, "extra"],
        ),
    ],
)
async def test_bad_entry_rejects_the_whole_request(
    org: httpx.AsyncClient, store: Store, entry: dict[str, Any], loc: list[Any]
) -> None:
    await put(org, (CONSENT, True))
    before = await snapshot(store, FieldValue)
    r = await org.put(
        BASE, json={"fields": [{"field_definition_uuid": MUSIC, "value": "Jazz"}, entry]}
    )
    assert r.status_code == 422, r.text
    assert loc in [e["loc"] for e in r.json()["detail"]]
    assert await snapshot(store, FieldValue) == before


async def test_unknown_or_archived_definition_is_404(org: httpx.AsyncClient, store: Store) -> None:
    before = await snapshot(store, FieldValue)
    r = await put(org, (MUSIC, "Jazz"), (demo("field_definition", 99), "x"))
    assert r.status_code == 404
    await org.post(f"patient-field-definitions/{MUSIC}/archive", json={"base_version": 1})
    assert (await put(org, (MUSIC, "Jazz"))).status_code == 404
    assert await snapshot(store, FieldValue) == before
    names = [i["name"] for i in (await org.get(f"{BASE}/form")).json()["items"]]
    assert "Favorite music" not in names


async def test_missing_patient(org: httpx.AsyncClient) -> None:
    missing = f"patients/{demo('patient', 99999)}/field-values"
    for r in (
        await org.get(missing),
        await org.get(f"{missing}/form"),
        await org.put(missing, json={"fields": []}),
    ):
        assert r.status_code == 404 and r.json() == {"detail": "Patient not found."}
