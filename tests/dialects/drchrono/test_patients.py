"""DrChrono /api/patients and /api/patients_summary (seed 004)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/patients") + [
    (f"summary_{n}", e) for n, e in examples("drchrono/patients_summary")
]


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "Patient")


async def ids(drc: httpx.AsyncClient, path: str = "/api/patients", **params: Any) -> list[int]:
    r = await drc.get(path, params={"page_size": 1000, **params})
    assert r.status_code == 200, r.text
    assert_schema(r.json()["results"], "Patient")
    return [p["id"] for p in r.json()["results"]]


async def new(drc: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await drc.post("/api/patients", json={"doctor": 1, "gender": "Male", **body})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_filters(drc: httpx.AsyncClient) -> None:
    a = await new(
        drc,
        first_name="Zelda",
        last_name="Quimby",
        gender="Female",
        date_of_birth="1999-09-09",
        email="zq@example.com",
        race="asian",
        ethnicity="hispanic",
        preferred_language="spa",
        doctor=2,
    )
    assert await ids(drc, first_name="elD") == [a["id"]]
    assert await ids(drc, last_name="QUIM") == [a["id"]]
    assert await ids(drc, date_of_birth="1999-09-09") == [a["id"]]
    assert await ids(drc, email="zq@example.com") == [a["id"]]
    assert await ids(drc, race="asian") == [a["id"]]
    assert await ids(drc, ethnicity="hispanic") == [a["id"]]
    spanish = await ids(drc, preferred_language="spa")
    assert a["id"] in spanish and a["id"] not in await ids(drc, preferred_language="eng")
    assert a["id"] in await ids(drc, gender="Female")
    assert a["id"] not in await ids(drc, gender="Male")
    assert a["id"] in await ids(drc, doctor=2)
    assert a["id"] not in await ids(drc, doctor=1)
    for bad in ({"gender": "F"}, {"race": "martian"}, {"date_of_birth": "x"}, {"doctor": "a"}):
        r = await drc.get("/api/patients", params=bad)
        assert r.status_code == 400 and list(r.json()) == list(bad), r.text


async def test_since(drc: httpx.AsyncClient) -> None:
    stamp = (await drc.get("/api/patients/1")).json()["updated_at"]
    later = await ids(drc, since=stamp)
    assert 1 in later
    a = await new(drc, first_name="Late")
    assert a["id"] in await ids(drc, since=a["updated_at"])
    assert 1 not in await ids(drc, since=a["updated_at"])


async def test_show_inactive_and_status_codes(drc: httpx.AsyncClient) -> None:
    a = await new(drc, first_name="Gone", patient_status="I")
    d = await new(drc, first_name="Dead", patient_status="D")
    listed = await ids(drc)
    assert a["id"] not in listed and d["id"] not in listed
    everyone = await ids(drc, show_inactive="true")
    assert {a["id"], d["id"]} <= set(everyone)
    assert (await drc.get(f"/api/patients/{d['id']}")).json()["patient_status"] == "D"
    r = await drc.patch(f"/api/patients/{a['id']}", json={"patient_status": "X"})
    assert r.status_code == 400 and list(r.json()) == ["patient_status"]


async def test_offices_from_appointments(drc: httpx.AsyncClient, store: Any) -> None:
    from canonical import Appointment, Ref

    backend = store.for_tenant(store.get_tenant("demo"))
    clinic = 1
    await backend.create(Appointment(patient=Ref(num=1), clinic=Ref(num=clinic)))
    assert (await drc.get("/api/patients/1")).json()["offices"] == [clinic]
    assert 1 in await ids(drc, offices=f"{clinic},999")
    assert 1 not in await ids(drc, offices="999")


async def test_verbose_keys_only_with_verbose(drc: httpx.AsyncClient) -> None:
    plain = (await drc.get("/api/patients/1")).json()
    verbose = (await drc.get("/api/patients/1", params={"verbose": "true"})).json()
    hidden = set(verbose) - set(plain)
    assert hidden == {
        "auto_accident_insurance",
        "primary_insurance",
        "secondary_insurance",
        "tertiary_insurance",
        "custom_demographics",
        "patient_flags",
        "patient_flags_attached",
        "referring_doctor",
        "workers_comp_insurance",
    }


async def test_required_and_read_only(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/patients", json={"first_name": "X"})
    assert r.status_code == 400
    assert r.json() == {
        "doctor": ["This field is required."],
        "gender": ["This field is required."],
    }
    a = await new(drc, first_name="Ro", id=5, created_at="2000-01-01T00:00:00", offices=[7])
    assert a["id"] != 5 and a["offices"] == [] and a["created_at"] != "2000-01-01T00:00:00"
    r = await drc.post("/api/patients", json={"doctor": 999, "gender": "Male"})
    assert r.status_code == 400 and r.json() == {
        "doctor": ['Invalid pk "999" - object does not exist.']
    }


async def test_payment_profile_needs_insurance(drc: httpx.AsyncClient) -> None:
    r = await drc.post(
        "/api/patients",
        json={"doctor": 1, "gender": "Male", "patient_payment_profile": "Auto Accident"},
    )
    assert r.status_code == 400 and list(r.json()) == ["patient_payment_profile"]
    a = await new(drc, secondary_insurance={"insurance_company": "X"})
    path = f"/api/patients/{a['id']}"
    assert (await drc.patch(path, json={"patient_payment_profile": "Insurance"})).status_code == 204
    r = await drc.patch(path, json={"patient_payment_profile": "Barter"})
    assert r.status_code == 400


async def test_insurances_employer_and_flags(drc: httpx.AsyncClient) -> None:
    a = await new(
        drc,
        employer="Acme",
        employer_city="Salem",
        workers_comp_insurance={"insurance_company": "WC Mutual"},
        patient_flags_attached=[{"flag_type": 1, "flag_text": "Needs ride"}],
        custom_demographics=[{"field_type": 1, "value": "blue"}],
        referring_doctor={"first_name": "Ann", "last_name": "Ref"},
    )
    path = f"/api/patients/{a['id']}"
    body = (await drc.get(path, params={"verbose": "true"})).json()
    assert body["employer"] == "Acme" and body["employer_city"] == "Salem"
    assert body["workers_comp_insurance"] == {"insurance_company": "WC Mutual"}
    assert body["custom_demographics"] == [{"field_type": 1, "value": "blue"}]
    assert body["referring_doctor"] == {"first_name": "Ann", "last_name": "Ref"}
    [flag] = body["patient_flags_attached"]
    assert (flag["flag_type"], flag["flag_text"], flag["archived"]) == (1, "Needs ride", False)
    assert [t["id"] for t in body["patient_flags"]] == [1]
    # A second patient with the same employer shares the employer record; a
    # change of address makes a new employer instead of editing the shared one.
    b = await new(drc, employer="Acme", employer_city="Salem")
    assert (await drc.patch(path, json={"employer_city": "Keizer"})).status_code == 204
    assert (await drc.get(f"/api/patients/{b['id']}")).json()["employer_city"] == "Salem"
    assert (await drc.get(path)).json()["employer_city"] == "Keizer"
    # The flag list is replaced: unlisted flags are archived.
    assert (await drc.patch(path, json={"patient_flags_attached": []})).status_code == 204
    body = (await drc.get(path, params={"verbose": "true"})).json()
    assert [f["archived"] for f in body["patient_flags_attached"]] == [True]
    # Nested objects cannot come in a form body.
    r = await drc.patch(path, data={"primary_insurance": "x"})
    assert r.status_code == 400 and list(r.json()) == ["primary_insurance"]


async def test_photo_is_refused_plainly(drc: httpx.AsyncClient) -> None:
    r = await drc.post(
        "/api/patients",
        data={"doctor": "1", "gender": "Male"},
        files={"patient_photo": ("p.png", b"\x89PNG")},
    )
    assert r.status_code == 400 and list(r.json()) == ["patient_photo"]


async def test_put_resets_absent_keys(drc: httpx.AsyncClient) -> None:
    a = await new(drc, first_name="Put", city="Salem", email="p@example.com")
    path = f"/api/patients/{a['id']}"
    r = await drc.put(path, json={"doctor": 1, "gender": "Male", "first_name": "Put"})
    assert r.status_code == 204
    body = (await drc.get(path)).json()
    assert (body["city"], body["email"], body["first_name"]) == ("", "", "Put")


async def test_delete(drc: httpx.AsyncClient) -> None:
    a = await new(drc, first_name="Bye")
    path = f"/api/patients/{a['id']}"
    r = await drc.delete(path)
    assert r.status_code == 204 and r.content == b""
    assert (await drc.get(path)).status_code == 404
    assert a["id"] not in await ids(drc, show_inactive="true")


async def test_summary(drc: httpx.AsyncClient) -> None:
    r = await drc.post("/api/patients_summary", json={"doctor": 1, "gender": "Male"})
    assert r.status_code == 400 and r.json() == {"date_of_birth": ["This field is required."]}
    r = await drc.get("/api/patients_summary", params={"last_name": "smith"})
    assert r.json()["results"]
    assert all("smith" in p["last_name"].lower() for p in r.json()["results"])
    assert list(r.json()["results"][0]) == [
        "date_of_birth",
        "doctor",
        "gender",
        "chart_id",
        "first_name",
        "last_name",
        "id",
    ]
    assert (
        await drc.patch("/api/patients_summary/1", data={"first_name": "Jon"})
    ).status_code == 204
    assert (await drc.get("/api/patients/1")).json()["first_name"] == "Jon"


# -- the list is batch-shaped ------------------------------------------------------


async def _page_setup(drc: httpx.AsyncClient, store: Any, count: int) -> list[int]:
    """``count`` new patients, each with an employer, an insurance, flags of two
    types and appointments in two offices: every kind a listed patient looks up."""
    from canonical import Appointment, Ref

    backend = store.for_tenant(store.get_tenant("demo"))
    made: list[int] = []
    for i in range(count):
        p = await new(
            drc,
            first_name=f"Batch{i}",
            employer=f"Employer {i % 3}",
            primary_insurance={"insurance_company": "Acme"},
            patient_flags_attached=[
                {"flag_type": 1 + i % 2, "flag_text": "one"},
                {"flag_type": 3, "flag_text": "two", "archived": True},
            ],
        )
        for clinic in (1 + i % 2, 3):
            await backend.create(Appointment(patient=Ref(num=p["id"]), clinic=Ref(num=clinic)))
        made.append(p["id"])
    return made


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every ``find``/``get_many`` the store answers, as "method:resource"."""
    from gateway.backends.store.store import TenantStore

    calls: list[str] = []
    for method in ("find", "get_many", "get"):
        original = getattr(TenantStore, method)

        def counted(self: Any, model: Any, *a: Any, _o: Any = original, _m: str = method, **k: Any):  # type: ignore[no-untyped-def]
            calls.append(f"{_m}:{model.resource}")
            return _o(self, model, *a, **k)

        monkeypatch.setattr(TenantStore, method, counted)
    return calls


