"""DrChrono task configuration (seed 004): ``/api/task_categories``,
``/api/task_statuses``, ``/api/task_notes`` and ``/api/task_templates``; GET
(list, one), POST, PUT, PATCH each.

- A task category is a canonical :class:`~canonical.TaskList` (Open Dental's
  task list). ``is_global`` (read-only, "a system wide (pre-defined) category") is false:
  every category belongs to the practice. The seed types ``name`` as boolean;
  it is a string, as the OpenAPI document and every client have it.
- A task status is a :class:`~canonical.TaskStatusDefinition`:
  ``status_category`` "O" open, "P" in progress, "H" on hold, "C" complete
  (default "O").
- A task note is a :class:`~canonical.TaskNote`.
- A task template is a :class:`~canonical.TaskTemplate`; ``default_priority``
  is 10/20/30/40 as on tasks (:mod:`dialects.drchrono.task_codes`);
  ``default_due_date_offset`` is Django's duration text "[DD] [HH:[MM:]]ss
  [.uuuuuu]". The seed spells the category key ``defatul_category``; the
  OpenAPI document and DrChrono's servers say ``default_category``, which is
  what responses carry; requests may use either.
- ``practice_group`` is the tenant's practice group id
  (:mod:`dialects.drchrono.practice`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from canonical import (
    Query,
    Record,
    TaskList,
    TaskNote,
    TaskStatusCategory,
    TaskStatusDefinition,
    TaskTemplate,
)
from dialects.base import Call
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.drchrono.formats import Bool, Enum_, Int, RefId, Shown, Text, Timestamp
from dialects.drchrono.params import Params, since
from dialects.drchrono.practice import PracticeGroupId, PracticeResource
from dialects.drchrono.resource import DrChronoResource
from dialects.drchrono.task_codes import PRIORITY, Priority, resolve_priority
from dialects.resource import Operation

__all__ = [
    "CATEGORY_CODEC",
    "CODECS",
    "ENDPOINTS",
    "NOTE_CODEC",
    "RESOURCES",
    "STATUS_CODEC",
    "TEMPLATE_CODEC",
]

D = "drchrono"
OPERATIONS: tuple[Operation, ...] = ("list", "read", "create", "replace", "update")

CATEGORIES = EnumMap(
    {
        "O": TaskStatusCategory.open,
        "P": TaskStatusCategory.in_progress,
        "H": TaskStatusCategory.on_hold,
        "C": TaskStatusCategory.complete,
    }
)


CATEGORY_CODEC = Codec(
    D,
    TaskList,
    [
        Field("archived", "is_archived", Bool()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("id", "num", Int(), read_only=True),
        Field("is_global", None, Shown(False), read_only=True, extension=True),
        Field("name", "description", Text(), required="POST PUT"),
        Field("practice_group", None, PracticeGroupId(), read_only=True),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
)

STATUS_CODEC = Codec(
    D,
    TaskStatusDefinition,
    [
        Field("archived", "is_archived", Bool()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("id", "num", Int(), read_only=True),
        Field("name", "name", Text(), required="POST PUT"),
        Field("practice_group", None, PracticeGroupId(), read_only=True),
        Field(
            "status_category",
            "category",
            Enum_(CATEGORIES, empty=TaskStatusCategory.open),
        ),
        Field("task_category", "task_list", RefId()),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
    ref_labels={"task_list": "task_category"},
)

NOTE_CODEC = Codec(
    D,
    TaskNote,
    [
        Field("archived", "is_archived", Bool()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("created_by", "user", RefId(), read_only=True),
        Field("id", "num", Int(), read_only=True),
        Field("task", "task", RefId(), required="POST PUT"),
        Field("text", "text", Text(), required="POST PUT"),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
)

_DURATION = re.compile(
    r"^(?:(?P<days>-?\d+) (?=\d+:\d+))?(?:(?P<hours>\d+):)??(?:(?P<minutes>\d+):)?"
    r"(?P<seconds>\d+)(?:[.,](?P<micro>\d{1,6})\d*)?$"
)


class Duration:
    """Django's ``DurationField`` text: "[DD] [HH:[MM:]]ss[.uuuuuu]"."""

    def to_wire(self, value: timedelta | None, ctx: CodecContext) -> Any:
        if value is None:
            return None
        days, rest = value.days, value.seconds
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
        if value.microseconds:
            text += f".{value.microseconds:06d}"
        return f"{days} {text}" if days else text

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return None
        match = _DURATION.match(str(raw).strip())
        if match is None:
            raise ValueError('has wrong format. Use "[DD] [HH:[MM:]]ss[.uuuuuu]".')
        parts = {k: int(v) for k, v in match.groupdict().items() if v}
        micro = match.group("micro")
        return timedelta(
            days=parts.get("days", 0),
            hours=parts.get("hours", 0),
            minutes=parts.get("minutes", 0),
            seconds=parts.get("seconds", 0),
            microseconds=int(micro.ljust(6, "0")) if micro else 0,
        )


