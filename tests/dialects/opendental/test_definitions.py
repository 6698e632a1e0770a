"""Open Dental Definitions (apidefinitions.md): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Definition, DefinitionCategory
from gateway.backends.store import Store
from tests.dialects.opendental.examples import check_example
from tests.support import demo_backend, examples, load, stored

EXAMPLES = examples("opendental/definitions")
ADJ_TYPES = load("opendental/definitions/get_category.json")["response"]["body"]


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(od, example, "DefNum")


async def test_get_all_in_open_dental_order(od: httpx.AsyncClient) -> None:
    # GET /definitions (first example request): every visible definition, by
    # category number then order; the example's AdjTypes (category 1) come first.
    listed = (await od.get("/definitions")).json()
    assert listed[:3] == ADJ_TYPES
    keys = [(d["Category"], d["DefNum"]) for d in listed]
    assert [c for c, _ in keys] == sorted(c for c, _ in keys)
    assert all(d["isHidden"] == "false" for d in listed)
    assert (27, 239) in keys and (35, 263) in keys  # commlog type Misc, General Dentistry


async def test_post_goes_last_in_its_category(od: httpx.AsyncClient) -> None:
    body = {"ItemName": "Courtesy", "ItemValue": "dp", "category": "adjtypes", "isHidden": "true"}
    r = await od.post("/definitions", json=body)
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["Category"], made["category"], made["isHidden"]) == (1, "AdjTypes", "true")
    listed = (await od.get("/definitions?Category=1&includeHidden=true")).json()
    assert listed[-1] == made
    assert made not in (await od.get("/definitions?Category=1")).json()


async def test_category_number_is_silently_ignored(od: httpx.AsyncClient) -> None:
    body = {"ItemName": "Gift", "category": "PaymentTypes", "Category": 1}
    r = await od.post("/definitions", json=body)
    assert r.status_code == 201, r.text
    assert (r.json()["Category"], r.json()["category"]) == (10, "PaymentTypes")


async def test_a_new_definition_is_usable_where_its_category_is(od: httpx.AsyncClient) -> None:
    made = await od.post("/definitions", json={"ItemName": "Web", "category": "CommLogTypes"})
    assert made.status_code == 201
    r = await od.post("/commlogs", json={"PatNum": 15, "Note": "n", "commType": "Web"})
    assert r.status_code == 201 and r.json()["CommType"] == str(made.json()["DefNum"])


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"category": "AdjTypes"}, "ItemName"),
        ({"ItemName": "x"}, "category"),
        ({"ItemName": " ", "category": "PaymentTypes"}, "ItemName"),
        ({"ItemName": "x", "category": "Nope"}, "category"),
        ({"ItemName": "x", "category": 1}, "category"),
        ({"ItemName": 5, "category": "PaymentTypes"}, "ItemName"),
        ({"ItemName": "x", "category": "PaymentTypes", "isHidden": "maybe"}, "isHidden"),
        ({"ItemName": "x", "category": "PaymentTypes", "DefNum": 5}, "DefNum"),
        ({"ItemName": "x", "category": "PaymentTypes", "ItemOrder": 5}, "ItemOrder"),
        ({"ItemName": "x", "category": "AdjTypes"}, "ItemValue"),
        ({"ItemName": "x", "category": "AdjTypes", "ItemValue": "*"}, "ItemValue"),
        ({"ItemName": "x", "category": "BillingTypes", "ItemValue": "Q"}, "ItemValue"),
        ({"ItemName": "x", "category": "ClaimCustomTracking", "ItemValue": "-1"}, "ItemValue"),
        ({"ItemName": "x", "category": "DiscountTypes", "ItemValue": "101"}, "ItemValue"),
        ({"ItemName": "x", "category": "InsurancePaymentType", "ItemValue": "Y"}, "ItemValue"),
        ({"ItemName": "x", "category": "PaySplitUnearnedType", "ItemValue": "Y"}, "ItemValue"),
        (
            {"ItemName": "x", "category": "RecallUnschedStatus", "ItemValue": "12345678"},
            "ItemValue",
        ),
        ({"ItemName": "x", "category": "OperatoriesOld", "ItemValue": "123456"}, "ItemValue"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, body: dict[str, Any], names: str
) -> None:
    before = await stored(store, Definition)
    r = await od.post("/definitions", json=body)
    assert r.status_code == 400, r.text
    assert isinstance(r.json(), str) and names in r.json()
    assert await stored(store, Definition) == before


@pytest.mark.parametrize(
    ("category", "value"),
    [
        ("AdjTypes", "+"),
        ("AdjTypes", "dp"),
        ("BillingTypes", ""),
        ("BillingTypes", "ce"),
        ("ClaimCustomTracking", "30"),
        ("DiscountTypes", ""),
        ("DiscountTypes", "100"),
        ("InsurancePaymentType", "N"),
        ("PaySplitUnearnedType", "x"),
        ("RecallUnschedStatus", "1234567"),
        ("ImageCats", "XPS"),
        ("ProviderSpecialties", "anything"),
    ],
)
async def test_item_values_each_category_takes(
    od: httpx.AsyncClient, category: str, value: str
) -> None:
    r = await od.post(
        "/definitions", json={"ItemName": "x", "ItemValue": value, "category": category}
    )
    assert r.status_code == 201, r.text
    assert r.json()["ItemValue"] == value


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"Category": "x"}, 400),
        ({"Category": 53}, 400),
        ({"Category": -1}, 400),
        ({"includeHidden": "yes"}, 400),
        ({"IncludeHidden": "true"}, 400),
        ({"ItemName": "Sales Tax"}, 400),
        ({"Offset": "-1"}, 400),
    ],
)
async def test_get_bad_params(od: httpx.AsyncClient, params: dict[str, Any], status: int) -> None:
    r = await od.get("/definitions", params=params)
    assert r.status_code == status and isinstance(r.json(), str)


async def test_empty_category(od: httpx.AsyncClient) -> None:
    # A category the office has no definitions in (ClaimFormats, not used).
    assert (await od.get("/definitions?Category=5")).json() == []


async def test_paging_past_one_hundred(od: httpx.AsyncClient, store: Store) -> None:
    backend = demo_backend(store)
    for i in range(120):
        await backend.create(
            Definition(category=DefinitionCategory.supply_category, name=f"S{i}", order=i)
        )
    first = (await od.get("/definitions?Category=28")).json()
    second = (await od.get("/definitions?Category=28&Offset=100")).json()
    assert [d["ItemName"] for d in first + second] == [f"S{i}" for i in range(120)]
    everything = []
    for offset in range(0, 300, 100):
        everything += (await od.get("/definitions", params={"Offset": offset})).json()
    assert len({d["DefNum"] for d in everything}) == len(everything) >= 150
