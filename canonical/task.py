"""A task: intra-office to-do attached to a task list, optionally about a
patient or an appointment."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = [
    "SUBJECT_FIELDS",
    "Task",
    "TaskDateType",
    "TaskObjectType",
    "TaskReminderType",
    "TaskStatus",
]


class TaskStatus(StrEnum):
    new = "new"
    viewed = "viewed"
    done = "done"


class TaskObjectType(StrEnum):
    none = "none"
    patient = "patient"
    appointment = "appointment"


class TaskDateType(StrEnum):
    none = "none"
    day = "day"
    week = "week"
    month = "month"


class TaskReminderType(StrEnum):
    no_reminder = "no_reminder"
    once = "once"
    seconds = "seconds"
    minutes = "minutes"
    hours = "hours"
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"
    yearly = "yearly"


SUBJECT_FIELDS: dict[TaskObjectType, str] = {
    TaskObjectType.patient: "patient",
    TaskObjectType.appointment: "appointment",
}
"""The reference field holding the record a task is about, per object type
(Open Dental's single ``KeyNum`` means one or the other)."""


@register
class Task(Record):
    resource = "task"

    task_list: Annotated[Ref, RefTo("task_list")]
    description: str = ""
    description_override: str = ""
    status: TaskStatus = TaskStatus.new
    date_task: date | None = None
    date_type: TaskDateType = TaskDateType.none
    is_repeating: bool = False
    from_task: Annotated[Ref | None, RefTo("task")] = None
    object_type: TaskObjectType = TaskObjectType.none
    patient: Annotated[Ref | None, RefTo("patient")] = None
    appointment: Annotated[Ref | None, RefTo("appointment")] = None
    entered_at: datetime | None = None
    """When the task was entered; settable by clients, unlike ``created_at``."""
    finished_at: datetime | None = None
    """Set when the status becomes done, cleared when it leaves done."""
    user: Annotated[Ref | None, RefTo("user")] = None
    assignee: Annotated[Ref | None, RefTo("user")] = None
    priority: Annotated[Ref | None, RefTo("definition", "task_priority")] = None
    reminder_group_id: str = ""
    reminder_type: TaskReminderType = TaskReminderType.no_reminder
    reminder_frequency: int = 0
    is_read_only: bool = False
    due_at: datetime | None = None
    status_definition: Annotated[Ref | None, RefTo("task_status")] = None
    """The practice's named status (DrChrono ``status``); its category agrees with
    ``status`` while it is set (see :class:`canonical.task_setup.TaskStatusDefinition`)."""
    assignee_group: Annotated[Ref | None, RefTo("user_group")] = None
    is_archived: bool = False

    @property
    def subject(self) -> Ref | None:
        """The record the task is about: its patient or appointment per ``object_type``."""
        name = SUBJECT_FIELDS.get(self.object_type)
        return getattr(self, name) if name else None
