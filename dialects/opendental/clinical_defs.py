"""What Open Dental's patient clinical records (Allergies, MedicationPats,
Diseases: reference/opendental/apiallergies.md, apimedicationpats.md,
apidiseases.md) share: the catalog entry each points at (AllergyDef,
Medication, DiseaseDef), chosen by number or by name, and the names shown
beside it.

- A POST names its entry by number (``AllergyDefNum``: "rarely used") or by
  name (``defDescription``: "handles insertion of AllergyDef automatically").
  The number wins when both are sent; an unknown number is a 404
  "<Entry> not found.". A name matches an entry case-insensitively, the
  lowest number first (catalogs hold duplicates); no match inserts one. Neither
  is a 400 "<name key> is required.". A name is at most :data:`NAME_LENGTH`
  characters, what Open Dental's catalog columns hold.
- The record keeps the entry's name in its own text field (the canonical
  ``description`` / ``name``), as the org API does, so DrChrono, which has no
  catalog, reads the allergen, medication or problem by name.
- The name shown is the entry's current name; a record with no entry (one a
  DrChrono client wrote) shows its own text and number 0.
- DELETE is the store's soft delete: Open Dental and DrChrono no longer see
  the record, the org API sees it archived (``deleted_at``), and every dialect
  keeps one consistent answer about it. A deleted record is a 404 to a second
  DELETE.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from canonical import Invalid, NotFound, Query, Record, Ref
from dialects.base import Call
from dialects.codec import CodecContext
from dialects.opendental.resource import OpenDentalResource

__all__ = ["NAME_LENGTH", "Catalog", "ClinicalResource", "Companion", "shown_names"]

NAME_LENGTH = 255
"""AllergyDef.Description, Medication.MedName and DiseaseDef.DiseaseName are varchar(255)."""

NAME = "name"
"""The name field of every catalog entry (AllergyDefinition, DiseaseDefinition,
MedicationDefinition), which ``Record`` itself does not declare."""


@dataclass(frozen=True)
class ClinicalResource(OpenDentalResource):
    """An Open Dental clinical resource whose 404 names it as Open Dental does
    ("MedicationPat not found.", "Disease not found."), not by its canonical model."""

    missing: str = ""

    def not_found(self) -> NotFound:
        return NotFound(self.missing, resource=self.model.resource)


class Companion:
    """A read-only key filled per page by the resource's ``computed`` hook;
    ``empty`` is what it shows until then (and for a record with nothing to show)."""

    def __init__(self, empty: Any) -> None:
        self.empty = empty

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return self.empty

    def from_wire(self, raw: Any, ctx: CodecContext) -> None:
        return None


@dataclass(frozen=True)
class Catalog:
    """One catalog an Open Dental clinical record points at.

    ``ref`` is the record's reference field, ``text`` its own text field that
    keeps the entry's name; ``num_key`` / ``name_key`` the wire keys that choose
    the entry; ``label`` how a 404 names the entry; ``new`` the fields of an
    entry inserted for a new name."""

    model: type[Record]
    ref: str
    text: str
    num_key: str
    name_key: str
    label: str
    new: Callable[[str], Mapping[str, Any]] = lambda name: {}

    async def by_name(self, call: Call, name: str) -> Record | None:
        """The entry of that name (any case), the lowest number first."""
        wanted = name.strip().casefold()
        for entry in (await call.backend.find(self.model, Query())).items:
            if str(getattr(entry, NAME)).strip().casefold() == wanted:
                return entry
        return None

    async def choose(self, call: Call, patch: dict[str, Any]) -> Record:
        """Fill ``patch``'s reference and text from the number or name a POST sent;
        the entry chosen."""
        ref = patch.get(self.ref)
        if ref is not None and ref.num is not None:
            try:
                entry = await call.backend.get(self.model, num=ref.num)
            except NotFound:
                raise NotFound(
                    f"{self.label} not found.", resource=self.model.resource, field=self.num_key
                ) from None
        else:
            name = patch.get(self.text) or ""
            if not name.strip():
                raise Invalid.field(self.name_key, f"{self.name_key} is required.")
            found = await self.by_name(call, name)
            if found is None:
                fresh = self.model.model_validate({"name": name.strip(), **self.new(name.strip())})
                found = await call.backend.create(fresh)
            entry = found
        patch[self.ref] = Ref(uuid=entry.uuid, num=entry.num)
        patch[self.text] = getattr(entry, NAME)
        return entry


def shown_names(
    catalog: Catalog,
    name_key: str,
    more: Callable[[Record | None], Mapping[str, Any]] = lambda entry: {},
) -> Callable[[Call, list[Record], bool], Any]:
    """A ``computed`` hook: ``name_key`` shows each record's entry's current name
    (the record's own text when it has none), plus ``more`` keys from the entry."""

    async def computed(call: Call, records: list[Record], verbose: bool) -> dict[int, Any]:
        nums = {ref.num for r in records if (ref := getattr(r, catalog.ref)) and ref.num}
        entries = await call.backend.get_many(catalog.model, nums) if nums else {}
        out: dict[int, dict[str, Any]] = {}
        for r in records:
            ref = getattr(r, catalog.ref)
            entry = entries.get(ref.num) if ref is not None and ref.num is not None else None
            name = getattr(entry, NAME) if entry is not None else getattr(r, catalog.text)
            out[r.num or 0] = {name_key: name, **more(entry)}
        return out

    return computed
