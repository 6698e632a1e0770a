"""The org API client's custom field values (``/patients/{patient_uuid}/field-values``).

The org API has no per-value create, update or delete: one ``PUT`` upserts a
patient's values (``{"fields": [{"field_definition_uuid", "value"}]}``; null
clears one) and answers the values it set. Decisions:

- **Reading.** A value is shown as a JSON boolean for a ``boolean`` field and
  as text otherwise; the canonical record keeps the text the server stores
  (``"true"``/``"false"``, decimal strings, ``YYYY-MM-DD``), so a value read
  back is :func:`stored_text` of what was shown. The list pages as the org
  API's other lists do, and the changed-since feed is theirs (stamps).
- **Writing.** :meth:`FieldValues.set_field_values` takes each definition (its
  ``field_type`` says how the value is sent: a boolean as a JSON boolean) and
  the canonical text, or ``None`` to clear it, and answers the values set.
  A PUT is idempotent, so the transport may retry it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from canonical import BadUpstream, FieldDefinition, FieldValue, Patient
from dialects.client import DialectClient, Remote
from dialects.orgapi import field_values
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource

__all__ = ["FIELD_VALUES", "FieldValues", "stored_text"]

FIELD_VALUES = OrgApiResource(
    f"{PER_PATIENT}/field-values",
    field_values.CODEC,
    operations=("list",),
    owner="patient",
)
"""The listing as a client reads it (the server serves it through named handlers)."""


def stored_text(raw: Any) -> str:
    """The canonical text of a value the server shows."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if raw is None:
        return ""
    if isinstance(raw, str | int | float):
        return str(raw)
    raise ValueError("is not a field value")


class FieldValues(DialectClient):
    """Reading and upserting a patient's custom field values."""

    def read_value(self, resource: Remote, payload: dict[str, Any]) -> FieldValue:
        """A field value from the server's entry: its ``value`` read as stored text."""
        shown = {k: v for k, v in payload.items() if k != "value"}
        record = self._as(FieldValue, DialectClient.decode(self, resource, shown))
        try:
            text = stored_text(payload.get("value"))
        except ValueError:
            raise BadUpstream(
                f"{self.upstream} answered a field_value this gateway cannot read: "
                "value is not a field value."
            ) from None
        return record.model_copy(update={"value": text})

    async def set_field_values(
        self, patient: Patient, values: Sequence[tuple[FieldDefinition, str | None]]
    ) -> list[FieldValue]:
        """Upsert ``(definition, text or None to clear)`` for ``patient``; the values set."""
        res = self.resource(FieldValue)
        fields = [
            {
                "field_definition_uuid": str(self.key_of(definition)),
                "value": None if text is None else field_values.wire_value(definition, text),
            }
            for definition, text in values
        ]
        url = self.collection_url(res, patient)
        body = self.payload(await self.call("PUT", url, json={"fields": fields}))
        if not isinstance(body, list):
            raise BadUpstream(f"{self.upstream} answered a field-values upsert with no list.")
        return [self.read_value(res, item) for item in body]
