"""Open Dental Tasks (seed 001, reference/opendental/apitasks.md): GET one,
GET many (TaskListNum, KeyNum, ObjectType, TaskStatus, DateTimeOriginal), POST, PUT.

Decisions where the documents are silent or contradict themselves:

- ``KeyNum`` is the patient or the appointment the task is about, per
  ``ObjectType``; giving ``KeyNum`` without ``ObjectType`` is a 400 (the
  documented rule), a non-zero ``KeyNum`` with ``ObjectType`` "None" is a 400
  (it would be dropped), and ``ObjectType`` "Patient"/"Appointment" needs a
  ``KeyNum`` naming an existing record (400 when missing or 0, 404 when absent).
  Giving ``ObjectType`` replaces what the task is attached to: the reference of
  the other object type is cleared.
- POST requires only ``TaskListNum``, as seed 001 says (the fuller reference
  page also marks ``Descript`` and ``UserNum`` required; clients written to the
  seed send neither). ``Descript`` defaults to empty. ``UserNum`` defaults to
  the credential's user, or 0 when the credential names none; given, it is
  stored as given ("the user that created the task"; the documented
  response's ``1`` for a request of ``12`` is not reproduced), 0 meaning none.
  ``UserNum`` cannot be changed by PUT (not a PUT field).
- The default ``PriorityDefNum`` is the task priority definition marked
  default (``value`` "D", Open Dental's ItemValue for it), else the first
  visible one in definition order.
- ``DateTimeFinished`` is server-kept: becoming Done sets it to now, leaving
  Done clears it, Done -> Done keeps the original finish time.
- "Descript ... Sets tasks with a TaskStatus of Done to Viewed": only when the
  description actually changes, and only when the same PUT does not give a
  ``TaskStatus`` (an explicit status wins).
- ``DateTimeEntry`` "0001-01-01 00:00:00" on POST means the default (now); on
  PUT it is a 400 (a task always has an entry time). ``PriorityDefNum`` 0 on
  POST means the default priority.
- A PUT with no fields changes nothing and returns the task as it is.
- GET many: ``DateTimeOriginal`` is inclusive; without it only tasks created in
  the 14 days before the request are listed; ``0001-01-01 00:00:00`` lifts the
  lower bound. ``KeyNum=0`` with an ``ObjectType`` does not filter by record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from canonical import (
    Cond,
    Definition,
    DefinitionCategory,
    Invalid,
    Order,
    Query,
    Record,
    Ref,
    Task,
    TaskObjectType,
    TaskStatus,
)
from canonical.task import SUBJECT_FIELDS, TaskDateType, TaskReminderType
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field, merge_patch
from dialects.opendental.formats import Bool, Date, DateTime, Int, RefNum, Text
from dialects.opendental.params import Params
from dialects.opendental.resource import OpenDentalResource

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE"]

STATUSES = EnumMap({"New": TaskStatus.new, "Viewed": TaskStatus.viewed, "Done": TaskStatus.done})

OBJECT_TYPES = EnumMap(
    {
        "None": TaskObjectType.none,
        "Patient": TaskObjectType.patient,
        "Appointment": TaskObjectType.appointment,
    }
)

DATE_TYPES = EnumMap(
    {
        "None": TaskDateType.none,
        "Day": TaskDateType.day,
        "Week": TaskDateType.week,
        "Month": TaskDateType.month,
    }
)

REMINDER_TYPES = EnumMap(
    {
        "NoReminder": TaskReminderType.no_reminder,
        "Once": TaskReminderType.once,
        "Seconds": TaskReminderType.seconds,
        "Minutes": TaskReminderType.minutes,
        "Hours": TaskReminderType.hours,
        "Daily": TaskReminderType.daily,
        "Weekly": TaskReminderType.weekly,
        "Monthly": TaskReminderType.monthly,
        "Yearly": TaskReminderType.yearly,
    }
)


def place_subject(patch: dict[str, Any]) -> dict[str, Any]:
    """Route ``KeyNum`` (decoded as ``subject``) to the reference ``ObjectType`` names.

    Giving ``ObjectType`` re-attaches the task: references of the other object
    types are cleared.
    """
    kind = patch.get("object_type")
    if kind is None:
        if "subject" in patch:
            raise Invalid.field("ObjectType", "ObjectType is required when KeyNum is specified.")
        return patch
    given, subject = "subject" in patch, patch.pop("subject", None)
    for other, field in SUBJECT_FIELDS.items():
        if other is not kind:
            patch[field] = None
    target = SUBJECT_FIELDS.get(kind)
    if target is None and subject is not None:
        raise Invalid.field("KeyNum", 'KeyNum must be 0 when ObjectType is "None".')
    if target is not None and given:
        patch[target] = subject
    return patch


def check_subject(task: Task) -> None:
    """A patient or appointment task must name its patient or appointment."""
    if task.object_type in SUBJECT_FIELDS and task.subject is None:
        kind = OBJECT_TYPES.reverse[task.object_type]
        raise Invalid.field("KeyNum", f'KeyNum is required when ObjectType is "{kind}".')


CODEC = Codec(
    "opendental",
    Task,
    [
        Field("TaskNum", "num", Int(), read_only=True),
        Field("TaskListNum", "task_list", RefNum(), accepts="POST", required="POST"),
        Field("DateTask", "date_task", Date(), read_only=True),
        # Read through Task.subject; place_subject routes it back by ObjectType.
        Field("KeyNum", "subject", RefNum()),
        Field("Descript", "description", Text()),
        Field("TaskStatus", "status", STATUSES, accepts="PUT"),
        Field("IsRepeating", "is_repeating", Bool(), read_only=True),
        Field("DateType", "date_type", DATE_TYPES, read_only=True),
        Field("FromNum", "from_task", RefNum(), read_only=True),
        Field("ObjectType", "object_type", OBJECT_TYPES),
        Field("DateTimeEntry", "entered_at", DateTime()),
        # "the user that created the task": set on POST only.
        Field("UserNum", "user", RefNum(), accepts="POST"),
        Field("DateTimeFinished", "finished_at", DateTime(), read_only=True),
        Field("PriorityDefNum", "priority", RefNum()),
        Field("ReminderGroupId", "reminder_group_id", Text(), read_only=True),
        Field("ReminderType", "reminder_type", REMINDER_TYPES, read_only=True),
        Field("ReminderFrequency", "reminder_frequency", Int(), read_only=True),
        Field("DateTimeOriginal", "created_at", DateTime(), read_only=True),
        Field("SecDateTEdit", "updated_at", DateTime(), read_only=True),
        Field("DescriptOverride", "description_override", Text(max_length=256)),
        Field("IsReadOnly", "is_read_only", Bool(), read_only=True),
    ],
    ref_labels={
        "task_list": "TaskList",
        "patient": "Patient",
        "appointment": "Appointment",
        "user": "User",
        "priority": "PriorityDefNum",
    },
    normalize=place_subject,
)

DEFAULT_WINDOW = timedelta(days=14)
"""GET many without ``DateTimeOriginal``: "Default is the previous 14 days"."""

DEFAULT_PRIORITY_VALUE = "D"
"""Open Dental marks the office's default task priority with ItemValue "D"."""


