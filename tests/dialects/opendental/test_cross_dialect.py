"""Open Dental clinical records across dialects: an allergy, a medication and
a problem written through DrChrono or the org API read back through Open
Dental, and the reverse. What Open Dental cannot hold stays in the canonical
record, so an Open Dental write-back leaves each other dialect's round trip
exact: the other dialect reads its record back as before, but for the keys
Open Dental changed."""

from __future__ import annotations

from typing import Any

import httpx

from gateway.demo import demo_uuid

PAT = 16
P16 = str(demo_uuid("patient", PAT))
ORG_STAMPS = {"updated_at", "version", "interaction_warnings"}


def same_except(before: dict[str, Any], after: dict[str, Any], changed: dict[str, Any]) -> None:
    assert list(after) == list(before)
    for key, value in before.items():
        if key in ORG_STAMPS:
            continue
        assert after[key] == changed.get(key, value), (key, after[key])


async def one(od: httpx.AsyncClient, path: str, key: str, num: int) -> dict[str, Any]:
    [found] = [r for r in (await od.get(path, params={"PatNum": PAT})).json() if r[key] == num]
    return found


# -- allergies ---------------------------------------------------------------------


async def test_drchrono_allergy_through_open_dental(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    body = {"doctor": 1, "patient": PAT, "description": "Dust mites", "reaction": "Sneezing",
            "rxnorm": "", "snomed_reaction": "76067001", "notes": "Seasonal"}  # fmt: skip
    made = (await drc.post("/api/allergies", json=body)).json()
    shown = await one(od, "/allergies", "AllergyNum", made["id"])
    assert shown == {"AllergyNum": made["id"], "AllergyDefNum": 0, "PatNum": PAT,
                     "defDescription": "Dust mites", "defSnomedType": "None",
                     "Reaction": "Sneezing", "StatusIsActive": "true",
                     "DateAdverseReaction": "0001-01-01"}  # fmt: skip
    r = await od.put(f"/allergies/{made['id']}", json={"StatusIsActive": "false"})
    assert r.status_code == 200, r.text
    back = (await drc.get(f"/api/allergies/{made['id']}?verbose=true")).json()
    assert back == {**made, "status": "inactive"}  # doctor, notes, SNOMED reaction kept


async def test_open_dental_allergy_through_drchrono(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    made = (await od.post("/allergies", json={"PatNum": PAT, "defDescription": "Codeine",
                                             "Reaction": "Nausea"})).json()  # fmt: skip
    mine = (await drc.get(f"/api/allergies/{made['AllergyNum']}?verbose=true")).json()
    assert (mine["patient"], mine["description"], mine["reaction"], mine["status"]) == (
        PAT, "Codeine", "Nausea", "active",
    )  # fmt: skip
    r = await drc.patch(f"/api/allergies/{made['AllergyNum']}", json={"doctor": 2, "notes": "n"})
    assert r.status_code == 204
    assert await one(od, "/allergies", "AllergyNum", made["AllergyNum"]) == made


async def test_org_allergy_through_open_dental(
    od: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    base = f"patients/{P16}/allergies"
    body = {"allergy_definition_uuid": str(demo_uuid("allergy_definition", 1)),
            "reaction": "Anaphylaxis", "severity": "severe", "snomed_reaction": "39579001",
            "date_adverse_reaction": "2019-05-01"}  # fmt: skip
    made = (await org.post(base, json=body)).json()
    num = (await od.get("/allergies", params={"PatNum": PAT})).json()[-1]
    assert (num["AllergyDefNum"], num["defDescription"], num["defSnomedType"]) == (
        1, "Penicillin", "DrugAllergy",
    )  # fmt: skip
    assert (num["Reaction"], num["DateAdverseReaction"]) == ("Anaphylaxis", "2019-05-01")
    # Open Dental sends back everything its PUT takes, one value changed.
    put = {k: num[k] for k in ("Reaction", "DateAdverseReaction", "StatusIsActive")}
    r = await od.put(f"/allergies/{num['AllergyNum']}", json={**put, "StatusIsActive": "false"})
    assert r.status_code == 200, r.text
    back = (await org.get(f"{base}/{made['id']}")).json()
    same_except(made, back, {"status_is_active": False})  # severity, SNOMED reaction kept


async def test_open_dental_delete_is_the_org_archive(
    od: httpx.AsyncClient, org: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    base = f"patients/{P16}/allergies"
    made = (await org.post(base, json={"allergy_definition_uuid":
                                       str(demo_uuid("allergy_definition", 2))})).json()  # fmt: skip
    num = (await od.get("/allergies", params={"PatNum": PAT})).json()[-1]["AllergyNum"]
    assert (await od.delete(f"/allergies/{num}")).status_code == 200
    assert (await org.get(base)).json()["total"] == 0
    assert (await drc.get(f"/api/allergies/{num}")).status_code == 404
    # Archiving it again answers the archived record, as after the org API's own archive.
    r = await org.post(f"{base}/{made['id']}/archive")
    assert r.status_code == 200 and r.json()["deleted_at"] is not None


# -- medications -------------------------------------------------------------------


async def test_drchrono_medication_through_open_dental(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    body = {"doctor": 1, "patient": PAT, "name": "Ibuprofen 200 mg", "status": "inactive",
            "date_started_taking": "2024-01-02", "date_stopped_taking": "2024-02-01",
            "dosage_quantity": "2", "dosage_units": "tablet", "frequency": "q6h", "prn": True,
            "order_status": "Over the Counter", "notes": "For knee pain"}  # fmt: skip
    made = (await drc.post("/api/medications", json=body)).json()
    shown = await one(od, "/medicationpats", "MedicationPatNum", made["id"])
    assert shown == {"MedicationPatNum": made["id"], "PatNum": str(PAT),
                     "medName": "Ibuprofen 200 mg", "MedicationNum": 0, "PatNote": "",
                     "DateStart": "2024-01-02", "DateStop": "2024-02-01", "ProvNum": 1}  # fmt: skip
    put = {k: shown[k] for k in ("PatNote", "DateStart", "DateStop", "ProvNum")}
    r = await od.put(f"/medicationpats/{made['id']}", json={**put, "PatNote": "Take with food"})
    assert r.status_code == 200, r.text
    assert (await drc.get(f"/api/medications/{made['id']}")).json() == made


async def test_org_medication_status_survives_an_open_dental_write_back(
    od: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    base = f"patients/{P16}/medications"
    body = {"medication_definition_uuid": str(demo_uuid("medication_definition", 2)),
            "med_descript": "Lisinopril 10 mg daily", "dosage": "10 mg", "route": "oral",
            "frequency": "daily", "date_start": "2023-03-01"}  # fmt: skip
    made = (await org.post(base, json=body)).json()
    held = (await org.patch(f"{base}/{made['id']}", json={"base_version": made["version"],
                                                          "status": "on_hold"})).json()  # fmt: skip
    shown = (await od.get("/medicationpats", params={"PatNum": PAT})).json()[-1]
    assert (shown["medName"], shown["MedicationNum"], shown["DateStart"]) == (
        "Lisinopril 10 mg tablet", 2, "2023-03-01",
    )  # fmt: skip
    put = {k: shown[k] for k in ("PatNote", "DateStart", "DateStop", "ProvNum")}
    r = await od.put(f"/medicationpats/{shown['MedicationPatNum']}", json={**put, "PatNote": "n"})
    assert r.status_code == 200, r.text
    back = (await org.get(f"{base}/{made['id']}")).json()
    same_except(held, back, {"patient_note": "n"})  # on_hold, dosage, route, text kept


async def test_open_dental_medication_through_drchrono_and_org(
    od: httpx.AsyncClient, drc: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    made = (await od.post("/medicationpats", json={"PatNum": PAT, "medName": "Metformin",
            "PatNote": "500mg", "DateStart": "2006-02-01", "ProvNum": 1})).json()  # fmt: skip
    num = made["MedicationPatNum"]
    mine = (await drc.get(f"/api/medications/{num}")).json()
    assert (mine["name"], mine["doctor"], mine["date_started_taking"], mine["status"]) == (
        "Metformin", 1, "2006-02-01", "active",
    )  # fmt: skip
    assert (
        await drc.patch(f"/api/medications/{num}", json={"ndc": "0093-1048"})
    ).status_code == 204
    [theirs] = (await org.get(f"patients/{P16}/medications")).json()["items"]
    assert (theirs["med_descript"], theirs["patient_note"], theirs["status"]) == (
        "Metformin", "500mg", "active",
    )  # fmt: skip
    assert await one(od, "/medicationpats", "MedicationPatNum", num) == made


# -- problems ----------------------------------------------------------------------


async def test_drchrono_problem_through_open_dental(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    body = {"doctor": 1, "patient": PAT, "name": "Migraine", "icd_code": "G43.909",
            "icd_version": 10, "status": "resolved", "date_onset": "2018-04-01",
            "date_diagnosis": "2018-04-03", "notes": "Triggered by bright light"}  # fmt: skip
    made = (await drc.post("/api/problems", json=body)).json()
    shown = (await od.get(f"/diseases/{made['id']}")).json()
    assert shown == {"DiseaseNum": made["id"], "PatNum": PAT, "DiseaseDefNum": 0,
                     "diseaseDefName": "Migraine", "PatNote": "", "ProbStatus": "Resolved",
                     "DateStart": "2018-04-01", "DateStop": "0001-01-01"}  # fmt: skip
    r = await od.put(f"/diseases/{made['id']}", json={"ProbStatus": "Active"})
    assert r.status_code == 200, r.text
    assert (await drc.get(f"/api/problems/{made['id']}")).json() == {**made, "status": "active"}


async def test_org_problem_through_open_dental(
    od: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    base = f"patients/{P16}/diseases"
    body = {"disease_definition_uuid": str(demo_uuid("disease_definition", 3)),
            "function_status": "functional_problem", "snomed_problem_type": "404684003",
            "date_start": "2010-05-01", "patient_note": "Uses inhaler"}  # fmt: skip
    made = (await org.post(base, json=body)).json()
    [shown] = (await od.get("/diseases", params={"PatNum": PAT})).json()
    assert (shown["DiseaseDefNum"], shown["diseaseDefName"], shown["PatNote"]) == (
        3, "Asthma", "Uses inhaler",
    )  # fmt: skip
    put = {k: shown[k] for k in ("PatNote", "ProbStatus", "DateStart", "DateStop")}
    r = await od.put(f"/diseases/{shown['DiseaseNum']}", json={**put, "ProbStatus": "Inactive"})
    assert r.status_code == 200, r.text
    back = (await org.get(f"{base}/{made['id']}")).json()
    same_except(made, back, {"problem_status": "inactive"})  # functional status, SNOMED kept


async def test_open_dental_problem_through_drchrono_and_org(
    od: httpx.AsyncClient, drc: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    made = (await od.post("/diseases", json={"PatNum": PAT, "diseaseDefName": "Hypertension",
            "ProbStatus": "Resolved", "DateStart": "2016-01-01", "DateStop": "2019-04-30",
            "PatNote": "Diet"})).json()  # fmt: skip
    num = made["DiseaseNum"]
    mine = (await drc.get(f"/api/problems/{num}")).json()
    assert (mine["name"], mine["icd_code"], mine["snomed_ct_code"], mine["status"]) == (
        "Hypertension", "I10", "38341003", "resolved",
    )  # fmt: skip
    assert (await drc.patch(f"/api/problems/{num}", json={"notes": "n"})).status_code == 204
    [theirs] = (await org.get(f"patients/{P16}/diseases")).json()["items"]
    assert (theirs["date_start"], theirs["date_stop"], theirs["problem_status"]) == (
        "2016-01-01", "2019-04-30", "resolved",
    )  # fmt: skip
    assert (await od.get(f"/diseases/{num}")).json() == made
