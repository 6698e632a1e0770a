"""Where on the mouth a procedure applies: which of ``ToothNum``, ``Surf`` and
``ToothRange`` a procedure code's treatment area uses, and what each may hold
(seed 002, ProcedureLogs POST and PUT).

    Surf       tooth surfaces B/F, V, M, O/I, D, L; quadrants UL UR LR LL;
               sextants 1-6; arches U L
    ToothNum   permanent teeth 1-32, primary teeth A-T
    ToothRange "2,3, 13-15": teeth and hyphenated ranges, separated by commas

Values are checked, not rewritten: what a client sends is what it reads back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from canonical import Invalid, ProcedureCode, TreatmentArea

__all__ = [
    "AREA_NAMES",
    "LOCATION_FIELDS",
    "AreaRule",
    "Need",
    "check_locations",
    "missing_locations",
    "rule_for",
    "supports",
]

LOCATION_FIELDS = {"ToothNum": "tooth_num", "Surf": "surface", "ToothRange": "tooth_range"}
"""Wire name -> canonical field of the three location fields."""

AREA_NAMES = {
    TreatmentArea.none: "None",
    TreatmentArea.surface: "Surf",
    TreatmentArea.tooth: "Tooth",
    TreatmentArea.mouth: "Mouth",
    TreatmentArea.quadrant: "Quad",
    TreatmentArea.sextant: "Sextant",
    TreatmentArea.arch: "Arch",
    TreatmentArea.tooth_range: "ToothRange",
}
"""Open Dental's names of the treatment areas, for messages."""


class Need(Enum):
    no = "not used"
    required = "required"
    if_also_range = "required when the code's AreaAlsoToothRange is set"


_PERMANENT = [str(n) for n in range(1, 33)]
_PRIMARY = [chr(c) for c in range(ord("A"), ord("T") + 1)]
TEETH = frozenset(_PERMANENT + _PRIMARY)
SURFACE_LETTERS = frozenset("BFVMOIDL")
QUADRANTS = ("UL", "UR", "LR", "LL")
SEXTANTS = ("1", "2", "3", "4", "5", "6")
ARCHES = ("U", "L")


@dataclass(frozen=True, slots=True)
class AreaRule:
    """What one treatment area asks for in each location field."""

    tooth: Need = Need.no
    surf: tuple[str, ...] | None = None
    """Allowed Surf values; ``()`` means tooth-surface letters; ``None`` means no Surf."""
    tooth_range: Need = Need.no


RULES: Mapping[TreatmentArea, AreaRule] = {
    TreatmentArea.none: AreaRule(),
    TreatmentArea.mouth: AreaRule(),
    TreatmentArea.surface: AreaRule(tooth=Need.required, surf=()),
    TreatmentArea.tooth: AreaRule(tooth=Need.required),
    TreatmentArea.quadrant: AreaRule(surf=QUADRANTS, tooth_range=Need.if_also_range),
    TreatmentArea.sextant: AreaRule(surf=SEXTANTS),
    TreatmentArea.arch: AreaRule(surf=ARCHES, tooth_range=Need.if_also_range),
    TreatmentArea.tooth_range: AreaRule(tooth_range=Need.required),
}


def rule_for(code: ProcedureCode) -> AreaRule:
    return RULES[code.treatment_area]


def _needs(code: ProcedureCode, wire: str) -> Need:
    rule = rule_for(code)
    if wire == "ToothNum":
        return rule.tooth
    if wire == "Surf":
        return Need.no if rule.surf is None else Need.required
    if rule.tooth_range is Need.if_also_range:
        return Need.required if code.area_also_tooth_range else Need.no
    return rule.tooth_range


def supports(code: ProcedureCode, wire: str) -> bool:
    return _needs(code, wire) is not Need.no


# -- value checks ---------------------------------------------------------------

_RANGE_ITEM = re.compile(r"^([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?$")


def _tooth_problem(text: str) -> str | None:
    if text not in TEETH:
        return f'"{text}" is not a tooth number (1-32 or A-T)'
    return None


def _surface_problem(text: str, allowed: tuple[str, ...]) -> str | None:
    if allowed:
        if text not in allowed:
            return f'"{text}" must be one of {", ".join(allowed)}'
        return None
    if not text or any(c not in SURFACE_LETTERS for c in text):
        return f'"{text}" must be tooth surfaces from B/F, V, M, O/I, D, L'
    if len(set(text)) != len(text):
        return f'"{text}" names a surface twice'
    return None


def _ordinal(tooth: str) -> tuple[int, int]:
    """(dentition, position) so a range runs within one dentition, low to high."""
    return (0, int(tooth)) if tooth.isdigit() else (1, ord(tooth))


def _range_problem(text: str) -> str | None:
    for item in text.split(","):
        m = _RANGE_ITEM.match(item.strip())
        if m is None:
            return (
                f'"{text}" must be tooth numbers and ranges separated by commas, e.g. "2,3, 13-15"'
            )
        first, last = m.group(1), m.group(2)
        for tooth in (first, last):
            if tooth is not None and (problem := _tooth_problem(tooth)):
                return problem
        if last is not None:
            (d1, p1), (d2, p2) = _ordinal(first), _ordinal(last)
            if d1 != d2 or p1 > p2:
                return f'"{first}-{last}" is not a range of teeth from low to high'
    return None


def _value_problem(code: ProcedureCode, wire: str, text: str) -> str | None:
    if wire == "ToothNum":
        return _tooth_problem(text)
    if wire == "ToothRange":
        return _range_problem(text)
    allowed = rule_for(code).surf
    return _surface_problem(text, allowed or ())


def check_locations(code: ProcedureCode, values: Mapping[str, str]) -> None:
    """Each given location field must be used by the code's area and well formed.

    ``values`` maps wire names to the (non-empty) text given; every problem is
    reported at once, naming its field.
    """
    area = AREA_NAMES[code.treatment_area]
    errors: dict[str, str] = {}
    for wire, text in values.items():
        if not supports(code, wire):
            errors[wire] = f"{wire} is not used by procCode {code.code} (treatment area {area})."
        elif problem := _value_problem(code, wire, text):
            errors[wire] = f"{wire} {problem}."
    if errors:
        raise Invalid(" ".join(errors.values()), errors)


def missing_locations(code: ProcedureCode, values: Mapping[str, str]) -> None:
    """Every location field the code's area requires must be present (non-empty)."""
    area = AREA_NAMES[code.treatment_area]
    errors = {
        wire: f"{wire} is required for procCode {code.code} (treatment area {area})."
        for wire in LOCATION_FIELDS
        if _needs(code, wire) is Need.required and not values.get(wire)
    }
    if errors:
        raise Invalid(" ".join(errors.values()), errors)