# -- status rules -------------------------------------------------------------


def reopen_on_new_description(before: Task, patch: dict[str, Any]) -> None:
    """Changing a Done task's description sets it to Viewed (unless a status is given)."""
    changed = "description" in patch and patch["description"] != before.description
    if changed and "status" not in patch and before.status is TaskStatus.done:
        patch["status"] = TaskStatus.viewed


def stamp_finished(before: Task | None, patch: dict[str, Any], call: Call) -> None:
    """Becoming Done sets DateTimeFinished to now; leaving Done clears it."""
    was = before.status if before is not None else None
    now = patch.get("status", was)
    if now is TaskStatus.done and was is not TaskStatus.done:
        patch["finished_at"] = call.ctx.now
    elif now is not TaskStatus.done:
        patch["finished_at"] = None


def require_text(patch: dict[str, Any], name: str, wire: str) -> None:
    if name in patch and not patch[name].strip():
        raise Invalid.field(wire, f"{wire} must not be blank.")


# -- POST and PUT -------------------------------------------------------------------


async def _extra(
    call: Call, body: Mapping[str, Any], patch: dict[str, Any], record: Record | None
) -> None:
    """A new task's ``UserNum`` is the credential's user unless the body gives one."""
    if record is None and "UserNum" not in body:
        patch["user"] = call.user()


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    if record is None:
        return await _new(call, patch)
    assert isinstance(record, Task)
    if patch:  # a PUT with no fields changes nothing
        _changed(call, record, patch)
    return patch


