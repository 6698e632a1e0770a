"""DrChrono ``/api/tasks`` (seed 004): GET (list, one), POST, PUT, PATCH over
the canonical :class:`~canonical.Task` (Open Dental's task; ``id`` is
``TaskNum``).

Decisions where the documents are silent:

- ``associated_items``: a "Patient" item is the task's patient, an
  "Appointment" item its appointment; items of other types are kept as
  given. ``notes`` are the task's :class:`~canonical.TaskNote` records.
- ``category`` is optional on the wire but every canonical task has a list: a
  new task without one goes to the practice's first category (lowest id).
- Each object in ``notes`` without an ``id`` becomes a new note of the task
  (POST, PUT and PATCH); notes with an ``id`` are changed only through
  ``/api/task_notes``, so a client may send back the notes it read.
- Moving to a complete status stamps ``finished_at``; leaving it clears it.
- "Either assignee_user or assignee_group should be set" is advice, not a
  rule the gateway enforces (a task may be unassigned, as in Open Dental).
- ``status`` filter matches tasks showing that status, including tasks with
  no named status whose canonical status it stands for.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from canonical import (
    AnyOf,
    Cond,
    Invalid,
    Order,
    Query,
    Record,
    Ref,
    Task,
    TaskList,
    TaskNote,
    TaskObjectType,
    TaskStatus,
    TaskStatusDefinition,
)
from canonical.task_setup import CATEGORY_STATUS
from dialects.base import Call
from dialects.codec import Codec, CodecContext, Field, round_trips
from dialects.drchrono import formats
from dialects.drchrono.formats import Bool, Int, RefId, Shown, Text, Timestamp
from dialects.drchrono.params import Params, since
from dialects.drchrono.resource import DrChronoResource
from dialects.drchrono.task_codes import (
    PRIORITY,
    Priority,
    resolve_priority,
    status_defaults,
)

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE"]

D = "drchrono"
ITEM_FIELDS = {"Patient": "patient", "Appointment": "appointment"}
ITEM_TYPES = (
    "Document",
    "Message",
    "Lab result",
    "Lab order",
    "Patient",
    "Appointment",
    "Lab document",
    "Communication",
)


class DueDate:
    """``due_date``: ``{"time": timestamp}`` or null."""

    def to_wire(self, value: datetime | None, ctx: CodecContext) -> Any:
        return None if value is None else {"time": Timestamp().to_wire(value, ctx)}

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return None
        if isinstance(raw, str):  # form bodies cannot nest: a bare timestamp
            return formats.parse_timestamp(raw, ctx)
        if not isinstance(raw, dict) or "time" not in raw:
            raise ValueError('must be an object {"time": timestamp}.')
        return Timestamp().from_wire(raw["time"], ctx)

    def exact(self, value: datetime | None, ctx: CodecContext) -> bool:
        """Shown to the second, as every DrChrono timestamp."""
        return value is None or round_trips(self, value, ctx)


CODEC = Codec(
    D,
    Task,
    [
        Field("archived", "is_archived", Bool()),
        Field("assigned_by", "user", RefId(), read_only=True),
        Field("assignee_user", "assignee", RefId()),
        Field("assignee_group", "assignee_group", RefId()),
        Field("associated_items", None, Shown([]), read_only=True, extension=True),
        Field("category", "task_list", RefId()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("created_by", "user", RefId(), read_only=True),
        Field("due_date", "due_at", DueDate()),
        Field("id", "num", Int(), read_only=True),
        Field("notes", None, Shown([]), read_only=True, extension=True),
        Field("priority", "priority", Priority(), ref=PRIORITY),
        Field("status", "status_definition", RefId(), required="POST PUT"),
        Field("title", "description", Text(), required="POST PUT"),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
    ref_labels={
        "assignee": "assignee_user",
        "task_list": "category",
        "status_definition": "status",
    },
)


# -- filters -------------------------------------------------------------------


async def _filters(call: Call, params: Params, query: Query) -> None:
    for wire, field in (
        ("assignee_user", "assignee"),
        ("assignee_group", "assignee_group"),
        ("category", "task_list"),
    ):
        num = params.int_(wire)
        if num is not None:
            query.add(field, "eq", num)
    status = params.int_("status")
    if status is not None:
        await _status_filter(call, status, query)
    day = params.date_("due_at_date")
    if day is not None:
        _due_between(call, query, day, day)
    span = params.date_range("due_at_range")
    if span is not None:
        _due_between(call, query, *span)
    due_since = params.timestamp("due_at_since")
    if due_since is not None:
        query.add("due_at", "ge", due_since)
    if params.flag("due_at_unknown"):
        query.add("due_at", "is_null")
    since(params, query)
    if not params.flag("show_archived"):
        query.add("is_archived", "eq", False)


def _due_between(call: Call, query: Query, first: Any, last: Any) -> None:
    start = datetime.combine(first, time(), call.ctx.tz)
    end = datetime.combine(last, time(), call.ctx.tz) + timedelta(days=1)
    query.add("due_at", "ge", start).add("due_at", "lt", end)


async def _status_filter(call: Call, num: int, query: Query) -> None:
    named = (await call.backend.get_many(TaskStatusDefinition, [num])).get(num)
    if named is None:
        query.add("num", "in", [])  # no such status: no task has it
        return
    status = CATEGORY_STATUS[named.category]
    query.add("status", "eq", status)
    defaults = await status_defaults(call)
    if defaults.get(status) is not None and defaults[status].num == num:
        query.where.append(
            AnyOf((Cond("status_definition", "eq", num), Cond("status_definition", "is_null")))
        )
    else:
        query.add("status_definition", "eq", num)


# -- writes ---------------------------------------------------------------------


async def _extra(
    call: Call, body: Mapping[str, Any], patch: dict[str, Any], record: Record | None
) -> None:
    """``associated_items`` and the shape of ``notes``."""
    notes = body.get("notes")
    if notes is not None and not (
        isinstance(notes, list) and all(isinstance(n, dict) for n in notes)
    ):
        raise Invalid.field("notes", "Must be an array of objects (send application/json).")
    items = body.get("associated_items")
    if items is None:
        return
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise Invalid.field(
            "associated_items", "Must be an array of objects (send application/json)."
        )
    refs: dict[str, Ref | None] = {"patient": None, "appointment": None}
    others: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        kind = item.get("type")
        if kind not in ITEM_TYPES:
            raise Invalid.field(
                "associated_items",
                f"item {i}: type must be one of " + ", ".join(f'"{t}"' for t in ITEM_TYPES),
            )
        try:
            value = formats.parse_int(item.get("value"))
        except ValueError:
            raise Invalid.field("associated_items", f"item {i}: value must be an id.") from None
        if kind in ITEM_FIELDS:
            refs[ITEM_FIELDS[kind]] = Ref(num=value)
        else:
            others.append({"type": kind, "value": value})
    patch.update(refs)
    patch["object_type"] = (
        TaskObjectType.appointment
        if refs["appointment"]
        else TaskObjectType.patient
        if refs["patient"]
        else TaskObjectType.none
    )
    ext = dict(getattr(record, "extensions", {}).get(D, {})) if record else {}
    ext["associated_items"] = others
    patch["extensions"] = {D: ext}


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    await resolve_priority(call, patch, "priority", "priority")
    if record is None and patch.get("task_list") is None:
        first = await call.backend.find(
            TaskList, Query(where=[Cond("is_archived", "eq", False)], order=[Order("num")], limit=1)
        )
        if not first.items:
            raise Invalid.field("category", "This field is required.")
        patch["task_list"] = first.items[0].ref()
    named = patch.get("status_definition")
    if isinstance(named, Ref) and named.num is not None:
        found = (await call.backend.get_many(TaskStatusDefinition, [named.num])).get(named.num)
        if found is None:
            raise Invalid.field("status", f'Invalid pk "{named.num}" - object does not exist.')
        status = CATEGORY_STATUS[found.category]
        was = getattr(record, "status", None)
        patch["status"] = status
        if status == TaskStatus.done and was != TaskStatus.done:
            patch["finished_at"] = call.ctx.now
        elif status != TaskStatus.done and was == TaskStatus.done:
            patch["finished_at"] = None
    if record is None:
        patch.setdefault("entered_at", call.ctx.now)
    return patch


async def _after(call: Call, record: Record, body: Mapping[str, Any], created: bool) -> Record:
    notes = body.get("notes")
    if isinstance(notes, list):
        for i, note in enumerate(notes):
            if note.get("id") is not None:
                continue
            text = note.get("text")
            if not isinstance(text, str) or not text:
                raise Invalid.field("notes", f"item {i}: text is required.")
            await call.backend.create(
                TaskNote(
                    task=record.ref(),
                    text=text,
                    is_archived=note.get("archived") is True,
                )
            )
    return record


# -- rendering ------------------------------------------------------------------


async def _view(call: Call, records: list[Record], verbose: bool) -> list[Record]:
    nums = [r.num for r in records if r.num is not None]
    if not nums:
        return records
    notes: dict[int, list[TaskNote]] = {}
    found = await call.backend.find(TaskNote, Query(where=[Cond("task", "in", nums)]))
    for note in found.items:
        notes.setdefault(note.task.num or 0, []).append(note)
    defaults = await status_defaults(call)
    named_nums = {
        t.status_definition.num
        for t in records
        if isinstance(t, Task) and t.status_definition and t.status_definition.num
    }
    named = await call.backend.get_many(TaskStatusDefinition, named_nums)
    shown: list[Record] = []
    for t in records:
        assert isinstance(t, Task)
        update: dict[str, Any] = {}
        current = named.get(t.status_definition.num or 0) if t.status_definition else None
        if current is None or CATEGORY_STATUS[current.category] != t.status:
            default = defaults.get(t.status)
            update["status_definition"] = default.ref() if default else None
        ext = dict(t.extensions.get(D, {}))
        items = [{"type": "Patient", "value": t.patient.num}] if t.patient else []
        if t.appointment:
            items.append({"type": "Appointment", "value": t.appointment.num})
        ext["associated_items"] = [
            {**item, "task": t.num} for item in [*items, *ext.get("associated_items", [])]
        ]
        ext["notes"] = [_note(n, call.ctx) for n in notes.get(t.num or 0, [])]
        update["extensions"] = {**t.extensions, D: ext}
        shown.append(t.model_copy(update=update))
    return shown


def _note(note: TaskNote, ctx: CodecContext) -> dict[str, Any]:
    from dialects.drchrono.task_setup import NOTE_CODEC

    return NOTE_CODEC.encode(note, ctx)


RESOURCE = DrChronoResource(
    "/api/tasks",
    CODEC,
    scope="tasks",
    operations=("list", "read", "create", "replace", "update"),
    filters=_filters,
    prepare=_prepare,
    extra=_extra,
    after=_after,
    view=_view,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"task": CODEC}
