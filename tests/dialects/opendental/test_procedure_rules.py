"""Treatment-area rules of ProcedureLogs POST and PUT (seed 002): which of
ToothNum, Surf and ToothRange each area uses, and what each may hold."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Invalid, ProcedureCode, TreatmentArea
from dialects.opendental.procedure_rules import check_locations, missing_locations
from gateway.backends.store import Store
from tests.dialects.opendental.procedure_helpers import snapshot


def code(area: TreatmentArea, also_range: bool = False) -> ProcedureCode:
    return ProcedureCode(code="D0000", treatment_area=area, area_also_tooth_range=also_range)


SURFACE = code(TreatmentArea.surface)
TOOTH = code(TreatmentArea.tooth)
MOUTH = code(TreatmentArea.mouth)
QUADRANT = code(TreatmentArea.quadrant)
QUADRANT_RANGE = code(TreatmentArea.quadrant, also_range=True)
SEXTANT = code(TreatmentArea.sextant)
ARCH = code(TreatmentArea.arch)
ARCH_RANGE = code(TreatmentArea.arch, also_range=True)
RANGE = code(TreatmentArea.tooth_range)


@pytest.mark.parametrize(
    ("proc_code", "values"),
    [
        (SURFACE, {"ToothNum": "4", "Surf": "MODL"}),
        (SURFACE, {"ToothNum": "32", "Surf": "B"}),
        (SURFACE, {"ToothNum": "A", "Surf": "F"}),
        (SURFACE, {"ToothNum": "T", "Surf": "IV"}),
        (TOOTH, {"ToothNum": "1"}),
        (MOUTH, {}),
        (QUADRANT, {"Surf": "UL"}),
        (QUADRANT, {"Surf": "LR"}),
        (QUADRANT_RANGE, {"Surf": "UR", "ToothRange": "1-8"}),
        (SEXTANT, {"Surf": "1"}),
        (SEXTANT, {"Surf": "6"}),
        (ARCH, {"Surf": "U"}),
        (ARCH_RANGE, {"Surf": "L", "ToothRange": "31,30, 18-21"}),
        (RANGE, {"ToothRange": "2,3, 13-15"}),
        (RANGE, {"ToothRange": "A-E,K"}),
        (RANGE, {"ToothRange": "7"}),
    ],
)
def test_valid_locations(proc_code: ProcedureCode, values: dict[str, str]) -> None:
    check_locations(proc_code, values)
    missing_locations(proc_code, values)


@pytest.mark.parametrize(
    ("proc_code", "values", "field"),
    [
        (SURFACE, {"ToothNum": "33", "Surf": "M"}, "ToothNum"),
        (SURFACE, {"ToothNum": "0", "Surf": "M"}, "ToothNum"),
        (SURFACE, {"ToothNum": "04", "Surf": "M"}, "ToothNum"),
        (SURFACE, {"ToothNum": "U", "Surf": "M"}, "ToothNum"),
        (SURFACE, {"ToothNum": "a", "Surf": "M"}, "ToothNum"),
        (SURFACE, {"ToothNum": "4", "Surf": "MX"}, "Surf"),
        (SURFACE, {"ToothNum": "4", "Surf": "MM"}, "Surf"),
        (SURFACE, {"ToothNum": "4", "Surf": "mo"}, "Surf"),
        (SURFACE, {"ToothNum": "4", "Surf": "M", "ToothRange": "3"}, "ToothRange"),
        (TOOTH, {"ToothNum": "4", "Surf": "M"}, "Surf"),
        (MOUTH, {"ToothNum": "4"}, "ToothNum"),
        (MOUTH, {"Surf": "UL"}, "Surf"),
        (QUADRANT, {"Surf": "UM"}, "Surf"),
        (QUADRANT, {"Surf": "UL", "ToothNum": "3"}, "ToothNum"),
        (QUADRANT, {"Surf": "UL", "ToothRange": "3"}, "ToothRange"),
        (SEXTANT, {"Surf": "7"}, "Surf"),
        (SEXTANT, {"Surf": "0"}, "Surf"),
        (ARCH, {"Surf": "UL"}, "Surf"),
        (ARCH, {"Surf": "L", "ToothRange": "18-21"}, "ToothRange"),
        (ARCH_RANGE, {"Surf": "L", "ToothRange": "18-40"}, "ToothRange"),
        (RANGE, {"ToothRange": "2,,3"}, "ToothRange"),
        (RANGE, {"ToothRange": "15-13"}, "ToothRange"),
        (RANGE, {"ToothRange": "3-C"}, "ToothRange"),
        (RANGE, {"ToothRange": "2;3"}, "ToothRange"),
        (RANGE, {"ToothRange": "2-3-4"}, "ToothRange"),
        (RANGE, {"ToothNum": "2"}, "ToothNum"),
    ],
)
def test_invalid_locations(proc_code: ProcedureCode, values: dict[str, str], field: str) -> None:
    with pytest.raises(Invalid) as err:
        check_locations(proc_code, values)
    assert field in err.value.fields


@pytest.mark.parametrize(
    ("proc_code", "values", "missing"),
    [
        (SURFACE, {}, {"ToothNum", "Surf"}),
        (SURFACE, {"ToothNum": "4"}, {"Surf"}),
        (TOOTH, {}, {"ToothNum"}),
        (QUADRANT, {}, {"Surf"}),
        (QUADRANT_RANGE, {"Surf": "UL"}, {"ToothRange"}),
        (SEXTANT, {}, {"Surf"}),
        (ARCH_RANGE, {"ToothRange": "2-4"}, {"Surf"}),
        (RANGE, {"ToothRange": ""}, {"ToothRange"}),
    ],
)
def test_required_locations(
    proc_code: ProcedureCode, values: dict[str, str], missing: set[str]
) -> None:
    with pytest.raises(Invalid) as err:
        missing_locations(proc_code, values)
    assert set(err.value.fields) == missing


BASE = {"PatNum": 31, "ProcDate": "2024-02-01", "ProcStatus": "TP"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"procCode": "D2331", "Surf": "MO"}, "ToothNum"),
        ({"procCode": "D2331", "ToothNum": "4"}, "Surf"),
        ({"procCode": "D2331", "ToothNum": "4", "Surf": "MO", "ToothRange": "3"}, "ToothRange"),
        ({"procCode": "D7140"}, "ToothNum"),
        ({"procCode": "D0120", "Surf": "MO"}, "Surf"),
        ({"procCode": "D0120", "ToothNum": "3"}, "ToothNum"),
        ({"procCode": "D4341"}, "Surf"),
        ({"procCode": "D4341", "Surf": "U"}, "Surf"),
        ({"procCode": "D4999", "Surf": "7"}, "Surf"),
        ({"procCode": "D9972", "Surf": "U"}, "ToothRange"),
        ({"procCode": "D9975", "Surf": "U", "ToothRange": "2-4"}, "ToothRange"),
        ({"procCode": "D1206"}, "ToothRange"),
        ({"procCode": "D1206", "ToothRange": "2-40"}, "ToothRange"),
        ({"procCode": "D2331", "ToothNum": 4, "Surf": "MO"}, "ToothNum"),
    ],
)
async def test_post_location_rules(
    od: httpx.AsyncClient, store: Store, body: dict[str, Any], field: str
) -> None:
    before = await snapshot(store)
    r = await od.post("/procedurelogs", json={**BASE, **body})
    assert r.status_code == 400, r.text
    assert field in r.json()
    assert await snapshot(store) == before


@pytest.mark.parametrize(
    "body",
    [
        {"procCode": "D7140", "ToothNum": "K"},
        {"procCode": "D0120", "Surf": "", "ToothNum": "", "ToothRange": ""},
        {"procCode": "D4341", "Surf": "LL"},
        {"procCode": "D4999", "Surf": "4"},
        {"procCode": "D9975", "Surf": "L"},
        {"procCode": "D9972", "Surf": "U", "ToothRange": "3-14"},
    ],
)
async def test_post_valid_locations_are_stored_as_given(
    od: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    r = await od.post("/procedurelogs", json={**BASE, **body})
    assert r.status_code == 201, r.text
    got = (await od.get(f"/procedurelogs/{r.json()['ProcNum']}")).json()
    for wire in ("ToothNum", "Surf", "ToothRange"):
        assert got[wire] == body.get(wire, "")
