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

from datetime import timedelta
from typing import Any

from canonical import (
    Cond,
    Definition,
    DefinitionCategory,
    Invalid,
    Order,
    Query,
    Ref,
    Task,
    TaskObjectType,
    TaskStatus,
)
from canonical.task import SUBJECT_FIELDS, TaskDateType, TaskReminderType
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, EnumMap, Field, merge_patch
from dialects.opendental import common
from dialects.opendental.formats import Bool, Date, DateTime, Int, RefNum, Text

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
        Field("TaskListNum", "task_list", RefNum()),
        Field("DateTask", "date_task", Date(), read_only=True),
        # Read through Task.subject; place_subject routes it back by ObjectType.
        Field("KeyNum", "subject", RefNum()),
        Field("Descript", "description", Text()),
        Field("TaskStatus", "status", STATUSES),
        Field("IsRepeating", "is_repeating", Bool(), read_only=True),
        Field("DateType", "date_type", DATE_TYPES, read_only=True),
        Field("FromNum", "from_task", RefNum(), read_only=True),
        Field("ObjectType", "object_type", OBJECT_TYPES),
        Field("DateTimeEntry", "entered_at", DateTime()),
        Field("UserNum", "user", RefNum()),
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

POST_FIELDS = (
    "TaskListNum",
    "Descript",
    "UserNum",
    "KeyNum",
    "ObjectType",
    "DateTimeEntry",
    "PriorityDefNum",
    "DescriptOverride",
)
PUT_FIELDS = (
    "Descript",
    "TaskStatus",
    "KeyNum",
    "ObjectType",
    "DateTimeEntry",
    "PriorityDefNum",
    "DescriptOverride",
)
SEARCH_PARAMS = ("TaskListNum", "KeyNum", "ObjectType", "TaskStatus", "DateTimeOriginal")

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


# -- endpoints --------------------------------------------------------------------


async def get_one(call: Call) -> Reply:
    common.query_params(call, ())
    record = await common.get_or_404(call, Task, call.path_params["TaskNum"], "TaskNum")
    return Reply(200, await common.render_one(call, CODEC, record))


async def get_many(call: Call) -> Reply:
    params = common.query_params(call, SEARCH_PARAMS)
    query = common.page_query(Query(), params)
    query.where.extend(await _search(call, params))
    page = await call.backend.find(Task, query)
    return Reply(200, await common.render_many(call, CODEC, page.items))


async def post(call: Call) -> Reply:
    common.query_params(call, ())
    body = common.json_body(call)
    common.only(body, POST_FIELDS)
    common.require(body, "TaskListNum")
    patch = CODEC.decode(body, call.ctx)
    if patch.get("task_list") is None:
        raise Invalid.field("TaskListNum", "TaskListNum is required.")
    patch.setdefault("description", "")
    if "UserNum" not in body:
        patch["user"] = call.user()
    if patch.get("entered_at") is None:
        patch["entered_at"] = call.ctx.now  # "Default to Now."
    stamp_finished(None, patch, call)
    check_subject(_merged(None, patch))
    if patch.get("priority") is None:
        patch["priority"] = await _default_priority(call)
    patch = await call.backend.resolve(Task, patch, labels=CODEC.ref_labels)
    record = await call.backend.create(merge_patch(None, Task, patch))
    return common.created(
        call, await common.render_one(call, CODEC, record), f"/tasks/{record.num}"
    )


async def put(call: Call) -> Reply:
    common.query_params(call, ())
    # Read, rules and write in one transaction: the rules depend on the stored
    # status and description, so a concurrent PUT must not slip in between.
    async with call.backend.atomic():
        record = await common.get_or_404(call, Task, call.path_params["TaskNum"], "TaskNum")
        assert isinstance(record, Task)
        body = common.json_body(call)
        common.only(body, PUT_FIELDS, "updated")
        patch = CODEC.decode(body, call.ctx)
        if patch:
            record = await _update(call, record, patch)
    return Reply(200, await common.render_one(call, CODEC, record))


async def _update(call: Call, record: Task, patch: dict[str, Any]) -> Task:
    require_text(patch, "description", "Descript")
    if "entered_at" in patch and patch["entered_at"] is None:
        raise Invalid.field("DateTimeEntry", "DateTimeEntry must be a date-time.")
    reopen_on_new_description(record, patch)
    stamp_finished(record, patch, call)
    check_subject(_merged(record, patch))
    patch = await call.backend.resolve(Task, patch, labels=CODEC.ref_labels)
    return await call.backend.update(_merged(record, patch), base_version=record.version)


# -- search ------------------------------------------------------------------------


async def _search(call: Call, params: dict[str, str]) -> list[Cond]:
    """The conditions of GET many; referenced records must exist (404)."""
    where: list[Cond] = []
    task_list = common.int_param(params, "TaskListNum")
    if task_list is not None:
        await _must_resolve(call, "task_list", task_list)
        where.append(Cond("task_list", "eq", task_list))
    kind = _enum_param(call, params, "ObjectType", OBJECT_TYPES)
    if kind is not None:
        where.append(Cond("object_type", "eq", kind))
    where.extend(await _key_filter(call, params, kind))
    status = _enum_param(call, params, "TaskStatus", STATUSES)
    if status is not None:
        where.append(Cond("status", "eq", status))
    since = _created_since(call, params)
    if since is not None:
        where.append(Cond("created_at", "ge", since))
    return where


async def _key_filter(
    call: Call, params: dict[str, str], kind: TaskObjectType | None
) -> list[Cond]:
    key = common.int_param(params, "KeyNum")
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


def _enum_param(call: Call, params: dict[str, str], name: str, table: EnumMap[Any]) -> Any:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return table.from_wire(raw, call.ctx)
    except ValueError as exc:
        raise Invalid.field(name, f"{name} {exc}.") from None


def _created_since(call: Call, params: dict[str, str]) -> Any:
    if not params.get("DateTimeOriginal"):
        return call.ctx.now - DEFAULT_WINDOW
    return common.datetime_param(call, params, "DateTimeOriginal")  # 0001-01-01: no bound


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


ENDPOINTS = [
    Endpoint("GET", "/tasks/{TaskNum}", get_one, "task"),
    Endpoint("GET", "/tasks", get_many, "task"),
    Endpoint("POST", "/tasks", post, "task"),
    Endpoint("PUT", "/tasks/{TaskNum}", put, "task"),
]
CODECS = {"task": CODEC}
