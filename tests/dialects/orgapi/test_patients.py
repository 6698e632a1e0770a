"""Org API patients (seed 003): the documented examples, then get/create/update/
archive/restore/transition rules, errors and Open Dental round trips."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import pytest

from canonical import Patient, PatientStatus, Ref
from gateway.backends.store import Store
from gateway.demo import demo_uuid
from tests.dialects.orgapi.schemas import assert_schema
from tests.dialects.orgapi.support import (
    CLINIC_1,
    EMPLOYER_1,
    FEE_SCHEDULE_1,
    NOWHERE,
    P15,
    PROVIDER_1,
    PROVIDER_2,
    backend,
    billing_type,
    make,
    patient_count,
    snapshot,
)
from tests.support import examples

EXAMPLES = examples("orgapi/patients")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    req, expected = example["request"], example["response"]
    patient = str(demo_uuid("patient", req.get("patient_num", 15)))
    path = req["path"].replace("{patient_uuid}", patient)
    r = await org.request(req["method"], path.lstrip("/"), json=req.get("body"))
    assert r.status_code == expected["status"], r.text
    assert_schema(r.json(), expected["schema"])
    if "error_locs" in expected:
        assert [e["loc"] for e in r.json()["detail"]] == expected["error_locs"]


# -- get ----------------------------------------------------------------------


async def test_get_shows_lightweight_references(org: httpx.AsyncClient) -> None:
    r = await org.get(f"patients/{P15}")
    assert r.status_code == 200
    body = r.json()
    assert_schema(body, "patient.json")
    assert body["id"] == P15
    assert body["primary_provider"] == {"id": PROVIDER_1, "name": "Albert Abbott"}


@pytest.mark.parametrize("ident", [NOWHERE, "not-a-uuid", "15"])
async def test_get_unknown_is_404(org: httpx.AsyncClient, ident: str) -> None:
    r = await org.get(f"patients/{ident}")
    assert r.status_code == 404
    assert r.json() == {"detail": "Patient not found."}


# -- create -------------------------------------------------------------------


async def test_create_minimal_defaults_and_read_back(org: httpx.AsyncClient) -> None:
    created = await make(org, first_name="Ada", last_name="Lovelace")
    assert_schema(created, "patient.json")
    assert (created["status"], created["allergy_review_status"], created["version"]) == (
        "active",
        "not_reviewed",
        1,
    )
    assert created["gender"] == "unknown" and created["deleted_at"] is None
    again = (await org.get(f"patients/{created['id']}")).json()
    assert again == created


async def test_create_with_every_reference(org: httpx.AsyncClient, store: Store) -> None:
    billing = await billing_type(store)
    guarantor = await make(org, first_name="Gus", last_name="Guarantor")
    body = {
        "first_name": "Rita",
        "last_name": "Refs",
        "primary_provider_uuid": PROVIDER_1,
        "secondary_provider_uuid": PROVIDER_2,
        "location_uuid": CLINIC_1,
        "employer_uuid": EMPLOYER_1,
        "fee_schedule_uuid": FEE_SCHEDULE_1,
        "billing_type_uuid": str(billing.uuid),
        "responsible_party_uuid": guarantor["id"],
        "date_of_birth": "1990-02-28",
        "date_time_deceased": None,
        "gender": "non_binary",
        "pronoun": "they_them",
        "receives_sms": True,
        "receives_email": False,
        "ask_to_arrive_early_mins": 15,
        "billing_account": {"mode": "new_family"},
    }
    r = await org.post("patients", json=body)
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["primary_provider"] == {"id": PROVIDER_1, "name": "Albert Abbott"}
    assert got["secondary_provider"]["id"] == PROVIDER_2
    assert got["location"] == {"id": CLINIC_1, "name": "Southside Family Dental"}
    assert got["employer"] == {"id": EMPLOYER_1, "name": "Salem Public Schools"}
    assert got["fee_schedule"] == {"id": FEE_SCHEDULE_1, "name": "Standard"}
    assert got["billing_type"] == {"id": str(billing.uuid), "name": billing.name}
    assert got["responsible_party"] == {"id": guarantor["id"], "name": "Gus Guarantor"}
    assert (got["receives_sms"], got["receives_email"], got["pronoun"]) == (
        True,
        False,
        "they_them",
    )
    assert "billing_account" not in got
    stored = await backend(store).get(Patient, uuid=UUID(got["id"]))
    assert stored.extensions["orgapi"]["billing_account"] == {"mode": "new_family"}
    assert stored.guarantor is not None and str(stored.guarantor.uuid) == guarantor["id"]


@pytest.mark.parametrize(
    ("body", "loc", "kind"),
    [
        ({"last_name": "X"}, ["body", "first_name"], "missing"),
        ({"first_name": "X"}, ["body", "last_name"], "missing"),
        ({"first_name": 5, "last_name": "X"}, ["body", "first_name"], "value_error"),
        ({"first_name": " ", "last_name": "X"}, ["body", "first_name"], "value_error"),
        ({"first_name": None, "last_name": "X"}, ["body", "first_name"], "value_error"),
        (
            {"first_name": "X", "last_name": "Y", "gender": "robot"},
            ["body", "gender"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "status": "sleeping"},
            ["body", "status"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "status": "archived"},
            ["body", "status"],
            "value_error",
        ),
        ({"first_name": "X", "last_name": "Y", "email": "nope"}, ["body", "email"], "value_error"),
        (
            {"first_name": "X", "last_name": "Y", "date_of_birth": "2023-02-30"},
            ["body", "date_of_birth"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "date_of_birth": "02/03/2001"},
            ["body", "date_of_birth"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "date_time_deceased": "yesterday"},
            ["body", "date_time_deceased"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "consent_flags": "5"},
            ["body", "consent_flags"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "consent_flags": True},
            ["body", "consent_flags"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "ask_to_arrive_early_mins": 121},
            ["body", "ask_to_arrive_early_mins"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "premedication_required": "yes"},
            ["body", "premedication_required"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "primary_provider_uuid": "abc"},
            ["body", "primary_provider_uuid"],
            "value_error",
        ),
        (
            {"first_name": "X", "last_name": "Y", "billing_account": []},
            ["body", "billing_account"],
            "value_error",
        ),
        ({"first_name": "X", "last_name": "Y", "id": NOWHERE}, ["body", "id"], "extra_forbidden"),
        (
            {"first_name": "X", "last_name": "Y", "version": 3},
            ["body", "version"],
            "extra_forbidden",
        ),
        (
            {"first_name": "X", "last_name": "Y", "nickname": "Z"},
            ["body", "nickname"],
            "extra_forbidden",
        ),
    ],
)
async def test_create_bad_input_is_422_and_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], loc: list[Any], kind: str
) -> None:
    before = await snapshot(store)
    r = await org.post("patients", json=body)
    assert r.status_code == 422, r.text
    assert_schema(r.json(), "validation_error.json")
    assert [(e["loc"], e["type"]) for e in r.json()["detail"]] == [(loc, kind)]
    assert await snapshot(store) == before


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("primary_provider_uuid", "Primary provider not found."),
        ("secondary_provider_uuid", "Secondary provider not found."),
        ("location_uuid", "Location not found."),
        ("fee_schedule_uuid", "Fee schedule not found."),
        ("employer_uuid", "Employer not found."),
        ("billing_type_uuid", "Billing type not found."),
        ("responsible_party_uuid", "Responsible party not found."),
    ],
)
async def test_create_with_unknown_reference_is_404(
    org: httpx.AsyncClient, store: Store, field: str, message: str
) -> None:
    before = await patient_count(store)
    r = await org.post("patients", json={"first_name": "X", "last_name": "Y", field: NOWHERE})
    assert r.status_code == 404
    assert r.json() == {"detail": message}
    assert await patient_count(store) == before


async def test_billing_type_must_be_a_billing_type(org: httpx.AsyncClient) -> None:
    # A provider's uuid is not a billing type.
    r = await org.post(
        "patients", json={"first_name": "X", "last_name": "Y", "billing_type_uuid": PROVIDER_1}
    )
    assert r.status_code == 404


async def test_duplicate_chart_number_is_409(org: httpx.AsyncClient, store: Store) -> None:
    await make(org, chart_number="CH-77")
    before = await patient_count(store)
    r = await org.post(
        "patients", json={"first_name": "A", "last_name": "B", "chart_number": "CH-77"}
    )
    assert r.status_code == 409
    assert_schema(r.json(), "error.json")
    assert await patient_count(store) == before


async def test_create_reports_potential_duplicates(org: httpx.AsyncClient) -> None:
    first = await make(org, first_name="Dana", last_name="Dupe", email="dana@example.com")
    second = await make(org, first_name="D.", last_name="Other", email="DANA@example.com")
    assert [d["id"] for d in second["potential_duplicates"]] == [first["id"]]
    assert_schema(second, "patient.json")
    # Only the create answer carries them.
    again = (await org.get(f"patients/{second['id']}")).json()
    assert again["potential_duplicates"] == []


# -- update -----------------------------------------------------------------------


async def test_patch_changes_only_given_fields(org: httpx.AsyncClient) -> None:
    p = await make(org, email="a@example.com", city="Salem", primary_provider_uuid=PROVIDER_1)
    r = await org.patch(
        f"patients/{p['id']}",
        json={"base_version": 1, "city": "Portland", "primary_provider_uuid": None},
    )
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["city"], got["email"], got["version"]) == ("Portland", "a@example.com", 2)
    assert got["primary_provider"] is None
    assert got["id"] == p["id"] and got["created_at"] == p["created_at"]


async def test_patch_stale_version_is_409_and_changes_nothing(
    org: httpx.AsyncClient, store: Store
) -> None:
    p = await make(org)
    await org.patch(f"patients/{p['id']}", json={"base_version": 1, "city": "A"})
    before = await snapshot(store)
    r = await org.patch(f"patients/{p['id']}", json={"base_version": 1, "city": "B"})
    assert r.status_code == 409
    assert_schema(r.json(), "error.json")
    assert await snapshot(store) == before


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"city": "A"}, ["body", "base_version"]),
        ({"base_version": None, "city": "A"}, ["body", "base_version"]),
        ({"base_version": "1", "city": "A"}, ["body", "base_version"]),
        ({"base_version": 0, "city": "A"}, ["body", "base_version"]),
        ({"base_version": 1, "status": "inactive"}, ["body", "status"]),
        ({"base_version": 1, "last_name": None}, ["body", "last_name"]),
        ({"base_version": 1, "date_first_visit": "2024-13-01"}, ["body", "date_first_visit"]),
        ({"base_version": 1, "marital_status": "complicated"}, ["body", "marital_status"]),
        ({"base_version": 1, "location_uuid": 7}, ["body", "location_uuid"]),
    ],
)
async def test_patch_bad_input_is_422_and_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], loc: list[Any]
) -> None:
    p = await make(org)
    before = await snapshot(store)
    r = await org.patch(f"patients/{p['id']}", json=body)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["detail"]] == [loc]
    assert await snapshot(store) == before


async def test_patch_unknown_patient_or_reference_is_404(org: httpx.AsyncClient) -> None:
    r = await org.patch(f"patients/{NOWHERE}", json={"base_version": 1})
    assert r.status_code == 404 and r.json() == {"detail": "Patient not found."}
    p = await make(org)
    r = await org.patch(
        f"patients/{p['id']}", json={"base_version": 1, "responsible_party_uuid": NOWHERE}
    )
    assert r.status_code == 404 and r.json() == {"detail": "Responsible party not found."}


async def test_patch_chart_number_clash_is_409(org: httpx.AsyncClient) -> None:
    await make(org, chart_number="TAKEN")
    p = await make(org, chart_number="MINE")
    r = await org.patch(f"patients/{p['id']}", json={"base_version": 1, "chart_number": "TAKEN"})
    assert r.status_code == 409
    same = await org.patch(f"patients/{p['id']}", json={"base_version": 1, "chart_number": "MINE"})
    assert same.status_code == 200


# -- status: transitions, archive, restore ---------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "status"),
    [
        ("prospective", "active", 200),
        ("prospective", "inactive", 422),
        ("active", "inactive", 200),
        ("active", "deceased", 200),
        ("active", "prospective", 422),
        ("active", "active", 422),
        ("inactive", "active", 200),
        ("inactive", "deceased", 422),
        ("deceased", "active", 422),
        ("deceased", "inactive", 422),
        ("active", "archived", 422),
    ],
)
async def test_transitions(
    org: httpx.AsyncClient, store: Store, start: str, target: str, status: int
) -> None:
    p = await make(org, status=start)
    before = await snapshot(store)
    r = await org.post(
        f"patients/{p['id']}/transition-status", json={"base_version": 1, "new_status": target}
    )
    assert r.status_code == status, r.text
    if status == 200:
        assert (r.json()["status"], r.json()["version"]) == (target, 2)
    else:
        assert r.json()["detail"][0]["loc"] == ["body", "new_status"]
        assert await snapshot(store) == before


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"base_version": 1, "new_status": "asleep"}, 422),
        ({"base_version": 1}, 422),
        ({"new_status": "inactive"}, 422),
        ({"base_version": 2, "new_status": "inactive"}, 409),
    ],
)
async def test_transition_bad_input(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int
) -> None:
    p = await make(org)
    before = await snapshot(store)
    r = await org.post(f"patients/{p['id']}/transition-status", json=body)
    assert r.status_code == status
    assert await snapshot(store) == before


async def test_non_patient_shows_as_inactive_and_keeps_its_status(
    org: httpx.AsyncClient, store: Store
) -> None:
    rec = await backend(store).create(
        Patient(first_name="Non", last_name="Patient", status=PatientStatus.non_patient)
    )
    r = await org.get(f"patients/{rec.uuid}")
    assert r.json()["status"] == "inactive"
    assert r.json()["scheduling_restricted"] is True
    r = await org.patch(f"patients/{rec.uuid}", json={"base_version": 1, "city": "Bend"})
    assert r.status_code == 200
    assert (await backend(store).get(Patient, uuid=rec.uuid)).status is PatientStatus.non_patient
    listed = (await org.get("patients", params={"status": "inactive", "search": "Non"})).json()
    assert str(rec.uuid) in [i["id"] for i in listed["items"]]
    r = await org.post(
        f"patients/{rec.uuid}/transition-status", json={"base_version": 2, "new_status": "active"}
    )
    assert r.status_code == 200 and r.json()["status"] == "active"


async def test_archive_and_restore(org: httpx.AsyncClient) -> None:
    p = await make(org, last_name="Archivable")
    r = await org.post(f"patients/{p['id']}/archive")
    assert r.status_code == 200
    assert r.json()["status"] == "archived" and r.json()["deleted_at"] is not None
    # Still readable by id; gone from normal listings; listed when asked for.
    assert (await org.get(f"patients/{p['id']}")).json()["status"] == "archived"
    ids = [
        i["id"]
        for i in (await org.get("patients", params={"search": "Archivable"})).json()["items"]
    ]
    assert p["id"] not in ids
    ids = [
        i["id"]
        for i in (
            await org.get("patients", params={"search": "Archivable", "status": "archived"})
        ).json()["items"]
    ]
    assert ids == [p["id"]]
    # Archived patients cannot be changed or archived again.
    assert (await org.post(f"patients/{p['id']}/archive")).status_code == 404
    assert (await org.patch(f"patients/{p['id']}", json={"base_version": 2})).status_code == 404
    r = await org.post(
        f"patients/{p['id']}/transition-status", json={"base_version": 2, "new_status": "active"}
    )
    assert r.status_code == 404
    # Restore clears deleted_at and leaves the patient inactive.
    r = await org.post(f"patients/{p['id']}/restore")
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["deleted_at"]) == ("inactive", None)
    r = await org.post(f"patients/{p['id']}/restore")
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "Patient is not archived."


async def test_archive_guarantor_of_dependents_is_422(org: httpx.AsyncClient, store: Store) -> None:
    head = await make(org, last_name="Head")
    await make(org, last_name="Child", responsible_party_uuid=head["id"])
    before = await snapshot(store)
    r = await org.post(f"patients/{head['id']}/archive")
    assert r.status_code == 422
    assert "guarantor" in r.json()["detail"][0]["msg"]
    assert await snapshot(store) == before


async def test_archive_or_restore_unknown_is_404(org: httpx.AsyncClient) -> None:
    for action in ("archive", "restore"):
        r = await org.post(f"patients/{NOWHERE}/{action}")
        assert r.status_code == 404 and r.json() == {"detail": "Patient not found."}


async def test_scheduling_restricted_follows_balance(org: httpx.AsyncClient, store: Store) -> None:
    p = await make(org)
    rec = await backend(store).get(Patient, uuid=UUID(p["id"]))
    from decimal import Decimal

    await backend(store).update(rec.model_copy(update={"balance_total": Decimal("500.01")}))
    got = (await org.get(f"patients/{p['id']}")).json()
    assert got["scheduling_restricted"] is True and got["balance_total"] == "500.01"


# -- across dialects --------------------------------------------------------------------


async def test_guarantor_is_shared_with_the_canonical_record(
    org: httpx.AsyncClient, store: Store
) -> None:
    head = await make(org, last_name="Family")
    child = await make(org, last_name="Family", responsible_party_uuid=head["id"])
    rec = await backend(store).get(Patient, uuid=UUID(child["id"]))
    head_rec = await backend(store).get(Patient, uuid=UUID(head["id"]))
    assert rec.guarantor == Ref(uuid=head_rec.uuid, num=head_rec.num)


async def test_open_dental_patient_changed_through_org_reads_back_in_open_dental(
    org: httpx.AsyncClient, od: httpx.AsyncClient, store: Store
) -> None:
    pytest.importorskip("dialects.opendental.patients")
    r = await od.post(
        "/patients",
        json={
            "LName": "Crossover",
            "FName": "Cora",
            "Email": "cora@example.com",
            "Birthdate": "1980-04-05",
        },
    )
    assert r.status_code == 201, r.text
    pat_num = r.json()["PatNum"]
    rec = await backend(store).get(Patient, num=pat_num)
    org_view = (await org.get(f"patients/{rec.uuid}")).json()
    assert (org_view["last_name"], org_view["date_of_birth"]) == ("Crossover", "1980-04-05")
    r = await org.patch(
        f"patients/{rec.uuid}",
        json={
            "base_version": org_view["version"],
            "email": "cora@new.example.com",
            "preferred_name": "Corrie",
            "location_uuid": CLINIC_1,
        },
    )
    assert r.status_code == 200, r.text
    od_view = (await od.get(f"/patients/{pat_num}")).json()
    assert od_view["PatNum"] == pat_num
    assert (od_view["Email"], od_view["Preferred"], od_view["ClinicNum"]) == (
        "cora@new.example.com",
        "Corrie",
        1,
    )
    assert od_view["LName"] == "Crossover" and od_view["Birthdate"] == "1980-04-05"
    assert (await backend(store).get(Patient, num=pat_num)).uuid == rec.uuid


async def test_open_dental_demo_patient_changed_through_org(
    org: httpx.AsyncClient, od: httpx.AsyncClient, store: Store
) -> None:
    """Demo patient 15 (an OD PatNum) edited through the org API: both ids stay,
    and the Open Dental commlog view still finds the patient by PatNum."""
    current = (await org.get(f"patients/{P15}")).json()
    r = await org.patch(
        f"patients/{P15}", json={"base_version": current["version"], "mobile_phone": "503-555-0199"}
    )
    assert r.status_code == 200 and r.json()["id"] == P15
    rec = await backend(store).get(Patient, num=15)
    assert (str(rec.uuid), rec.mobile_phone) == (P15, "503-555-0199")
    r = await od.post("/commlogs", json={"PatNum": 15, "Note": "called the new number"})
    assert r.status_code == 201 and r.json()["PatNum"] == 15