@pytest.mark.parametrize("verbose", [False, True])
async def test_list_reads_one_query_per_kind_whatever_the_page_size(
    drc: httpx.AsyncClient, store: Any, monkeypatch: pytest.MonkeyPatch, verbose: bool
) -> None:
    made = await _page_setup(drc, store, 12)
    calls = _count_reads(monkeypatch)
    pages: dict[int, list[str]] = {}
    for size in (2, 12):
        calls.clear()
        params = {"page_size": size, "first_name": "Batch", "verbose": str(verbose).lower()}
        r = await drc.get("/api/patients", params=params)
        assert [p["id"] for p in r.json()["results"]] == made[:size]
        pages[size] = sorted(calls)
    assert pages[2] == pages[12]
    assert len(pages[12]) == len(set(pages[12]))  # one read per kind
    assert "find:appointment" in pages[12]
    assert ("find:patient_alert" in pages[12]) is verbose


async def test_list_shows_what_each_patient_shows(drc: httpx.AsyncClient, store: Any) -> None:
    """A listed patient is byte for byte the patient read alone, verbose or not;
    the flags and offices of one patient are not mixed with another's."""
    made = await _page_setup(drc, store, 4)
    for verbose in ("false", "true"):
        params = {"first_name": "Batch", "verbose": verbose}
        listed = (await drc.get("/api/patients", params=params)).json()["results"]
        for item, num in zip(listed, made, strict=True):
            alone = (await drc.get(f"/api/patients/{num}", params={"verbose": verbose})).json()
            assert item == alone and list(item) == list(alone)
        assert listed[1]["offices"] == [2, 3]
    assert [f["flag_type"] for f in listed[1]["patient_flags_attached"]] == [2, 3]
    assert [t["id"] for t in listed[1]["patient_flags"]] == [2, 3]
    assert listed[1]["employer"] == "Employer 1"


