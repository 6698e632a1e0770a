"""Patient tags: practice-defined labels (org API patient tag definitions, seed
003) and their assignment to patients (what the org API's patient lists
filter by with ``tag_definition_uuid``). Archiving a definition sets
``deleted_at``; removing a tag from a patient soft-deletes the assignment."""

from __future__ import annotations

from typing import Annotated, ClassVar

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["TagAssignment", "TagDefinition"]


@register
class TagDefinition(Record):
    resource = "tag_definition"
    name_field = "name"

    name: str
    description: str = ""
    category: str = ""
    color: str = ""
    item_order: int = 0


@register
class TagAssignment(Record):
    resource = "tag_assignment"

    patient: Annotated[Ref, RefTo("patient")]
    tag_definition: Annotated[Ref, RefTo("tag_definition")]
    user: Annotated[Ref | None, RefTo("user")] = None
    """Who assigned it."""

    indexes: ClassVar[tuple[tuple[str, ...], ...]] = (("tag_definition_num", "patient_num"),)