async def _new(call: Call, patch: dict[str, Any]) -> dict[str, Any]:
    if patch.get("task_list") is None:
        raise Invalid.field("TaskListNum", "TaskListNum is required.")
    patch.setdefault("description", "")
    if patch.get("entered_at") is None:
        patch["entered_at"] = call.ctx.now  # "Default to Now."
    stamp_finished(None, patch, call)
    check_subject(_merged(None, patch))
    if patch.get("priority") is None:
        patch["priority"] = await _default_priority(call)
    return patch


def _changed(call: Call, record: Task, patch: dict[str, Any]) -> None:
    require_text(patch, "description", "Descript")
    if "entered_at" in patch and patch["entered_at"] is None:
        raise Invalid.field("DateTimeEntry", "DateTimeEntry must be a date-time.")
    reopen_on_new_description(record, patch)
    stamp_finished(record, patch, call)
    check_subject(_merged(record, patch))


# -- GET many ------------------------------------------------------------------------


async def _filters(call: Call, params: Params, query: Query) -> None:
    """The conditions of GET many; referenced records must exist (404)."""
    task_list = params.int_("TaskListNum")
    if task_list is not None:
        await _must_resolve(call, "task_list", task_list)
        query.add("task_list", "eq", task_list)
    kind = params.enum("ObjectType", OBJECT_TYPES)
    if kind is not None:
        query.add("object_type", "eq", kind)
    query.where.extend(await _key_filter(call, params, kind))
    status = params.enum("TaskStatus", STATUSES)
    if status is not None:
        query.add("status", "eq", status)
    since = _created_since(call, params)
    if since is not None:
        query.add("created_at", "ge", since)


async def _key_filter(call: Call, params: Params, kind: TaskObjectType | None) -> list[Cond]:
    key = params.int_("KeyNum")
    if key is None:
        return []
    if kind is None:
        raise Invalid.field("ObjectType", "ObjectType is required when KeyNum is specified.")
    if key < 0:
        raise Invalid.field("KeyNum", "KeyNum must not be negative.")
    if key == 0:
        return []  # the documented default: no particular record
    name = SUBJECT_FIELDS.get(kind)
    if name is None:
        raise Invalid.field("KeyNum", 'KeyNum must be 0 when ObjectType is "None".')
    await _must_resolve(call, name, key)
    return [Cond(name, "eq", key)]


def _created_since(call: Call, params: Params) -> datetime | None:
    if params.text("DateTimeOriginal") is None:
        return call.ctx.now - DEFAULT_WINDOW
    return params.timestamp("DateTimeOriginal")  # 0001-01-01: no bound


def _merged(record: Task | None, patch: dict[str, Any]) -> Task:
    task = merge_patch(record, Task, patch)
    assert isinstance(task, Task)
    return task


async def _must_resolve(call: Call, field: str, num: int) -> None:
    await call.backend.resolve(Task, {field: Ref(num=num)}, labels=CODEC.ref_labels)


async def _default_priority(call: Call) -> Ref | None:
    query = Query(
        where=[
            Cond("category", "eq", DefinitionCategory.task_priority),
            Cond("is_hidden", "eq", False),
        ],
        order=[Order("order")],
    )
    defs = (await call.backend.find(Definition, query)).items
    chosen = next((d for d in defs if d.value == DEFAULT_PRIORITY_VALUE), None)
    chosen = chosen or (defs[0] if defs else None)
    return Ref(num=chosen.num) if chosen is not None else None


RESOURCE = OpenDentalResource(
    "/tasks",
    CODEC,
    operations=("read", "list", "create", "replace"),
    item="TaskNum",
    takes=("TaskListNum", "KeyNum", "ObjectType", "TaskStatus", "DateTimeOriginal"),
    keep_empty=True,
    filters=_filters,
    extra=_extra,
    prepare=_prepare,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"task": CODEC}
