"""Clinical catalogs a patient's clinical records point at: allergy, disease and
medication definitions (the org API's "org settings catalog", Open Dental's
AllergyDef / DiseaseDef / Medication tables).

DrChrono keeps no catalog: its allergies, problems and medications carry the
name as free text, which the clinical records keep in their own fields.
"""

from __future__ import annotations

from canonical.base import Record
from canonical.registry import register

__all__ = ["AllergyDefinition", "DiseaseDefinition", "MedicationDefinition"]


@register
class AllergyDefinition(Record):
    """An allergen in the catalog (org ``allergy_definition``)."""

    resource = "allergy_definition"
    name_field = "name"
    name: str
    snomed_type: str = ""
    """The SNOMED allergy type, by Open Dental's SnomedAllergy names ("DrugAllergy",
    "FoodIntolerance", ...); "" for none."""
    rxnorm: str = ""
    """RxNorm code of the drug, for drug allergies (drug-allergy warnings compare it)."""
    is_hidden: bool = False


@register
class DiseaseDefinition(Record):
    """A disease or problem in the catalog (org ``disease_definition``)."""

    resource = "disease_definition"
    name_field = "name"
    name: str
    icd9_code: str = ""
    icd10_code: str = ""
    snomed_code: str = ""
    is_hidden: bool = False


@register
class MedicationDefinition(Record):
    """A medication in the catalog (org ``medication_definition``)."""

    resource = "medication_definition"
    name_field = "name"
    name: str
    generic_name: str = ""
    rxnorm: str = ""
    notes: str = ""
    is_hidden: bool = False
