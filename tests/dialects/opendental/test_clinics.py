"""Open Dental Clinics (apiclinics.md): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Clinic
from gateway.backends.store import Store
from tests.dialects.opendental.examples import check_example
from tests.support import demo_backend, examples, stored

EXAMPLES = examples("opendental/clinics")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(od, example, "ClinicNum")


async def test_get_one_shows_a_hidden_clinic(od: httpx.AsyncClient) -> None:
    r = await od.get("/clinics/3")
    assert r.status_code == 200
    assert (r.json()["Abbr"], r.json()["IsHidden"]) == ("Downtown", "true")
    listed = (await od.get("/clinics")).json()
    assert r.json()["ClinicNum"] not in [c["ClinicNum"] for c in listed]
    assert (await od.get("/clinics/1")).json() == listed[0]


async def test_put_round_trips_every_field(od: httpx.AsyncClient) -> None:
    body = load_put_body()
    r = await od.put("/clinics/4", json=body)
    assert r.status_code == 200, r.text
    again = (await od.get("/clinics/4")).json()
    assert again == r.json()
    for key, value in body.items():
        assert again[key] == value, key


def load_put_body() -> dict[str, Any]:
    example = dict(EXAMPLES)["put"]
    return dict(example["request"]["body"])


async def test_phone_with_punctuation_is_kept_when_sent_back(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    # Clinic 1's phone is stored as DrChrono shows it, "503-555-0101".
    shown = (await od.get("/clinics/1")).json()["Phone"]
    assert shown == "5035550101"
    assert (await od.put("/clinics/1", json={"Phone": shown})).status_code == 200
    assert (await drc.get("/api/offices/1")).json()["phone_number"] == "503-555-0101"
    assert (await od.put("/clinics/1", json={"Phone": "5035550199"})).status_code == 200
    assert (await drc.get("/api/offices/1")).json()["phone_number"] == "5035550199"


async def test_empty_phone_clears_it(od: httpx.AsyncClient) -> None:
    r = await od.put("/clinics/4", json={"Phone": ""})
    assert r.status_code == 200 and r.json()["Phone"] == ""


async def test_hide_and_show_a_clinic_without_patients(od: httpx.AsyncClient) -> None:
    assert (await od.put("/clinics/5", json={"IsHidden": "true"})).status_code == 200
    assert 5 not in [c["ClinicNum"] for c in (await od.get("/clinics")).json()]
    assert (await od.put("/clinics/5", json={"IsHidden": "false"})).status_code == 200
    assert 5 in [c["ClinicNum"] for c in (await od.get("/clinics")).json()]


@pytest.mark.parametrize(
    ("path", "body", "status", "names"),
    [
        ("/clinics/9999", {"Description": "x"}, 404, "Clinic"),
        ("/clinics/abc", {"Description": "x"}, 400, "ClinicNum"),
        ("/clinics/1", {"IsHidden": "true"}, 400, "patients"),  # clinic 1 has patients
        ("/clinics/1", {"Phone": "503-555-0101"}, 400, "Phone"),
        ("/clinics/1", {"Phone": "50355501"}, 400, "Phone"),
        ("/clinics/1", {"Phone": 5035550101}, 400, "Phone"),
        ("/clinics/1", {"Description": " "}, 400, "Description"),
        ("/clinics/1", {"Abbr": ""}, 400, "Abbr"),
        ("/clinics/1", {"IsHidden": "no"}, 400, "IsHidden"),
        ("/clinics/1", {"Address": "1 New St"}, 400, "Address"),
        ("/clinics/1", {"Zip": "97000"}, 400, "Zip"),
        ("/clinics/1", {"ClinicNum": 2}, 400, "ClinicNum"),
        ("/clinics/1", {"Bogus": 1}, 400, "Bogus"),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient, store: Store, path: str, body: dict[str, Any], status: int, names: str
) -> None:
    before = await stored(store, Clinic)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str) and names in r.json()
    assert await stored(store, Clinic) == before


async def test_not_a_post_or_delete(od: httpx.AsyncClient, store: Store) -> None:
    before = await stored(store, Clinic)
    # The page documents no POST or DELETE: refused as any method a path lacks.
    assert (await od.post("/clinics", json={"Description": "x"})).status_code == 400
    assert (await od.delete("/clinics/5")).status_code == 400
    assert await stored(store, Clinic) == before


@pytest.mark.parametrize(("params", "status"), [({"ClinicNum": 1}, 400), ({"Offset": "x"}, 400)])
async def test_get_many_bad_params(
    od: httpx.AsyncClient, params: dict[str, Any], status: int
) -> None:
    r = await od.get("/clinics", params=params)
    assert r.status_code == status and isinstance(r.json(), str)


async def test_paging_past_one_hundred(od: httpx.AsyncClient, store: Store) -> None:
    backend = demo_backend(store)
    for i in range(110):
        await backend.create(Clinic(abbreviation=f"C{i}", description=f"Clinic {i}"))
    first = (await od.get("/clinics")).json()
    second = (await od.get("/clinics", params={"Offset": 100})).json()
    assert len(first) == 100 and len(second) == 14
    nums = [c["ClinicNum"] for c in first + second]
    assert nums == sorted(set(nums))
