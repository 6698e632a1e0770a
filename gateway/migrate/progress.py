"""A progress bar per resource (records done / total, rate, ETA), with rich.

Quiet when standard output is not a terminal (a log file, a CI job, a
test): nothing is drawn, and the final summary alone is printed. A total is
shown when the source knows it before reading (a store); a dialect server's
list is walked page by page without a count, so its bar shows records done
and the rate only.
"""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

__all__ = ["Bars"]


class Bars:
    def __init__(self, *, enabled: bool | None = None) -> None:
        self.enabled = sys.stdout.isatty() if enabled is None else enabled
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        if self.enabled:
            self.progress = Progress(
                TextColumn("{task.description:<16}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:>8} rec/s"),
                TimeRemainingColumn(),
                console=Console(),
            )

    def __enter__(self) -> Bars:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.progress is not None:
            self.progress.stop()

    def start(self, resource: str, total: int | None) -> None:
        if self.progress is not None:
            self.task = self.progress.add_task(resource, total=total, rate="")

    def total(self, total: int | None) -> None:
        if self.progress is not None and self.task is not None and total is not None:
            self.progress.update(self.task, total=total)

    def advance(self, n: int = 1) -> None:
        if self.progress is None or self.task is None:
            return
        self.progress.advance(self.task, n)
        speed = self.progress.tasks[self.task].speed
        self.progress.update(self.task, rate=f"{speed:.0f}" if speed else "")

    def finish(self) -> None:
        if self.progress is not None and self.task is not None:
            task = self.progress.tasks[self.task]
            self.progress.update(self.task, total=task.completed)