TEMPLATE_CODEC = Codec(
    D,
    TaskTemplate,
    [
        Field("archived", "is_archived", Bool()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("default_assignee_group", "assignee_group", RefId()),
        Field("default_assignee_user", "assignee", RefId()),
        Field("default_category", "task_list", RefId()),
        Field("defatul_category", "task_list", RefId(), write_only=True),
        Field("default_due_date_offset", "due_offset", Duration()),
        Field("default_note", "note", Text()),
        Field("default_priority", "priority", Priority(), ref=PRIORITY),
        Field("default_status", "status_definition", RefId()),
        Field("default_title", "title", Text()),
        Field("id", "num", Int(), read_only=True),
        Field("practice_group", None, PracticeGroupId(), read_only=True),
        Field("name", "name", Text(), required="POST PUT"),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
    ref_labels={
        "assignee_group": "default_assignee_group",
        "assignee": "default_assignee_user",
        "task_list": "default_category",
        "status_definition": "default_status",
        "priority": "default_priority",
    },
)


# -- filters -------------------------------------------------------------------


def _common(call: Call, params: Params, query: Query) -> None:
    since(params, query)
    if not params.flag("show_archived"):
        query.add("is_archived", "eq", False)


async def _archivable(call: Call, params: Params, query: Query) -> None:
    _common(call, params, query)


async def _note_filters(call: Call, params: Params, query: Query) -> None:
    task = params.int_("task")
    if task is not None:
        query.add("task", "eq", task)
    since(params, query)


async def _template_filters(call: Call, params: Params, query: Query) -> None:
    for wire, field in (
        ("assignee_user", "assignee"),
        ("assignee_group", "assignee_group"),
        ("status", "status_definition"),
        ("category", "task_list"),
    ):
        num = params.int_(wire)
        if num is not None:
            query.add(field, "eq", num)
    _common(call, params, query)


async def _template_prepare(
    call: Call, patch: dict[str, Any], record: Record | None
) -> dict[str, Any]:
    await resolve_priority(call, patch, "priority", "default_priority")
    return patch


RESOURCES = [
    PracticeResource(
        "/api/task_categories",
        CATEGORY_CODEC,
        scope="tasks",
        operations=OPERATIONS,
        filters=_archivable,
    ),
    PracticeResource(
        "/api/task_statuses",
        STATUS_CODEC,
        scope="tasks",
        operations=OPERATIONS,
        filters=_archivable,
    ),
    DrChronoResource(
        "/api/task_notes",
        NOTE_CODEC,
        scope="tasks",
        operations=OPERATIONS,
        filters=_note_filters,
    ),
    PracticeResource(
        "/api/task_templates",
        TEMPLATE_CODEC,
        scope="tasks",
        operations=OPERATIONS,
        filters=_template_filters,
        prepare=_template_prepare,
    ),
]
ENDPOINTS = [ep for r in RESOURCES for ep in r.endpoints()]
CODECS = {
    "task_list": CATEGORY_CODEC,
    "task_status": STATUS_CODEC,
    "task_note": NOTE_CODEC,
    "task_template": TEMPLATE_CODEC,
}
