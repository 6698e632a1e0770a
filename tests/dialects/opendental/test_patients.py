"""Open Dental Patients (apipatients.md): the documented examples, round trips,
and every rule of POST and PUT. Searches are in test_patient_search.py."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from typing import Any

import httpx
import pytest

from canonical import Gender, Patient, Ref, utcnow
from canonical.patient import ContactMethod
from dialects import translate
from dialects.codec import CodecContext
from dialects.opendental.patient_codec import CODEC
from gateway.backends.store import Store
from tests.dialects.opendental.examples import check_example
from tests.dialects.opendental.patient_helpers import backend, edit, get, nums, snapshot
from tests.support import examples

EXAMPLES = examples("opendental/patients")
DEMO = json.loads((resources.files("fixtures") / "demo/opendental/patient.json").read_text())


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    r = await check_example(od, example)
    if example["response"]["status"] == 201:
        num = r.json()["PatNum"]
        assert r.headers["location"] == f"http://testserver/opendental/api/v1/patients/{num}"
        assert r.json()["ImageFolder"] == f"SmithJane{num}"
        assert r.json()["Guarantor"] == num


def test_demo_patients_translate_losslessly() -> None:
    """Every demo patient reads into a canonical record and writes back unchanged."""
    for patient in DEMO:
        assert translate(patient, "patient", read="opendental", write="opendental") == patient


def test_own_guarantor_is_canonically_none() -> None:
    record = translate(DEMO[0], "patient", read="opendental")
    assert record.num == 1 and record.guarantor is None
    member = translate(next(p for p in DEMO if p["PatNum"] == 16), "patient", read="opendental")
    assert member.guarantor.num == 15


async def test_get_one_errors(od: httpx.AsyncClient, store: Store) -> None:
    assert (await od.get("/patients/9999")).status_code == 404
    assert (await od.get("/patients/abc")).status_code == 400
    assert (await od.get("/patients/48", params={"LName": "x"})).status_code == 400
    await edit(store, Patient, 46, deleted_at=utcnow())
    r = await od.get("/patients/46")
    assert r.status_code == 404 and isinstance(r.json(), str)


async def test_balance_total_only_for_the_guarantor(od: httpx.AsyncClient) -> None:
    assert (await get(od, 15))["BalTotal"] == 98.0
    member = await get(od, 16)
    assert (member["Guarantor"], member["BalTotal"], member["EstBalance"]) == (15, 0.0, 36.0)


# -- POST -----------------------------------------------------------------------

FULL = {
    "LName": "O'Neil",
    "FName": "Máire",
    "MiddleI": "K",
    "Preferred": "Moira",
    "PatStatus": "Prospective",
    "Gender": "Other",
    "Position": "Widowed",
    "Birthdate": "1950-01-31",
    "SSN": "123456789",
    "Address": "1 Main St",
    "Address2": "Unit 4",
    "City": "Portland",
    "State": "OR",
    "Zip": "97201-1234",
    "HmPhone": "(503)555-9000",
    "WkPhone": "503-555-9001",
    "WirelessPhone": "5035559002",
    "Guarantor": 0,
    "Email": "moira@example.com",
    "PriProv": 2,
    "SecProv": 3,
    "FeeSched": 1,
    "BillingType": "Finance Charge",
    "FamFinUrgNote": "Prefers paper statements",
    "ChartNumber": "ONEIL-000000001",
    "MedicaidID": "M123",
    "EmployerNum": 1,
    "DateFirstVisit": "2024-02-29",
    "ClinicNum": 3,
    "Premed": "true",
    "Ward": "West",
    "PreferConfirmMethod": "TextMessage",
    "PreferContactMethod": "Email",
    "PreferRecallMethod": "Mail",
    "Language": "gle",
    "AdmitDate": "2024-03-01",
    "TxtMsgOk": "No",
}


async def test_post_every_field_then_get(od: httpx.AsyncClient) -> None:
    r = await od.post("/patients", json=FULL)
    assert r.status_code == 201, r.text
    created = r.json()
    again = await get(od, created["PatNum"])
    assert again == created
    for key, value in FULL.items():
        expected = created["PatNum"] if key == "Guarantor" else value
        assert again[key] == expected, key
    assert (again["priProvAbbr"], again["secProvAbbr"], again["clinicAbbr"]) == (
        "DOC2",
        "HYG1",
        "Downtown",
    )
    assert again["ImageFolder"] == f"ONeilMáire{created['PatNum']}"
    assert again["SecDateEntry"] == again["DateTStamp"][:10]


async def test_post_defaults(od: httpx.AsyncClient) -> None:
    r = await od.post("/patients", json={"LName": "Doe", "FName": "Jan"})
    assert r.status_code == 201, r.text
    got = r.json()
    assert {
        k: got[k]
        for k in (
            "PatStatus",
            "Gender",
            "Position",
            "TxtMsgOk",
            "PreferConfirmMethod",
            "PreferContactMethod",
            "PreferRecallMethod",
            "Premed",
            "PriProv",
            "BillingType",
            "FeeSched",
            "SuperFamily",
            "Birthdate",
        )
    } == {
        "PatStatus": "Patient",
        "Gender": "Unknown",
        "Position": "Single",
        "TxtMsgOk": "Unknown",
        "PreferConfirmMethod": "None",
        "PreferContactMethod": "None",
        "PreferRecallMethod": "None",
        "Premed": "false",
        "PriProv": 1,
        "BillingType": "Standard Account",
        "FeeSched": 0,
        "SuperFamily": 0,
        "Birthdate": "0001-01-01",
    }
    assert got["Guarantor"] == got["PatNum"]


@pytest.mark.parametrize(
    "extra",
    [
        {"Zip": "12345"},
        {"Zip": "12345-1234"},
        {"Zip": "123456789"},
        {"Zip": "K1A 0B1", "State": "Ontario"},
        {"Zip": ""},
        {"State": "WA"},
        {"SSN": "12-AB-34"},  # free format outside the USA
    ],
)
async def test_post_accepts_documented_formats(
    od: httpx.AsyncClient, store: Store, extra: dict[str, Any]
) -> None:
    body = {"LName": "Format", "FName": "Ok", **extra}
    if "SSN" in extra:
        body["Zip"] = "V6B 1A1"
    r = await od.post("/patients", json=body)
    assert r.status_code == 201, r.text
    for key, value in body.items():
        assert r.json()[key] == value


DUPLICATE = {"LName": "smith", "FName": "JANE", "Birthdate": "1976-05-24"}


@pytest.mark.parametrize(
    ("body", "status", "names"),
    [
        ({}, 400, "LName"),
        ({"LName": "A"}, 400, "FName"),
        ({"FName": "B"}, 400, "LName"),
        ({"LName": "", "FName": "B"}, 400, "LName"),
        ({"LName": "A", "FName": "  "}, 400, "FName"),
        ({"LName": None, "FName": "B"}, 400, "LName"),
        ({"LName": 5, "FName": "B"}, 400, "LName"),
        ({"PatStatus": "Deleted"}, 400, "PatStatus"),
        ({"PatStatus": "patient"}, 400, "PatStatus"),
        ({"Gender": "Nonbinary"}, 400, "Gender"),
        ({"Position": "Engaged"}, 400, "Position"),
        ({"PreferConfirmMethod": "Phone"}, 400, "PreferConfirmMethod"),
        ({"PreferContactMethod": "Fax"}, 400, "PreferContactMethod"),
        ({"PreferRecallMethod": 1}, 400, "PreferRecallMethod"),
        ({"TxtMsgOk": "Maybe"}, 400, "TxtMsgOk"),
        ({"Birthdate": "2021-02-30"}, 400, "Birthdate"),
        ({"Birthdate": "05/24/1976"}, 400, "Birthdate"),
        ({"DateFirstVisit": "2021-13-01"}, 400, "DateFirstVisit"),
        ({"AdmitDate": "soon"}, 400, "AdmitDate"),
        ({"Zip": "1234"}, 400, "Zip"),
        ({"Zip": "12345-12"}, 400, "Zip"),
        ({"Zip": "a0a 0a0"}, 400, "Zip"),
        ({"Zip": 97301}, 400, "Zip"),
        ({"ChartNumber": "1234567890123456"}, 400, "ChartNumber"),
        ({"State": "ca"}, 400, "State"),
        ({"State": "Oregon"}, 400, "State"),
        ({"SSN": "123-45-6789"}, 400, "SSN"),
        ({"Premed": "yes"}, 400, "Premed"),
        ({"Email": ["a@b.c"]}, 400, "Email"),
        ({"PriProv": "abc"}, 400, "PriProv"),
        ({"Guarantor": -1}, 400, "Guarantor"),
        ({"Guarantor": 15, "SuperFamily": 29}, 400, "SuperFamily"),
        ({"Guarantor": 15, "FamFinUrgNote": "note"}, 400, "FamFinUrgNote"),
        ({"Guarantor": 16}, 400, "Guarantor"),
        ({"SuperFamily": 30}, 400, "SuperFamily"),
        ({"SuperFamily": 33}, 400, "SuperFamily"),
        ({"BillingType": "Nope"}, 400, "BillingType"),
        ({"BillingType": "Misc"}, 400, "BillingType"),
        ({"BillingType": ""}, 400, "BillingType"),
        ({"Bogus": 1}, 400, "Bogus"),
        ({"PatNum": 5}, 400, "PatNum"),
        ({"EstBalance": 5}, 400, "EstBalance"),
        ({"ImageFolder": "x"}, 400, "ImageFolder"),
        ({"priProvAbbr": "DOC2"}, 400, "priProvAbbr"),
        ({"PriProv": 99}, 404, "PriProv"),
        ({"SecProv": 99}, 404, "SecProv"),
        ({"ClinicNum": 99}, 404, "ClinicNum"),
        ({"EmployerNum": 99}, 404, "EmployerNum"),
        ({"FeeSched": 99}, 404, "FeeSched"),
        ({"Guarantor": 9999}, 404, "Guarantor"),
        ({"SuperFamily": 9999}, 404, "SuperFamily"),
        ({**DUPLICATE, "Email": "SMITHFAM@yahoo.com"}, 400, "already exists"),
        ({**DUPLICATE, "WirelessPhone": "536.624.5871"}, 400, "already exists"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, names: str
) -> None:
    if body and "LName" not in body and "FName" not in body:
        body = {"LName": "Bad", "FName": "Input", **body}
    before = await snapshot(store)
    r = await od.post("/patients", json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str) and names in r.json()
    assert await snapshot(store) == before


async def test_duplicate_needs_email_or_phone_to_match(od: httpx.AsyncClient) -> None:
    # Same name and birthdate, but different contact details: a different person.
    r = await od.post("/patients", json={**DUPLICATE, "Email": "other@example.com"})
    assert r.status_code == 201, r.text
    r = await od.post("/patients", json=DUPLICATE)
    assert r.status_code == 201, r.text


async def test_duplicate_ignores_deleted_patients(od: httpx.AsyncClient, store: Store) -> None:
    body = {**DUPLICATE, "Email": "smithfam@yahoo.com"}
    for num in (16, 48):
        await edit(store, Patient, num, deleted_at=utcnow())
    assert (await od.post("/patients", json=body)).status_code == 201


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", b"", b'"text"'], ids=["malformed", "list", "empty", "string"]
)
async def test_malformed_bodies(od: httpx.AsyncClient, content: bytes) -> None:
    r = await od.post("/patients", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and isinstance(r.json(), str)
    r = await od.put("/patients/12", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and isinstance(r.json(), str)


async def test_post_joins_a_family_and_its_super_family(od: httpx.AsyncClient) -> None:
    r = await od.post("/patients", json={"LName": "Brown", "FName": "Mia", "Guarantor": 29})
    assert r.status_code == 201, r.text
    assert (r.json()["Guarantor"], r.json()["SuperFamily"], r.json()["BalTotal"]) == (29, 29, 0.0)
    assert r.json()["PatNum"] in await nums(od, "/patients/Simple", {"Guarantor": 29})


async def test_post_creates_a_super_family(od: httpx.AsyncClient) -> None:
    r = await od.post("/patients", json={"LName": "Smith", "FName": "Ann", "SuperFamily": 15})
    assert r.status_code == 201, r.text
    new = r.json()["PatNum"]
    assert r.json()["SuperFamily"] == 15
    assert await nums(od, "/patients/Simple", {"SuperFamily": 15}) == [15, 16, new]


# -- PUT ------------------------------------------------------------------------


async def test_put_then_get_round_trip(od: httpx.AsyncClient) -> None:
    body = {k: v for k, v in FULL.items() if k not in ("Guarantor", "FamFinUrgNote")}
    r = await od.put("/patients/12", json=body)
    assert r.status_code == 200, r.text
    again = await get(od, 12)
    assert again == r.json()
    for key, value in body.items():
        assert again[key] == value, key
    assert again["ImageFolder"] == "GarciaMaria12"  # the folder stays where it is


async def test_put_changes_only_what_it_sends(od: httpx.AsyncClient) -> None:
    before = await get(od, 73)
    r = await od.put("/patients/73", json={"Email": "rtaylor@example.org"})
    after = r.json()
    assert {k for k in before if before[k] != after[k]} == {"Email", "DateTStamp"}


async def test_put_empty_string_clears(od: httpx.AsyncClient) -> None:
    body = {"MiddleI": "", "Address2": "", "Email": "", "Zip": "", "State": "", "Birthdate": ""}
    r = await od.put("/patients/12", json=body)
    assert r.status_code == 200, r.text
    got = await get(od, 12)
    assert {k: got[k] for k in body} == {**body, "Birthdate": "0001-01-01"}


async def test_put_nothing_new_keeps_date_t_stamp(od: httpx.AsyncClient) -> None:
    before = await get(od, 73)
    r = await od.put("/patients/73", json={"LName": "Taylor", "Guarantor": 73})
    assert r.status_code == 200 and r.json() == before


@pytest.mark.parametrize(
    ("path", "body", "status", "names"),
    [
        ("/patients/12", {"LName": ""}, 400, "LName"),
        ("/patients/12", {"FName": " "}, 400, "FName"),
        ("/patients/12", {"LName": None}, 400, "LName"),
        ("/patients/12", {"Gender": "F"}, 400, "Gender"),
        ("/patients/12", {"Birthdate": "2021-02-30"}, 400, "Birthdate"),
        ("/patients/12", {"Zip": "9730"}, 400, "Zip"),
        ("/patients/12", {"State": "or"}, 400, "State"),
        ("/patients/12", {"ChartNumber": "X" * 16}, 400, "ChartNumber"),
        ("/patients/12", {"PatNum": 13}, 400, "PatNum"),
        ("/patients/12", {"DateTStamp": "2021-01-01 00:00:00"}, 400, "DateTStamp"),
        ("/patients/12", {"Bogus": "x"}, 400, "Bogus"),
        ("/patients/12", {"Guarantor": 15, "SuperFamily": 0}, 400, "SuperFamily"),
        ("/patients/12", {"PriProv": 99}, 404, "PriProv"),
        ("/patients/12", {"ClinicNum": 99}, 404, "ClinicNum"),
        ("/patients/12", {"EmployerNum": 99}, 404, "EmployerNum"),
        ("/patients/12", {"FeeSched": 99}, 404, "FeeSched"),
        ("/patients/12", {"BillingType": "Nope"}, 400, "BillingType"),
        ("/patients/12", {"Guarantor": 9999}, 404, "Guarantor"),
        ("/patients/16", {"FamFinUrgNote": "x"}, 400, "FamFinUrgNote"),
        ("/patients/30", {"Guarantor": 31}, 400, "Guarantor"),
        ("/patients/16", {"Guarantor": 30}, 400, "Guarantor"),
        ("/patients/29", {"Guarantor": 1}, 400, "Guarantor"),
        ("/patients/1", {"SuperFamily": 30}, 400, "SuperFamily"),
        ("/patients/1", {"SuperFamily": 33}, 400, "SuperFamily"),
        ("/patients/1", {"SuperFamily": 9999}, 404, "SuperFamily"),
        ("/patients/9999", {"Email": "x"}, 404, "Patient"),
        ("/patients/abc", {"Email": "x"}, 400, "PatNum"),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient,
    store: Store,
    path: str,
    body: dict[str, Any],
    status: int,
    names: str,
) -> None:
    before = await snapshot(store)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str) and names in r.json()
    assert await snapshot(store) == before


async def test_deleted_patient_cannot_be_modified(od: httpx.AsyncClient, store: Store) -> None:
    await edit(store, Patient, 46, deleted_at=utcnow())
    before = await snapshot(store)
    r = await od.put("/patients/46", json={"Email": "x@example.com"})
    assert r.status_code == 400 and "deleted" in r.json()
    assert await snapshot(store) == before
    r = await od.post("/patients", json={"LName": "Adams", "FName": "Kid", "Guarantor": 46})
    assert r.status_code == 404


async def test_family_note_for_the_guarantor(od: httpx.AsyncClient) -> None:
    r = await od.put("/patients/15", json={"FamFinUrgNote": "Card declined in May"})
    assert r.status_code == 200 and r.json()["FamFinUrgNote"] == "Card declined in May"


# -- families --------------------------------------------------------------------


async def test_member_leaves_the_family(od: httpx.AsyncClient) -> None:
    r = await od.put("/patients/16", json={"Guarantor": 16})
    assert r.status_code == 200 and r.json()["Guarantor"] == 16
    assert await nums(od, "/patients/Simple", {"Guarantor": 15}) == [15]


async def test_guarantor_hands_the_family_to_a_member(od: httpx.AsyncClient) -> None:
    r = await od.put("/patients/15", json={"Guarantor": 16})
    assert r.status_code == 200 and r.json()["Guarantor"] == 16
    assert (await get(od, 16))["Guarantor"] == 16
    assert await nums(od, "/patients/Simple", {"Guarantor": 16}) == [15, 16]
    assert await nums(od, "/patients/Simple", {"Guarantor": 15}) == []


async def test_member_cannot_pick_another_member(od: httpx.AsyncClient, store: Store) -> None:
    assert (await od.put("/patients/48", json={"Guarantor": 15})).status_code == 200
    before = await snapshot(store)
    r = await od.put("/patients/16", json={"Guarantor": 48})
    assert r.status_code == 400 and "family member" in r.json()
    assert await snapshot(store) == before


async def test_member_moves_to_another_family(od: httpx.AsyncClient) -> None:
    r = await od.put("/patients/16", json={"Guarantor": 29})
    assert (r.json()["Guarantor"], r.json()["SuperFamily"]) == (29, 29)
    assert await nums(od, "/patients/Simple", {"Guarantor": 29}) == [16, 29, 30]


async def test_family_joins_a_super_family(od: httpx.AsyncClient) -> None:
    r = await od.put("/patients/16", json={"SuperFamily": 29})
    assert r.status_code == 200 and r.json()["SuperFamily"] == 29
    assert await nums(od, "/patients/Simple", {"SuperFamily": 29}) == [15, 16, 29, 30, 31, 33]


async def test_super_family_created_around_its_head(od: httpx.AsyncClient) -> None:
    r = await od.put("/patients/2", json={"SuperFamily": 1})
    assert r.status_code == 200
    assert await nums(od, "/patients/Simple", {"SuperFamily": 1}) == [1, 2]


async def test_family_leaves_a_super_family(od: httpx.AsyncClient) -> None:
    r = await od.put("/patients/31", json={"SuperFamily": 0})
    assert r.status_code == 200 and r.json()["SuperFamily"] == 0
    assert await nums(od, "/patients/Simple", {"SuperFamily": 29}) == [29, 30]
    assert (await get(od, 33))["SuperFamily"] == 0


async def test_head_family_leaving_disbands_the_super_family(od: httpx.AsyncClient) -> None:
    assert (await od.put("/patients/30", json={"SuperFamily": 0})).status_code == 200
    assert await nums(od, "/patients/Simple", {"SuperFamily": 29}) == []


# -- lossless --------------------------------------------------------------------


async def test_values_without_od_text_survive_a_read_modify_write(
    od: httpx.AsyncClient, store: Store
) -> None:
    await edit(
        store,
        Patient,
        12,
        gender=Gender.non_binary,
        preferred_contact_method=ContactMethod.phone,
    )
    shown = await get(od, 12)
    assert (shown["Gender"], shown["PreferContactMethod"]) == ("Other", "HmPhone")
    r = await od.put(
        "/patients/12", json={"Gender": "Other", "PreferContactMethod": "HmPhone", "City": "Bend"}
    )
    assert r.status_code == 200
    record = await backend(store).get(Patient, num=12)
    assert (record.gender, record.preferred_contact_method) == (
        Gender.non_binary,
        ContactMethod.phone,
    )
    await od.put("/patients/12", json={"Gender": "Female"})
    assert (await backend(store).get(Patient, num=12)).gender is Gender.female


JUNK: list[Any] = [None, [], {"a": 1}, 1.5, True, -7, "x" * 300]


async def test_wrong_types_never_break_the_server(od: httpx.AsyncClient, store: Store) -> None:
    """Every writable field, every kind of junk: a 400/404 that changes nothing, or a
    value the field really accepts."""
    for field in sorted(FULL):
        for value in JUNK:
            before = await snapshot(store)
            body = {"LName": "Junk", "FName": "Test", field: value}
            post = await od.post("/patients", json=body)
            put = await od.put("/patients/12", json={field: value})
            for r in (post, put):
                assert r.status_code in (200, 201, 400, 404), (field, value, r.text)
                if r.status_code >= 400:
                    assert isinstance(r.json(), str)
            if post.status_code >= 400 and put.status_code >= 400:
                assert await snapshot(store) == before, (field, value)


async def test_date_format_strings(od: httpx.AsyncClient) -> None:
    r = await od.get(
        "/patients/48",
        params={"DateFormatString": "MM/dd/yyyy", "DateTimeFormatString": "dd/MM/yyyy HH:mm"},
    )
    got = r.json()
    assert (got["Birthdate"], got["DateTStamp"], got["SecDateEntry"]) == (
        "05/24/1976",
        "08/12/2021 15:34",
        "12/04/2021",
    )


async def test_patient_from_another_dialect_gets_the_default_image_folder(
    od: httpx.AsyncClient, store: Store
) -> None:
    created = await backend(store).create(Patient(last_name="Van Dyke", first_name="Ana"))
    got = await get(od, created.num or 0)
    assert got["ImageFolder"] == f"VanDykeAna{created.num}"
    assert (got["Guarantor"], got["BillingType"], got["PriProv"]) == (created.num, "", 0)


def test_self_guarantor_from_another_source_is_a_family_head() -> None:
    record = Patient(
        num=7, last_name="A", first_name="B", guarantor=Ref(num=7), balance_total=Decimal("5")
    )
    out = CODEC.encode(record, CodecContext(), only=("Guarantor", "BalTotal"))
    assert out == {"Guarantor": 7, "BalTotal": 5.0}
