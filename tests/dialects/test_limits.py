"""Bounds on client values (dialects/limits.py): oversize numbers, long or
NUL-carrying search values and NUL in stored text are each dialect's 4xx,
naming the field, and change nothing."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

import httpx
import pytest

from canonical import (
    INT64_MAX,
    INT64_MIN,
    Commlog,
    Invalid,
    Medication,
    Patient,
    Procedure,
    Ref,
)
from dialects.limits import MAX_QUERY_VALUE, check_query, parse_decimal, value_problem
from gateway.backends.store import Store
from tests.support import stored

# -- parse_decimal -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "places", "expected"),
    [
        ("12.5", 2, Decimal("12.50")),
        (12.345, 2, Decimal("12.34")),  # float 12.345 is 12.3449...: half-even on its digits
        ("9999999999999.99", 2, Decimal("9999999999999.99")),  # the largest amount
        ("-9999999999999.99", 2, Decimal("-9999999999999.99")),
        ("1e-400", 2, Decimal("0.00")),  # tiny: rounds to zero, no error
        ("0", None, Decimal("0")),
        ("1." + "1" * 27, None, Decimal("1." + "1" * 27)),  # 28 significant digits
        (7, None, Decimal(7)),
    ],
)
def test_parse_decimal_accepts_what_fits(raw: Any, places: int | None, expected: Decimal) -> None:
    assert parse_decimal(raw, places=places, message="bad") == expected


@pytest.mark.parametrize(
    "raw",
    ["1e13", 10**13, 1e26, 1e30, "1e400", "-1e13", "99999999999999", 1e308],
)
def test_parse_decimal_refuses_thirteen_digits_and_more(raw: Any) -> None:
    with pytest.raises(ValueError, match="no more than 13 digits before the decimal point"):
        parse_decimal(raw, places=2, message="bad")


def test_parse_decimal_bounds_significant_digits_without_places() -> None:
    with pytest.raises(ValueError, match="no more than 28 digits"):
        parse_decimal("1." + "1" * 28, places=None, message="bad")


@pytest.mark.parametrize("raw", ["x", "", True, None, [1], {"a": 1}, "1,5"])
def test_parse_decimal_refuses_what_is_not_a_number(raw: Any) -> None:
    with pytest.raises(ValueError, match=r"^bad$"):
        parse_decimal(raw, places=2, message="bad")


@pytest.mark.parametrize("raw", ["NaN", "inf", "-Infinity", float("inf")])
def test_parse_decimal_names_non_finite_values(raw: Any) -> None:
    with pytest.raises(ValueError, match=r"^finite please$"):
        parse_decimal(raw, places=2, message="bad", not_finite="finite please")


def test_parse_decimal_rounding_is_the_callers() -> None:
    assert parse_decimal("1.999", places=2, message="", rounding=ROUND_DOWN) == Decimal("1.99")
    assert parse_decimal("1.999", places=2, message="") == Decimal("2.00")


# -- value_problem -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["", "plain", INT64_MAX, INT64_MIN, True, [1, "a"], {"k": [2]}, Ref(num=INT64_MAX)]
)
def test_value_problem_passes_what_a_column_holds(value: Any) -> None:
    assert value_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("a\x00b", "NUL"),
        (["ok", "\x00"], "NUL"),
        ({"k\x00": 1}, "NUL"),
        ({"k": {"deeper": "x\x00"}}, "NUL"),
        (INT64_MAX + 1, "between"),
        (INT64_MIN - 1, "between"),
        ([1, 2**70], "between"),
        (Ref(num=2**64), "between"),
        (Ref(name="a\x00"), "NUL"),
    ],
)
def test_value_problem_finds_nul_and_oversize_integers(value: Any, problem: str) -> None:
    found = value_problem(value)
    assert found is not None and problem in found


# -- check_query ---------------------------------------------------------------------


def test_check_query_caps_values_at_the_documented_length() -> None:
    check_query([("LName", "A" * MAX_QUERY_VALUE)])
    with pytest.raises(Invalid) as err:
        check_query([("LName", "A" * (MAX_QUERY_VALUE + 1)), ("FName", "ok")])
    assert err.value.fields == {
        "LName": f"LName must be at most {MAX_QUERY_VALUE} characters long."
    }


def test_check_query_refuses_nul_in_names_and_values() -> None:
    with pytest.raises(Invalid) as err:
        check_query([("search", "a\x00b")], "query.{}")
    assert err.value.fields == {"query.search": "search must not contain a NUL character."}
    with pytest.raises(Invalid):
        check_query([("se\x00arch", "ab")])


# -- over HTTP: each dialect's shape, nothing changed ----------------------------------

HUGE = "A" * 50_000


async def test_open_dental_huge_fee_is_a_400_naming_procfee(
    od: httpx.AsyncClient, store: Store
) -> None:
    before = await stored(store, Procedure)
    put = await od.put("/procedurelogs/25", json={"ProcFee": "1e26"})
    assert put.status_code == 400
    assert put.json() == "ProcFee must have no more than 13 digits before the decimal point."
    post = await od.post(
        "/procedurelogs",
        json={"PatNum": 15, "ProcDate": "2021-01-01", "ProcStatus": "C", "procCode": "D0120"}
        | {"ProcFee": "1e30"},
    )
    assert (post.status_code, "ProcFee" in post.json()) == (400, True)
    assert await stored(store, Procedure) == before
    # The largest amount that fits is taken, and read back to the cent.
    ok = await od.put("/procedurelogs/25", json={"ProcFee": "9999999999999.99"})
    assert (ok.status_code, ok.json()["ProcFee"]) == (200, "9999999999999.99")


@pytest.mark.parametrize("as_form", [False, True])
async def test_drchrono_huge_cash_charged_is_a_400(
    drc: httpx.AsyncClient, store: Store, as_form: bool
) -> None:
    before = await stored(store, Commlog)
    body = {"patient": 15, "doctor": 1, "cash_charged": "1e30"}
    r = await (
        drc.post("/api/comm_logs", data=body) if as_form else drc.post("/api/comm_logs", json=body)
    )
    assert r.status_code == 400
    assert list(r.json()) == ["cash_charged"]
    assert "13 digits" in r.json()["cash_charged"][0]
    assert await stored(store, Commlog) == before


async def test_drchrono_huge_dispense_quantity_is_a_400(
    drc: httpx.AsyncClient, store: Store
) -> None:
    made = await drc.post(
        "/api/medications", json={"doctor": 1, "patient": 15, "name": "Amoxicillin"}
    )
    assert made.status_code == 201, made.text
    before = await stored(store, Medication)
    r = await drc.patch(f"/api/medications/{made.json()['id']}", json={"dispense_quantity": 1e26})
    assert (r.status_code, list(r.json())) == (400, ["dispense_quantity"])
    assert await stored(store, Medication) == before


async def test_org_api_huge_vital_sign_is_a_422(org: httpx.AsyncClient) -> None:
    patients = (await org.get("/patients", params={"search": "smith"})).json()["items"]
    r = await org.post(
        f"/patients/{patients[0]['id']}/vital-signs",
        json={"date_taken": "2025-01-15", "weight_lbs": 1e30},
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][-1] == "weight_lbs"


@pytest.mark.parametrize(
    ("client", "path", "param"),
    [
        ("od", "/patients", "LName"),
        ("drc", "/api/patients", "last_name"),
        ("org", "/patients", "search"),
    ],
)
async def test_a_long_search_value_is_the_dialects_4xx(
    od: httpx.AsyncClient,
    drc: httpx.AsyncClient,
    org: httpx.AsyncClient,
    client: str,
    path: str,
    param: str,
) -> None:
    c = {"od": od, "drc": drc, "org": org}[client]
    r = await c.get(path, params={param: HUGE})
    message = f"{param} must be at most {MAX_QUERY_VALUE} characters long."
    if client == "od":
        assert (r.status_code, r.json()) == (400, message)
    elif client == "drc":
        assert (r.status_code, r.json()) == (400, {param: [message]})
    else:
        assert r.status_code == 422
        assert r.json()["detail"] == [
            {"loc": ["query", param], "msg": message, "type": "value_error"}
        ]


async def test_a_search_value_at_the_cap_is_served(od: httpx.AsyncClient) -> None:
    r = await od.get("/patients", params={"LName": "A" * MAX_QUERY_VALUE})
    assert (r.status_code, r.json()) == (200, [])


async def test_nul_in_a_search_is_refused_not_cut_short(od: httpx.AsyncClient) -> None:
    # Before: SQLite's LIKE stopped at the NUL, so "a\x00b" matched names ending in "a".
    r = await od.get("/patients", params={"LName": "a\x00b"})
    assert (r.status_code, r.json()) == (400, "LName must not contain a NUL character.")


@pytest.mark.parametrize(
    ("client", "method", "path", "body", "field"),
    [
        ("od", "PUT", "/patients/15", {"LName": "Smi\x00th"}, "LName"),
        ("od", "POST", "/commlogs", {"PatNum": 15, "Note": "a\x00b"}, "Note"),
        ("drc", "PATCH", "/api/patients/15", {"last_name": "Smi\x00th"}, "last_name"),
    ],
)
async def test_nul_in_stored_text_is_refused(
    od: httpx.AsyncClient,
    drc: httpx.AsyncClient,
    store: Store,
    client: str,
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    c = {"od": od, "drc": drc}[client]
    before = (await stored(store, Commlog), await stored(store, Patient))
    r = await c.request(method, path, json=body)
    assert r.status_code == 400, r.text
    assert field in r.text and "NUL" in r.text
    assert (await stored(store, Commlog), await stored(store, Patient)) == before


async def test_nul_in_org_api_text_is_a_422(org: httpx.AsyncClient) -> None:
    patients = (await org.get("/patients", params={"search": "smith"})).json()["items"]
    current = (await org.get(f"/patients/{patients[0]['id']}")).json()
    r = await org.patch(
        f"/patients/{current['id']}",
        json={"base_version": current["version"], "last_name": "Smi\x00th"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][-1] == "last_name"


async def test_integers_past_64_bits_in_a_body_are_refused(od: httpx.AsyncClient) -> None:
    r = await od.put("/tasks/9027", json={"Priority": 2**64})
    assert r.status_code in (400, 404), r.text
    r = await od.put("/procedurelogs/25", json={"Priority": str(2**63)})
    assert (r.status_code, "Priority must be between" in r.json()) == (400, True)