EMPLOYER_ADDRESS = {
    "employer_address": "1 Main St",
    "employer_city": "Salem",
    "employer_state": "OR",
    "employer_zip_code": "97301",
}


def employer_of(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body[k] for k in ("employer", *EMPLOYER_ADDRESS)}


async def test_employer_address_without_an_employer_name_is_kept(drc: httpx.AsyncClient) -> None:
    # Seed 004 lists each employer_* key as an optional string of its own: an
    # address with no employer name is still the patient's employer address.
    path = "/api/patients/15"
    assert (await drc.get(path)).json()["employer"] == ""
    assert (await drc.patch(path, json=EMPLOYER_ADDRESS)).status_code == 204
    got = (await drc.get(path)).json()
    assert employer_of(got) == {"employer": "", **EMPLOYER_ADDRESS}
    # A round trip (PUT back what GET gave) keeps them.
    assert (await drc.put(path, json=got)).status_code == 204
    assert employer_of((await drc.get(path)).json()) == employer_of(got)
    # A name added later joins the address; one key changed keeps the others.
    assert (await drc.patch(path, data={"employer": "Acme"})).status_code == 204
    assert (await drc.patch(path, data={"employer_zip_code": "97302"})).status_code == 204
    got = employer_of((await drc.get(path)).json())
    assert got == {**EMPLOYER_ADDRESS, "employer": "Acme", "employer_zip_code": "97302"}
    # Every key emptied: no employer at all.
    empty = dict.fromkeys(got, "")
    assert (await drc.patch(path, json=empty)).status_code == 204
    assert employer_of((await drc.get(path)).json()) == empty


