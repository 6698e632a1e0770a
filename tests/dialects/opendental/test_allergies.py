"""Open Dental Allergies (reference/opendental/apiallergies.md): the documented
examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Allergy, AllergyDefinition, Patient, Ref
from dialects.opendental.allergies import SNOMED_TYPES
from gateway.backends.store import Store
from tests.dialects.opendental.clinical_helpers import many, snapshot
from tests.dialects.opendental.examples import check_example
from tests.support import demo_backend, examples

EXAMPLES = examples("opendental/allergies")


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(od, example, "AllergyNum")


async def test_post_defaults_and_round_trip(od: httpx.AsyncClient) -> None:
    r = await od.post("/allergies", json={"PatNum": 16, "defDescription": "Latex"})
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["AllergyDefNum"], made["StatusIsActive"], made["DateAdverseReaction"]) == (
        2,
        "true",
        "0001-01-01",
    )
    assert (await od.get("/allergies?PatNum=16")).json() == [made]


async def test_a_new_description_inserts_an_allergydef_once(
    od: httpx.AsyncClient, store: Store
) -> None:
    first = (
        await od.post("/allergies", json={"PatNum": 16, "defDescription": "Bee stings"})
    ).json()
    # Any case matches the definition just made: no second one.
    again = (
        await od.post("/allergies", json={"PatNum": 17, "defDescription": "bee STINGS"})
    ).json()
    assert first["AllergyDefNum"] == again["AllergyDefNum"] > 243
    assert again["defDescription"] == "Bee stings" and again["defSnomedType"] == "None"
    defs = [d for d in await snapshot(store, AllergyDefinition) if d["name"] == "Bee stings"]
    assert len(defs) == 1


async def test_the_number_wins_over_the_description(od: httpx.AsyncClient) -> None:
    r = await od.post(
        "/allergies", json={"PatNum": 16, "AllergyDefNum": 3, "defDescription": "Latex"}
    )
    assert (r.json()["AllergyDefNum"], r.json()["defDescription"]) == (3, "Codeine")


async def test_the_definition_name_shown_is_its_current_one(
    od: httpx.AsyncClient, store: Store
) -> None:
    backend = demo_backend(store)
    latex = await backend.get(AllergyDefinition, num=2)
    await backend.update(latex.model_copy(update={"name": "Natural rubber latex"}))
    [shown] = [a for a in (await od.get("/allergies?PatNum=12")).json() if a["AllergyNum"] == 12]
    assert shown["defDescription"] == "Natural rubber latex"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"defDescription": "Latex"}, 400, "PatNum is required."),
        ({"PatNum": 16}, 400, "defDescription is required."),
        ({"PatNum": 16, "defDescription": "  "}, 400, "defDescription is required."),
        ({"PatNum": 16, "AllergyDefNum": 0}, 400, "defDescription is required."),
        ({"PatNum": 16, "AllergyDefNum": 9999}, 404, "AllergyDef not found."),
        ({"PatNum": 9999, "defDescription": "Brand new allergen"}, 404, "Patient not found."),
        ({"PatNum": "x", "defDescription": "Latex"}, 400, "PatNum"),
        ({"PatNum": 16, "defDescription": 5}, 400, "defDescription"),
        ({"PatNum": 16, "defDescription": "x" * 256}, 400, "defDescription"),
        ({"PatNum": 16, "defDescription": "Latex", "StatusIsActive": "yes"}, 400, "StatusIsActive"),
        ({"PatNum": 16, "defDescription": "Latex", "DateAdverseReaction": "2020-02-30"}, 400, "DateAdverseReaction"),
        ({"PatNum": 16, "defDescription": "Latex", "AllergyNum": 5}, 400, "AllergyNum"),
        ({"PatNum": 16, "defDescription": "Latex", "defSnomedType": "None"}, 400, "defSnomedType"),
        ({"PatNum": 16, "defDescription": "Latex", "Severity": "high"}, 400, "Severity"),
    ],
)  # fmt: skip
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, message: str
) -> None:
    before = (await snapshot(store, Allergy), await snapshot(store, AllergyDefinition))
    r = await od.post("/allergies", json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert (await snapshot(store, Allergy), await snapshot(store, AllergyDefinition)) == before


async def test_put_changes_only_what_it_sends(od: httpx.AsyncClient) -> None:
    r = await od.put("/allergies/12", json={"StatusIsActive": "false"})
    assert r.status_code == 200, r.text
    assert r.json()["StatusIsActive"] == "false" and r.json()["Reaction"] == "Hives"
    r = await od.put("/allergies/12", json={"DateAdverseReaction": ""})
    assert r.json()["DateAdverseReaction"] == "0001-01-01"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/allergies/9999", {"Reaction": "x"}, 404),
        ("/allergies/abc", {"Reaction": "x"}, 400),
        ("/allergies/12", {"PatNum": 15}, 400),
        ("/allergies/12", {"AllergyDefNum": 3}, 400),
        ("/allergies/12", {"defDescription": "Codeine"}, 400),
        ("/allergies/12", {"Reaction": 7}, 400),
        ("/allergies/12", {"StatusIsActive": "maybe"}, 400),
        ("/allergies/12", {"DateAdverseReaction": "13/04/2022"}, 400),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient, store: Store, path: str, body: dict[str, Any], status: int
) -> None:
    before = await snapshot(store, Allergy)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str)
    assert await snapshot(store, Allergy) == before


async def test_put_not_found_message(od: httpx.AsyncClient) -> None:
    assert (await od.put("/allergies/9999", json={"Reaction": "x"})).json() == "Allergy not found."


async def test_delete_then_gone(od: httpx.AsyncClient, store: Store) -> None:
    assert (await od.delete("/allergies/13")).status_code == 200
    assert [a["AllergyNum"] for a in (await od.get("/allergies?PatNum=12")).json()] == [12]
    r = await od.delete("/allergies/13")
    assert (r.status_code, r.json()) == (404, "Allergy not found.")
    # Kept as archived for the dialects that archive (see clinical_defs).
    record = await demo_backend(store).get(Allergy, num=13, include_deleted=True)
    assert record.deleted_at is not None
    assert (await od.delete("/allergies/x")).status_code == 400


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({}, 400, "PatNum is required."),
        ({"PatNum": "x"}, 400, "PatNum"),
        ({"PatNum": 9999}, 404, "Patient not found."),
        ({"PatNum": 15, "DateTStamp": "2020-01-01 00:00:00"}, 400, "DateTStamp"),
        ({"PatNum": 15, "Offset": "-1"}, 400, "Offset"),
    ],
)
async def test_bad_get(
    od: httpx.AsyncClient, params: dict[str, Any], status: int, message: str
) -> None:
    r = await od.get("/allergies", params=params)
    assert r.status_code == status, r.text
    assert message in r.json()


async def test_pages_past_100(od: httpx.AsyncClient, store: Store) -> None:
    template = await demo_backend(store).get(Allergy, num=1)
    made = await many(store, template, 105, patient=16)
    first = (await od.get("/allergies", params={"PatNum": 16})).json()
    second = (await od.get("/allergies", params={"PatNum": 16, "Offset": 100})).json()
    assert [a["AllergyNum"] for a in first + second] == made
    assert len(first) == 100 and len(second) == 5
    assert len((await od.get("/allergies", params={"PatNum": 16, "Limit": 500})).json()) == 100


# -- defSnomedType: Open Dental's SnomedAllergy names, row by row -------------------

SNOMED_ALLERGY = [
    "None",
    "AdverseReactionsToFood",
    "AdverseReactionsToDrug",
    "AdverseReactionsToSubstance",
    "AllergyToSubstance",
    "DrugAllergy",
    "DrugIntolerance",
    "FoodAllergy",
    "FoodIntolerance",
    "PropensityToAdverseReactions",
]
"""allergydef.SnomedType (enum SnomedAllergy), written out from the schema."""


def test_the_snomed_types_are_open_dentals() -> None:
    assert list(SNOMED_TYPES) == SNOMED_ALLERGY


@pytest.mark.parametrize(
    ("stored_type", "shown"),
    [*((t, t) for t in SNOMED_ALLERGY), ("", "None"), ("Allergy", "None")],
)
async def test_snomed_type_shown(
    od: httpx.AsyncClient, store: Store, stored_type: str, shown: str
) -> None:
    backend = demo_backend(store)
    entry = await backend.create(AllergyDefinition(name="Typed", snomed_type=stored_type))
    await backend.create(
        Allergy(
            patient=(await backend.get(Patient, num=16)).ref(),
            allergy_definition=Ref(uuid=entry.uuid, num=entry.num),
            description="Typed",
        )
    )
    [allergy] = (await od.get("/allergies", params={"PatNum": 16})).json()
    assert allergy["defSnomedType"] == shown
