"""Task code tables shared by ``/api/tasks`` and ``/api/task_templates``
(seed 004): priorities 10/20/30/40 and the named statuses behind a task's
coarse status.

Priority: DrChrono's 10 (Low), 20 (Medium), 30 (High), 40 (Urgent) are the
practice's task priority definitions (Open Dental's ``PriorityDefNum``) of the
same name; 20 also matches "Normal", Open Dental's usual name for the middle
priority. A definition with any other name shows 20 (the nearest: neither
low nor raised); the record keeps its definition. A level the practice has no
definition for is a 400 naming the key.

Status: a task's DrChrono ``status`` is a named status (``/api/task_statuses``)
whose category implies the canonical status (open -> new, in progress and on
hold -> viewed, complete -> done; :data:`canonical.task_setup.CATEGORY_STATUS`).
A task whose named status no longer agrees with its canonical status (it was
changed through Open Dental) shows the practice's first status of the category
that means its canonical status: new -> open, viewed -> in progress, done ->
complete.
"""

from __future__ import annotations

from typing import Any

from canonical import (
    Cond,
    Definition,
    DefinitionCategory,
    Invalid,
    Query,
    Ref,
    RefTo,
    TaskStatus,
    TaskStatusCategory,
    TaskStatusDefinition,
)
from canonical.task_setup import CATEGORY_STATUS
from dialects.base import Call
from dialects.codec import CodecContext
from dialects.drchrono import formats

__all__ = [
    "PRIORITY",
    "Priority",
    "resolve_priority",
    "status_defaults",
]

PRIORITY = RefTo("definition", "task_priority")

LEVELS: dict[int, tuple[str, ...]] = {
    10: ("low",),
    20: ("medium", "normal"),
    30: ("high",),
    40: ("urgent",),
}
BY_NAME = {name: level for level, names in LEVELS.items() for name in names}
NEAREST = 20
_MARK = "drchrono-priority:"

PREFERRED: dict[TaskStatus, TaskStatusCategory] = {
    TaskStatus.new: TaskStatusCategory.open,
    TaskStatus.viewed: TaskStatusCategory.in_progress,
    TaskStatus.done: TaskStatusCategory.complete,
}


class Priority:
    def to_wire(self, value: Ref | None, ctx: CodecContext) -> Any:
        definition = ctx.ref_record("definition", value)
        if definition is None:
            return None
        return BY_NAME.get(definition.name.strip().lower(), NEAREST)  # type: ignore[attr-defined]

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return None
        level = formats.parse_int(raw)
        if level not in LEVELS:
            raise ValueError("must be one of 10 (Low), 20 (Medium), 30 (High), 40 (Urgent).")
        return Ref(name=f"{_MARK}{level}")  # resolved by resolve_priority()


async def resolve_priority(call: Call, patch: dict[str, Any], field: str, wire: str) -> None:
    """Turn a decoded level into the practice's definition of that name."""
    ref = patch.get(field)
    if not isinstance(ref, Ref) or not (ref.name or "").startswith(_MARK):
        return
    level = int((ref.name or "").removeprefix(_MARK))
    query = Query(where=[Cond("category", "eq", DefinitionCategory.task_priority)])
    for definition in (await call.backend.find(Definition, query)).items:
        if definition.name.strip().lower() in LEVELS[level]:
            patch[field] = Ref(num=definition.num)
            return
    raise Invalid.field(wire, f"The practice has no task priority for {level}.")


async def status_defaults(call: Call) -> dict[TaskStatus, TaskStatusDefinition]:
    """The named status shown for each canonical status (see module doc)."""
    query = Query(where=[Cond("is_archived", "eq", False)])
    statuses = (await call.backend.find(TaskStatusDefinition, query)).items
    out: dict[TaskStatus, TaskStatusDefinition] = {}
    for status, category in PREFERRED.items():
        same = [s for s in statuses if s.category == category]
        close = [s for s in statuses if CATEGORY_STATUS[s.category] == status]
        if same or close:
            out[status] = (same or close)[0]
    return out
