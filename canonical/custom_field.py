"""Practice-defined patient fields and their values.

:class:`FieldDefinition` is the superset of the org API's patient field
definition (seed 003: name, description, field_type, dropdown_options,
is_required, item_order) and DrChrono's ``/api/custom_demographics`` (name,
description, allowed_values, template_name, doctor, archived). Archiving sets
``deleted_at``. :class:`FieldValue` is one patient's value for one field,
kept as text (Open Dental ``patfield.FieldValue``); the definition's type
says how to read it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["FieldDefinition", "FieldType", "FieldValue"]


class FieldType(StrEnum):
    """Union of the org API's field types and Open Dental's PatFieldDef types."""

    text = "text"
    number = "number"
    currency = "currency"
    date = "date"
    boolean = "boolean"
    """A checkbox: the value is ``"true"`` or ``"false"``."""
    dropdown = "dropdown"
    """A pick list: the value is one of ``dropdown_options``."""


@register
class FieldDefinition(Record):
    resource = "field_definition"
    name_field = "name"

    name: str
    description: str = ""
    field_type: FieldType = FieldType.text
    dropdown_options: list[str] | None = None
    """Org ``dropdown_options``; DrChrono ``allowed_values``."""
    is_required: bool = False
    item_order: int = 0
    template_name: str = ""
    provider: Annotated[Ref | None, RefTo("provider")] = None
    """The doctor who defined it (DrChrono ``doctor``)."""


@register
class FieldValue(Record):
    resource = "field_value"

    patient: Annotated[Ref, RefTo("patient")]
    field_definition: Annotated[Ref, RefTo("field_definition")]
    value: str = ""
    user: Annotated[Ref | None, RefTo("user")] = None

    indexes: ClassVar[tuple[tuple[str, ...], ...]] = (("patient_num", "field_definition_num"),)
