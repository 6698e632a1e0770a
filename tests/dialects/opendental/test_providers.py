"""Open Dental Providers (apiproviders.md): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Provider
from gateway.backends.store import Store
from tests.dialects.opendental.examples import check_example
from tests.support import demo_backend, examples, load, stored

EXAMPLES = examples("opendental/providers")
KEYS = list(load("opendental/providers/get_one.json")["response"]["body"])


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(od, example, "ProvNum")


async def test_get_many_lists_every_provider_in_order(od: httpx.AsyncClient) -> None:
    # "Gets a list of all providers", hidden ones too, each as GET (single) shows it.
    r = await od.get("/providers")
    assert r.status_code == 200
    listed = r.json()
    nums = [p["ProvNum"] for p in listed]
    assert nums == sorted(nums) and {1, 2, 3, 4, 6, 13} <= set(nums)
    assert all(list(p) == KEYS for p in listed)
    assert all(p["serverDateTime"] for p in listed)
    one = (await od.get("/providers/4")).json()
    assert {**next(p for p in listed if p["ProvNum"] == 4), "serverDateTime": ""} == {
        **one,
        "serverDateTime": "",
    }


async def test_clinic_filter_leaves_out_hidden_and_restricted(
    od: httpx.AsyncClient, store: Store
) -> None:
    backend = demo_backend(store)
    hidden = await backend.get(Provider, num=6)
    await backend.update(hidden.model_copy(update={"is_hidden": True}))
    free = await backend.get(Provider, num=4)
    await backend.update(free.model_copy(update={"clinics": []}))
    assert [p["ProvNum"] for p in (await od.get("/providers?ClinicNum=4")).json()] == [4]
    # ClinicNum=0: the non-hidden providers restricted to no clinic.
    assert [p["ProvNum"] for p in (await od.get("/providers?ClinicNum=0")).json()] == [4]
    # Both filters apply together (4 was just changed); ClinicNum empties serverDateTime.
    both = (await od.get("/providers?ClinicNum=1&DateTStamp=2021-08-01 05:30:00")).json()
    assert [(p["ProvNum"], p["serverDateTime"]) for p in both] == [(1, ""), (4, "")]


async def test_post_defaults(od: httpx.AsyncClient) -> None:
    r = await od.post("/providers", json={"Abbr": "NEW"})
    assert r.status_code == 201, r.text
    got = r.json()
    expected = {
        "LName": "",
        "FeeSched": 1,  # the first fee schedule
        "Specialty": 263,  # the first provider specialty, General Dentistry
        "IsSecondary": "false",
        "IsHidden": "false",
        "UsingTIN": "true",
        "SigOnFile": "false",
        "IsNotPerson": "false",
        "ProvStatus": "Active",
        "IsHiddenReport": "false",
        "Birthdate": "0001-01-01",
        "provColor": "0,0,0",
        "serverDateTime": "",
    }
    assert {k: got[k] for k in expected} == expected
    again = (await od.get(f"/providers/{got['ProvNum']}")).json()
    assert {**again, "serverDateTime": ""} == got


async def test_post_every_field_round_trips(od: httpx.AsyncClient) -> None:
    body = {
        "Abbr": "ORG",
        "LName": "Smile Dental Group",
        "Suffix": "LLC",
        "FeeSched": 2,
        "Specialty": 266,
        "SSN": "931234567",
        "StateLicense": "X-1",
        "IsSecondary": "false",
        "IsHidden": "true",
        "UsingTIN": "true",
        "SigOnFile": "true",
        "NationalProvID": "1999999984",
        "IsNotPerson": "true",
        "IsHiddenReport": "true",
        "BirthDate": "2001-02-03",
        "SchedNote": "Billing entity",
        "PreferredName": "Smile",
    }
    r = await od.post("/providers", json=body)
    assert r.status_code == 201, r.text
    got = (await od.get(f"/providers/{r.json()['ProvNum']}")).json()
    for key, value in body.items():
        assert got["Birthdate" if key == "BirthDate" else key] == value, key


@pytest.mark.parametrize(
    ("body", "status", "names"),
    [
        ({"LName": "x"}, 400, "Abbr"),
        ({"Abbr": ""}, 400, "Abbr"),
        ({"Abbr": "   "}, 400, "Abbr"),
        ({"Abbr": 5}, 400, "Abbr"),
        ({"Abbr": "A", "SSN": "123-45-6789"}, 400, "SSN"),
        ({"Abbr": "A", "IsSecondary": "yes"}, 400, "IsSecondary"),
        ({"Abbr": "A", "Birthdate": "07/17/1987"}, 400, "Birthdate"),
        ({"Abbr": "A", "IsNotPerson": "true", "FName": "Ann"}, 400, "FName"),
        ({"Abbr": "A", "IsNotPerson": "true", "MI": "Q"}, 400, "MI"),
        ({"Abbr": "A", "ProvStatus": "Deleted"}, 400, "ProvStatus"),
        ({"Abbr": "A", "provColor": "1,2,3"}, 400, "provColor"),
        ({"Abbr": "A", "ProvNum": 50}, 400, "ProvNum"),
        ({"Abbr": "A", "Bogus": 1}, 400, "Bogus"),
        ({"Abbr": "A", "Specialty": 9999}, 404, "Specialty"),
        ({"Abbr": "A", "Specialty": 239}, 404, "Specialty"),  # a commlog type
        ({"Abbr": "A", "Specialty": "x"}, 400, "Specialty"),
        ({"Abbr": "A", "FeeSched": 9999}, 404, "FeeSched"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, names: str
) -> None:
    before = await stored(store, Provider)
    r = await od.post("/providers", json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str) and names in r.json()
    assert await stored(store, Provider) == before


async def test_put_changes_only_what_it_gives(od: httpx.AsyncClient) -> None:
    before = (await od.get("/providers/4")).json()
    r = await od.put("/providers/4", json={"PreferredName": "Bru", "SigOnFile": "true"})
    assert r.status_code == 200, r.text
    after = r.json()
    assert (after["PreferredName"], after["SigOnFile"], after["serverDateTime"]) == (
        "Bru",
        "true",
        "",
    )
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"PreferredName", "SigOnFile", "DateTStamp", "serverDateTime"}


async def test_put_specialty_sets_the_specialty_text(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    r = await od.put("/providers/2", json={"Specialty": 268})
    assert r.status_code == 200 and r.json()["Specialty"] == 268
    assert (await drc.get("/api/doctors/2")).json()["specialty"] == "Periodontics"


async def test_put_both_spellings_of_national_prov_id(od: httpx.AsyncClient) -> None:
    for key in ("NationalProvId", "NationalProvID"):
        r = await od.put("/providers/4", json={key: f"12{key[-1]}"})
        assert r.status_code == 200, r.text
        assert r.json()["NationalProvID"] == f"12{key[-1]}"


async def test_specialty_zero_sent_back_as_shown(od: httpx.AsyncClient, store: Store) -> None:
    backend = demo_backend(store)
    p = await backend.get(Provider, num=4)
    await backend.update(p.model_copy(update={"specialty_definition": None}))
    assert (await od.get("/providers/4")).json()["Specialty"] == 0
    assert (await od.put("/providers/4", json={"Specialty": 0})).status_code == 200
    # A provider with a specialty cannot be left without one.
    r = await od.put("/providers/1", json={"Specialty": 0})
    assert r.status_code == 400 and "Specialty" in r.json()


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/providers/9999", {"FName": "x"}, 404),
        ("/providers/abc", {"FName": "x"}, 400),
        ("/providers/4", {"Abbr": ""}, 400),
        ("/providers/4", {"IsHidden": "true"}, 400),  # not a PUT field
        ("/providers/4", {"FeeSched": 1}, 400),
        ("/providers/4", {"Birthdate": "2000-01-01"}, 400),
        ("/providers/4", {"UsingTIN": "maybe"}, 400),
        ("/providers/4", {"SSN": "12-3"}, 400),
        ("/providers/4", {"Specialty": 148}, 404),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient, store: Store, path: str, body: dict[str, Any], status: int
) -> None:
    before = await stored(store, Provider)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str)
    assert await stored(store, Provider) == before


async def test_put_fname_of_a_billing_entity(od: httpx.AsyncClient) -> None:
    made = (await od.post("/providers", json={"Abbr": "ENT", "IsNotPerson": "true"})).json()
    r = await od.put(f"/providers/{made['ProvNum']}", json={"FName": "Ann"})
    assert r.status_code == 400 and "FName" in r.json()


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"ClinicNum": "x"}, 400),
        ({"ClinicNum": 99}, 404),
        ({"DateTStamp": "yesterday"}, 400),
        ({"PatNum": 15}, 400),
        ({"Offset": "-1"}, 400),
    ],
)
async def test_get_many_bad_params(
    od: httpx.AsyncClient, params: dict[str, Any], status: int
) -> None:
    r = await od.get("/providers", params=params)
    assert r.status_code == status
    assert isinstance(r.json(), str)


async def test_date_format_strings(od: httpx.AsyncClient) -> None:
    r = await od.get("/providers/6", params={"DateFormatString": "MM/dd/yyyy"})
    assert r.json()["Birthdate"] == "10/01/1969"


async def test_paging_past_one_hundred(od: httpx.AsyncClient) -> None:
    for i in range(110):
        assert (await od.post("/providers", json={"Abbr": f"P{i}"})).status_code == 201
    first = (await od.get("/providers")).json()
    second = (await od.get("/providers", params={"Offset": 100})).json()
    assert len(first) == 100 and len(second) >= 16
    nums = [p["ProvNum"] for p in first + second]
    assert nums == sorted(set(nums))
    assert len((await od.get("/providers", params={"Limit": 500})).json()) == 100
