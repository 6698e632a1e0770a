"""What a practice configures around tasks (DrChrono ``/api/task_statuses``,
``/api/task_notes``, ``/api/task_templates``). Task categories are task lists
(:class:`canonical.references.TaskList`): both name a group of tasks."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register
from canonical.task import TaskStatus

__all__ = [
    "CATEGORY_STATUS",
    "TaskNote",
    "TaskStatusCategory",
    "TaskStatusDefinition",
    "TaskTemplate",
]


class TaskStatusCategory(StrEnum):
    open = "open"
    in_progress = "in_progress"
    on_hold = "on_hold"
    complete = "complete"


CATEGORY_STATUS: dict[TaskStatusCategory, TaskStatus] = {
    TaskStatusCategory.open: TaskStatus.new,
    TaskStatusCategory.in_progress: TaskStatus.viewed,
    TaskStatusCategory.on_hold: TaskStatus.viewed,
    TaskStatusCategory.complete: TaskStatus.done,
}
"""The coarse task status each named status implies: a task someone is working
on or holding has been seen (``viewed``); only a complete one is ``done``."""


@register
class TaskStatusDefinition(Record):
    """A practice's named task status."""

    resource = "task_status"
    name_field = "name"

    name: str
    category: TaskStatusCategory = TaskStatusCategory.open
    task_list: Annotated[Ref | None, RefTo("task_list")] = None
    """The task category the status belongs to; ``None`` for every category."""
    is_archived: bool = False


@register
class TaskNote(Record):
    resource = "task_note"

    task: Annotated[Ref, RefTo("task")]
    text: str
    user: Annotated[Ref | None, RefTo("user")] = None
    """Who wrote the note."""
    is_archived: bool = False


@register
class TaskTemplate(Record):
    """Defaults for new tasks."""

    resource = "task_template"
    name_field = "name"

    name: str
    title: str = ""
    note: str = ""
    status_definition: Annotated[Ref | None, RefTo("task_status")] = None
    task_list: Annotated[Ref | None, RefTo("task_list")] = None
    assignee: Annotated[Ref | None, RefTo("user")] = None
    assignee_group: Annotated[Ref | None, RefTo("user_group")] = None
    priority: Annotated[Ref | None, RefTo("definition", "task_priority")] = None
    due_offset: timedelta | None = None
    """How long after creation a task from this template is due."""
    is_archived: bool = False
