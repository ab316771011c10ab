"""The terminal of a command run by hand (the demo, a real-data run): one line per stage with
a progress bar, a short summary, and everything else in a log file.

For the whole run, file descriptors 1 and 2 point at the log file, so whatever the libraries
print lands there and not on the terminal: Dagster's events, dbt's output, Great Expectations'
progress bars, Superset's scripts and alembic's migrations (subprocesses inherit the
descriptors), warnings. Only this module writes to the terminal, through a copy of the
original stdout.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

_MARKS = {"running": " ", "done": "[green]✓[/]", "failed": "[red]✗[/]", "skipped": "[dim]-[/]"}
_NAME_WIDTH = 20


class Stage:
    """One line of the console: a stage's name, its progress bar and how it ended."""

    def __init__(self, progress: Progress, name: str, total: int | None, start: bool) -> None:
        self._progress = progress
        self._task: TaskID = progress.add_task(
            name, total=total, start=start, mark=_MARKS["running"]
        )

    def start(self) -> None:
        """Starts the stage's clock (a stage shown before it runs)."""
        self._progress.start_task(self._task)

    def advance(self, steps: int = 1) -> None:
        self._progress.advance(self._task, steps)

    def end(self, state: str) -> None:
        """done (the bar full), failed or skipped (the bar as far as it got)."""
        task = self._progress.tasks[self._task]
        total = task.total if task.total is not None else 1
        completed = total if state == "done" else min(task.completed, total)
        self._progress.update(self._task, total=total, completed=completed, mark=_MARKS[state])
        self._progress.stop_task(self._task)


class RunConsole:
    """`with RunConsole(log_dir) as console:` captures the run's output into
    `log_dir/<timestamp>.log`; `console.stage(name)` shows a stage, `console.print` the
    summary, `console.fail` a failure (what failed, where to look) and exits non-zero."""

    def __init__(self, log_dir: Path) -> None:
        started = dt.datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
        self.log_path = log_dir / f"{started}.log"
        self._terminal: TextIO | None = None
        self._saved_fds: tuple[int, int] | None = None
        self._progress_shown = False

    def __enter__(self) -> RunConsole:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        sys.stdout.flush()
        sys.stderr.flush()
        self._saved_fds = (os.dup(1), os.dup(2))
        log_fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.close(log_fd)
        self._terminal = os.fdopen(os.dup(self._saved_fds[0]), "w", buffering=1)
        self.console = Console(file=self._terminal, highlight=False)
        # Python logging (dagster-dbt's dbt events, GX, Superset's client code) and warnings
        # into the log, with times.
        logging.basicConfig(
            level=logging.INFO,
            stream=sys.stderr,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            force=True,
        )
        logging.captureWarnings(True)
        logging.getLogger("great_expectations").setLevel(logging.WARNING)  # INFO: internals
        self._progress = Progress(
            TextColumn("{task.fields[mark]}"),
            TextColumn(f"{{task.description:<{_NAME_WIDTH}}}"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            redirect_stdout=False,  # the libraries' output belongs in the log
            redirect_stderr=False,
        )
        self._progress.start()
        self._progress_shown = True
        return self

    def __exit__(self, exc_type: type[BaseException] | None, error: Any, _tb: Any) -> None:
        """Ends with the log's path; an unexpected error is told in one line (its traceback
        goes to the log) and exits with status 1."""
        if exc_type is None:
            self.print(f"log: {self.log_path}")
        elif not issubclass(exc_type, SystemExit | KeyboardInterrupt):
            traceback.print_exception(error)
            self.print(f"failed: {exc_type.__name__}: {error}", style="red")
            self.print(f"details: {self.log_path}")
        self._stop_progress()
        sys.stdout.flush()
        sys.stderr.flush()
        assert self._saved_fds is not None and self._terminal is not None
        os.dup2(self._saved_fds[0], 1)
        os.dup2(self._saved_fds[1], 2)
        for fd in self._saved_fds:
            os.close(fd)
        self._terminal.close()
        if exc_type is not None and not issubclass(exc_type, SystemExit | KeyboardInterrupt):
            raise SystemExit(1) from error

    def add_stage(self, name: str, total: int | None = None, start: bool = True) -> Stage:
        """A stage whose caller ends it (Stage.end): the stages of a Dagster run, shown
        together when it starts, each timed from its Stage.start."""
        return Stage(self._progress, name, total, start)

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        """A stage around a block: done when it returns; when it raises, the traceback goes
        to the log and the run fails naming the stage."""
        stage = self.add_stage(name, total=1)
        try:
            yield stage
        except Exception as error:
            traceback.print_exc()
            stage.end("failed")
            self.fail(f"{name} failed: {type(error).__name__}: {error}")
        stage.end("done")

    def print(self, text: str = "", style: str | None = None) -> None:
        """A line of the summary, after the stages (printed as is: no markup)."""
        self._stop_progress()  # the stages' lines stay above
        self.console.print(text, style=style, markup=False, soft_wrap=True)

    def _stop_progress(self) -> None:
        # Once: each stop prints an empty line on a console that is not a terminal.
        if self._progress_shown:
            self._progress.stop()
            self._progress_shown = False

    def fail(self, headline: str, *details: str) -> NoReturn:
        """Prints what failed and the log to read, and exits with status 1."""
        self.print(headline, style="red")
        for line in details:
            self.print(line)
        self.print(f"details: {self.log_path}")
        raise SystemExit(1)