async def test_employer_address_on_post_and_put(drc: httpx.AsyncClient) -> None:
    a = await new(drc, **EMPLOYER_ADDRESS)
    assert employer_of(a) == {"employer": "", **EMPLOYER_ADDRESS}
    path = f"/api/patients/{a['id']}"
    assert employer_of((await drc.get(path)).json()) == employer_of(a)
    # PUT replaces: employer keys it leaves out of a set it sends are emptied.
    body = {"doctor": 1, "gender": "Male", "employer_city": "Keizer"}
    assert (await drc.put(path, json=body)).status_code == 204
    got = employer_of((await drc.get(path)).json())
    assert got == {"employer": "", **dict.fromkeys(EMPLOYER_ADDRESS, ""), "employer_city": "Keizer"}
    # A PUT with no employer key at all leaves the employer alone, as it does
    # the insurance objects (the nested parts a client often omits).
    assert (await drc.put(path, json={"doctor": 1, "gender": "Male"})).status_code == 204
    assert employer_of((await drc.get(path)).json()) == got


async def test_employer_keys_must_be_strings(drc: httpx.AsyncClient) -> None:
    path = "/api/patients/15"
    before = (await drc.get(path)).json()
    for bad in ({"employer_city": {"x": 1}}, {"employer_state": ["OR"]}, {"employer": "a\x00b"}):
        r = await drc.patch(path, json={**bad, "employer_address": "2 Elm St"})
        assert r.status_code == 400 and list(r.json()) == list(bad), r.text
    assert (await drc.get(path)).json() == before
