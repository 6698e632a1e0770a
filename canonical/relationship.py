"""A directional relationship from one patient to another (org API patient
relationships, seed 003). ``patient`` is the source (org ``from_patient``).
The inverse is not created automatically."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["Relationship", "RelationshipType"]


class RelationshipType(StrEnum):
    spouse = "spouse"
    life_partner = "life_partner"
    parent = "parent"
    child = "child"
    sibling = "sibling"
    guardian = "guardian"
    grandparent = "grandparent"
    grandchild = "grandchild"
    stepparent = "stepparent"
    stepchild = "stepchild"
    foster_child = "foster_child"
    caregiver = "caregiver"
    other_family = "other_family"
    merge = "merge"
    """A data operation: the source was merged into the target."""
    clone = "clone"


@register
class Relationship(Record):
    resource = "relationship"

    patient: Annotated[Ref, RefTo("patient")]
    to_patient: Annotated[Ref, RefTo("patient")]
    relationship_type: RelationshipType
    is_guardian: bool | None = None
    """Whether the source patient is the legal guardian of the target."""
    note: str = ""
