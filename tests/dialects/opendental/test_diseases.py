"""Open Dental Diseases (reference/opendental/apidiseases.md): the documented
examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import DiseaseDefinition, Problem, ProblemStatus
from gateway.backends.store import Store
from tests.dialects.opendental.clinical_helpers import many, snapshot
from tests.dialects.opendental.examples import check_example
from tests.support import demo_backend, examples

EXAMPLES = examples("opendental/diseases")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(od, example, "DiseaseNum")


async def test_post_by_name_fills_the_codes_from_the_definition(
    od: httpx.AsyncClient, store: Store
) -> None:
    r = await od.post("/diseases", json={"PatNum": 16, "diseaseDefName": "copd"})
    assert r.status_code == 201, r.text
    assert (r.json()["DiseaseDefNum"], r.json()["diseaseDefName"]) == (44, "COPD")
    record = await demo_backend(store).get(Problem, num=r.json()["DiseaseNum"])
    assert (record.name, record.icd_code, record.snomed_code) == ("COPD", "J44.9", "13645005")
    assert (record.status, record.function_status.value) == (ProblemStatus.active, "problem")


async def test_a_new_name_inserts_a_diseasedef_once(od: httpx.AsyncClient, store: Store) -> None:
    first = (await od.post("/diseases", json={"PatNum": 16, "diseaseDefName": "Gout"})).json()
    again = (await od.post("/diseases", json={"PatNum": 17, "DiseaseDefName": "GOUT"})).json()
    assert first["DiseaseDefNum"] == again["DiseaseDefNum"] > 58
    assert [d["name"] for d in await snapshot(store, DiseaseDefinition)].count("Gout") == 1


async def test_the_number_wins_over_the_name(od: httpx.AsyncClient) -> None:
    r = await od.post(
        "/diseases", json={"PatNum": 16, "DiseaseDefNum": 3, "diseaseDefName": "Gout"}
    )
    assert (r.json()["DiseaseDefNum"], r.json()["diseaseDefName"]) == (3, "Asthma")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"diseaseDefName": "Asthma"}, 400, "PatNum is required."),
        ({"PatNum": 16}, 400, "diseaseDefName is required."),
        ({"PatNum": 16, "diseaseDefName": "x" * 256}, 400, "diseaseDefName"),
        ({"PatNum": 16, "DiseaseDefNum": 9999}, 404, "DiseaseDef not found."),
        ({"PatNum": 9999, "diseaseDefName": "Brand new problem"}, 404, "Patient not found."),
        ({"PatNum": 16, "diseaseDefName": "Asthma", "DiseaseDefName": "Asthma"}, 400, "Only one of"),
        ({"PatNum": 16, "diseaseDefName": "Asthma", "ProbStatus": "Cured"}, 400, "ProbStatus"),
        ({"PatNum": 16, "diseaseDefName": "Asthma", "ProbStatus": "active"}, 400, "ProbStatus"),
        ({"PatNum": 16, "diseaseDefName": "Asthma", "DateStart": "2016-1-1x"}, 400, "DateStart"),
        ({"PatNum": 16, "diseaseDefName": "Asthma", "DiseaseNum": 3}, 400, "DiseaseNum"),
        ({"PatNum": 16, "diseaseDefName": "Asthma", "FunctionStatus": "x"}, 400, "FunctionStatus"),
    ],
)  # fmt: skip
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, message: str
) -> None:
    before = (await snapshot(store, Problem), await snapshot(store, DiseaseDefinition))
    r = await od.post("/diseases", json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert (await snapshot(store, Problem), await snapshot(store, DiseaseDefinition)) == before


async def test_put_overwrites_the_note_and_keeps_the_rest(od: httpx.AsyncClient) -> None:
    r = await od.put("/diseases/2", json={"PatNote": "Uses inhaler"})
    assert r.status_code == 200, r.text
    assert (r.json()["PatNote"], r.json()["ProbStatus"]) == ("Uses inhaler", "Active")
    assert (await od.get("/diseases/2")).json() == r.json()


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/diseases/9999", {"PatNote": "x"}, 404, "Disease not found."),
        ("/diseases/abc", {"PatNote": "x"}, 400, "DiseaseNum"),
        ("/diseases/2", {"PatNum": 16}, 400, "PatNum"),
        ("/diseases/2", {"DiseaseDefNum": 3}, 400, "DiseaseDefNum"),
        ("/diseases/2", {"diseaseDefName": "Asthma"}, 400, "diseaseDefName"),
        ("/diseases/2", {"DiseaseDefName": "Asthma"}, 400, "DiseaseDefName"),
        ("/diseases/2", {"ProbStatus": "Done"}, 400, "ProbStatus"),
        ("/diseases/2", {"DateStop": 20220525}, 400, "DateStop"),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient, store: Store, path: str, body: dict[str, Any], status: int, message: str
) -> None:
    before = await snapshot(store, Problem)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert await snapshot(store, Problem) == before


async def test_get_one_and_delete(od: httpx.AsyncClient) -> None:
    assert (await od.get("/diseases/9999")).json() == "Disease not found."
    assert (await od.get("/diseases/x")).status_code == 400
    assert (await od.delete("/diseases/2")).status_code == 200
    assert (await od.get("/diseases/2")).status_code == 404
    assert [d["DiseaseNum"] for d in (await od.get("/diseases")).json()] == [8]
    r = await od.delete("/diseases/2")
    assert (r.status_code, r.json()) == (404, "Disease not found.")


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"PatNum": "x"}, 400, "PatNum"),
        ({"PatNum": 9999}, 404, "Patient not found."),
        ({"DateTStamp": "2020-01-01 00:00:00"}, 400, "DateTStamp"),
        ({"Limit": "ten"}, 400, "Limit"),
    ],
)
async def test_bad_get(
    od: httpx.AsyncClient, params: dict[str, Any], status: int, message: str
) -> None:
    r = await od.get("/diseases", params=params)
    assert r.status_code == status, r.text
    assert message in r.json()


async def test_a_patient_without_problems_has_an_empty_list(od: httpx.AsyncClient) -> None:
    assert (await od.get("/diseases", params={"PatNum": 16})).json() == []


async def test_pages_past_100(od: httpx.AsyncClient, store: Store) -> None:
    template = await demo_backend(store).get(Problem, num=2)
    made = await many(store, template, 103, patient=16)
    everyone = (await od.get("/diseases")).json()
    assert [d["DiseaseNum"] for d in everyone] == [2, 8, *made[:98]]
    rest = (await od.get("/diseases", params={"Offset": 100})).json()
    assert [d["DiseaseNum"] for d in rest] == made[98:]
    mine = (await od.get("/diseases", params={"PatNum": 16, "Offset": 100})).json()
    assert [d["DiseaseNum"] for d in mine] == made[100:]
