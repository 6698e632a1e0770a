"""What a migration moves, in which order, and how reference records are matched.

Decisions:

- **Order.** Reference data first, each before what points at it (clinics,
  providers, users and groups, definitions, procedure codes, task lists and
  their statuses and templates, alert, field and tag definitions), then
  patients, then what points at patients, appointments before what points
  at appointments (commlogs, tasks, procedures). A reference that still has
  no target (a clinic's owner, a patient's guarantor later in the stream)
  is sent without it and the record is written again at the end of the run
  with it (``deferred``).
- **Which resources.** Those the source lists and the target creates; also
  those the source lists and the target only lists (Open Dental clinics,
  DrChrono doctors and offices): they are matched, never created. What the
  source has and the target cannot hold at all is named in the report as
  not moved, with the reason.
- **Matching** (reference data only; patients and their records are always
  created): the first rule of the resource that both records hold a value
  for decides, compared without case or surrounding spaces. Providers by NPI,
  then abbreviation, then first and last name; clinics by abbreviation, then
  description; definitions by category and name; users by username;
  procedure codes by code; task statuses and templates by their task list
  (as matched) and name; the rest by name (task lists by description).
  A reference record that matches nothing and cannot be created on the
  target is skipped, and references to it are dropped and reported as lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from canonical import Record, Ref
from gateway.migrate.ends import End

__all__ = ["MATCH", "ORDER", "REFERENCE", "Plan", "Step", "match_keys", "plan"]

REFERENCE: tuple[str, ...] = (
    "clinic",
    "provider",
    "user",
    "user_group",
    "definition",
    "procedure_code",
    "task_list",
    "task_status",
    "task_template",
    "alert_definition",
    "field_definition",
    "tag_definition",
)
PATIENT_RECORDS: tuple[str, ...] = (
    "appointment",
    "commlog",
    "task",
    "task_note",
    "procedure",
    "allergy",
    "medication",
    "problem",
    "vital_sign",
    "patient_alert",
    "relationship",
    "referral_attribution",
    "tag_assignment",
    "field_value",
)
ORDER: tuple[str, ...] = (*REFERENCE, "patient", *PATIENT_RECORDS)

MATCH: dict[str, tuple[tuple[str, ...], ...]] = {
    "provider": (("npi",), ("abbreviation",), ("first_name", "last_name")),
    "clinic": (("abbreviation",), ("description",)),
    "definition": (("category", "name"),),
    "user": (("username",),),
    "user_group": (("name",),),
    "procedure_code": (("code",),),
    "task_list": (("description",),),
    "task_status": (("task_list", "name"),),
    "task_template": (("task_list", "name"),),
    "alert_definition": (("name",),),
    "field_definition": (("name",),),
    "tag_definition": (("name",),),
}


@dataclass(frozen=True, slots=True)
class Step:
    resource: str
    create: bool
    """The target creates this resource; else its records are matched only."""


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Step, ...]
    not_moved: dict[str, str]
    """resource -> why it does not move (the source has it, the target cannot hold it)."""

    @property
    def resources(self) -> list[str]:
        return [s.resource for s in self.steps]


def plan(source: End, target: End, wanted: Sequence[str] | None = None) -> Plan:
    """The steps between ``source`` and ``target``; ``wanted``: ``--resources``
    (a name not known is a ``ValueError``)."""
    unknown = [w for w in wanted or () if w not in ORDER]
    if unknown:
        raise ValueError(
            f"unknown resource {', '.join(unknown)}; resources are: {', '.join(ORDER)}"
        )
    steps = []
    not_moved: dict[str, str] = {}
    for resource in ORDER:
        if wanted and resource not in wanted:
            continue
        if not source.lists(resource):
            if wanted:
                not_moved[resource] = f"the {source.dialect or 'store'} source does not list it"
            continue
        if target.creates(resource):
            steps.append(Step(resource, True))
        elif resource in MATCH and target.lists(resource):
            steps.append(Step(resource, False))
        else:
            not_moved[resource] = f"the {target.dialect or 'store'} target cannot hold it"
    return Plan(tuple(steps), not_moved)


def _norm(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().casefold()
        return text or None
    return getattr(value, "value", value)


def match_keys(
    record: Record, ref_key: Callable[[str, Ref], str | None]
) -> Iterable[tuple[int, tuple[Any, ...]]]:
    """(rule index, normalized values) of every match rule ``record`` holds values
    for; a reference in a rule (a task status's task list) is compared by its key
    on the target (``ref_key``: the field and the reference to that key)."""
    for i, rule in enumerate(MATCH.get(record.resource, ())):
        values = tuple(
            ref_key(f, v) if isinstance(v := getattr(record, f, None), Ref) else _norm(v)
            for f in rule
        )
        if all(v is not None and v != "" for v in values):
            yield i, values
