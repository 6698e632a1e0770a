"""ProcedureLogs InsuranceHistory GET and POST (seed 002)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import InsuranceSubscription, Patient, Procedure, Ref
from gateway.backends.store import Store
from tests.dialects.opendental.procedure_helpers import backend, edit, snapshot

PLAN = {"PatNum": 2617, "InsSubNum": 2046}
CATEGORIES = [
    "InsHistBWCodes",
    "InsHistPanoCodes",
    "InsHistExamCodes",
    "InsHistProphyCodes",
    "InsHistPerioURCodes",
    "InsHistPerioULCodes",
    "InsHistPerioLRCodes",
    "InsHistPerioLLCodes",
    "InsHistPerioMaintCodes",
    "InsHistDebridementCodes",
]


async def history(od: httpx.AsyncClient, **params: Any) -> dict[str, tuple[str, int]]:
    r = await od.get("/procedurelogs/InsuranceHistory", params=params or PLAN)
    assert r.status_code == 200, r.text
    rows = r.json()
    assert [row["insHistPrefName"] for row in rows] == CATEGORIES
    return {row["insHistPrefName"]: (row["procDate"], row["ProcNum"]) for row in rows}


async def record(od: httpx.AsyncClient, category: str, date: str, **plan: Any) -> dict[str, Any]:
    body = {**(plan or PLAN), "insHistPrefName": category, "ProcDate": date}
    r = await od.post("/procedurelogs/InsuranceHistory", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_post_then_get_shows_the_most_recent(od: httpx.AsyncClient) -> None:
    assert (await history(od))["InsHistExamCodes"] == ("No History", 0)
    newer = await record(od, "InsHistExamCodes", "2023-05-02")
    await record(od, "InsHistExamCodes", "2022-01-10")
    assert (await history(od))["InsHistExamCodes"] == ("2023-05-02", newer["ProcNum"])
    newest = await record(od, "InsHistBWCodes", "2024-02-29")
    rows = await history(od)
    assert rows["InsHistBWCodes"] == ("2024-02-29", newest["ProcNum"])
    assert rows["InsHistPanoCodes"] == ("2023-03-08", 17068)


async def test_post_creates_an_existing_other_procedure(
    od: httpx.AsyncClient, store: Store
) -> None:
    # The documented example: the patient's clinic (3 there) and primary provider.
    await edit(store, Patient, 572, location=Ref(num=3), primary_provider=Ref(num=2))
    got = await record(od, "InsHistExamCodes", "2023-01-23", PatNum=572, InsSubNum=49)
    assert (got["ProcStatus"], got["procCode"], got["CodeNum"]) == ("EO", "D0120", 2)
    assert (got["ClinicNum"], got["ProvNum"], got["provAbbr"]) == (3, 2, "DOC2")
    assert (got["ProcFee"], got["Priority"], got["Dx"], got["serverDateTime"]) == (
        "0.00",
        0,
        0,
        "",
    )
    stored = await backend(store).get(Procedure, num=got["ProcNum"])
    assert stored.insurance_subscription is not None and stored.insurance_subscription.num == 49
    assert stored.insurance_history_category == "InsHistExamCodes"
    assert (await history(od, PatNum=572, InsSubNum=49))["InsHistExamCodes"] == (
        "2023-01-23",
        got["ProcNum"],
    )


async def test_first_alphanumeric_code_of_the_category(od: httpx.AsyncClient) -> None:
    assert (await record(od, "InsHistBWCodes", "2024-01-02"))["procCode"] == "D0272"
    assert (await record(od, "InsHistProphyCodes", "2024-01-02"))["procCode"] == "D1110"


async def test_perio_quadrants_are_told_apart_by_surface(od: httpx.AsyncClient) -> None:
    got = await record(od, "InsHistPerioURCodes", "2024-03-01")
    assert (got["procCode"], got["Surf"]) == ("D4341", "UR")
    rows = await history(od)
    assert rows["InsHistPerioURCodes"] == ("2024-03-01", got["ProcNum"])
    assert rows["InsHistPerioLRCodes"] == ("No History", 0)
    assert rows["InsHistPerioLLCodes"] == ("2009-06-19", 1074)
    assert rows["InsHistPerioULCodes"] == ("Not Set", 0)


async def test_history_counts_only_this_plan_and_done_work(
    od: httpx.AsyncClient, store: Store
) -> None:
    b = backend(store)
    await b.create(InsuranceSubscription(num=3000, subscriber=Ref(num=2617), carrier_name="Other"))
    other = await record(od, "InsHistExamCodes", "2024-04-04", PatNum=2617, InsSubNum=3000)
    assert (await history(od))["InsHistExamCodes"] == ("No History", 0)
    assert (await history(od, PatNum=2617, InsSubNum=3000))["InsHistExamCodes"] == (
        "2024-04-04",
        other["ProcNum"],
    )
    # A planned (TP) procedure of the category is no history.
    await edit(store, Procedure, 17068, status="treatment_planned")
    assert (await history(od))["InsHistPanoCodes"] == ("No History", 0)


async def test_date_format_string(od: httpx.AsyncClient) -> None:
    rows = await history(od, **PLAN, DateFormatString="MM/dd/yyyy")
    assert rows["InsHistBWCodes"] == ("12/12/2021", 13073)


async def test_family_member_may_use_the_subscribers_plan(
    od: httpx.AsyncClient, store: Store
) -> None:
    await edit(store, Patient, 12, guarantor=Ref(num=2617))
    assert (await history(od, PatNum=12, InsSubNum=2046))["InsHistBWCodes"] == ("No History", 0)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"PatNum": 2617}, 400, "InsSubNum"),
        ({"InsSubNum": 2046}, 400, "PatNum"),
        ({"PatNum": "x", "InsSubNum": 2046}, 400, "PatNum"),
        ({"PatNum": 9999, "InsSubNum": 2046}, 404, "Patient not found."),
        ({"PatNum": 2617, "InsSubNum": 9999}, 404, "InsSub not found."),
        ({"PatNum": 12, "InsSubNum": 2046}, 400, "InsSubNum"),
        ({**PLAN, "Other": 1}, 400, "Other"),
    ],
)
async def test_get_bad_params(
    od: httpx.AsyncClient, params: dict[str, Any], status: int, message: str
) -> None:
    r = await od.get("/procedurelogs/InsuranceHistory", params=params)
    assert r.status_code == status, r.text
    assert message in r.json()


GOOD = {**PLAN, "insHistPrefName": "InsHistExamCodes", "ProcDate": "2023-01-23"}


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"PatNum": None}, 400, "PatNum"),
        ({"InsSubNum": None}, 400, "InsSubNum"),
        ({"insHistPrefName": None}, 400, "insHistPrefName"),
        ({"ProcDate": None}, 400, "ProcDate"),
        ({"ProcDate": "2023-02-30"}, 400, "ProcDate"),
        ({"ProcDate": "0001-01-01"}, 400, "ProcDate"),
        ({"ProcDate": 20230123}, 400, "ProcDate"),
        ({"insHistPrefName": "inshistexamcodes"}, 400, "insHistPrefName"),
        ({"insHistPrefName": "InsHistFluorideCodes"}, 400, "insHistPrefName"),
        ({"insHistPrefName": "InsHistPerioULCodes"}, 400, "no procedure codes"),
        ({"PatNum": "abc"}, 400, "PatNum"),
        ({"ProcStatus": "C"}, 400, "ProcStatus"),
        ({"PatNum": 9999}, 404, "Patient not found."),
        ({"InsSubNum": 9999}, 404, "InsSub not found."),
        ({"PatNum": 12}, 400, "InsSubNum"),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, change: dict[str, Any], status: int, message: str
) -> None:
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    before = await snapshot(store)
    r = await od.post("/procedurelogs/InsuranceHistory", json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert await snapshot(store) == before
