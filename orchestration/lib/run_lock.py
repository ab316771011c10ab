"""One run at a time per warehouse: an exclusive lock on `<warehouse>/run.lock`.

Two runs on one warehouse would fight over build.duckdb (DuckDB lets one process write a
file), and the loser used to fail deep in a traceback ("Could not set lock on file"). A run
takes this lock first (fcntl.flock, which the kernel releases when its holder dies, even by
kill -9) and writes into the file who it is: pid, command, start time. A run that cannot take
it says in one line which process holds it and since when. A file that still names a holder
once the lock is free was left by a run that died without cleaning up (kill -9, the OOM
killer): the next run says whose stale lock it takes over, and proceeds.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCK_FILE = "run.lock"


class WarehouseLocked(RuntimeError):
    """Another live run holds the warehouse's lock (the message says which, since when)."""


@dataclass(frozen=True)
class Holder:
    """What a lock file says about the run that took it."""

    pid: int
    command: str
    started_at: str  # UTC, "2026-12-03 16:50:01 UTC"

    def describe(self) -> str:
        return f"pid {self.pid} ({self.command}), started {self.started_at}"


@dataclass(frozen=True)
class RunLock:
    """A lock this process holds; `taken_over` is the stale holder it replaced, if any."""

    path: Path
    taken_over: Holder | None

    def takeover_message(self) -> str | None:
        if self.taken_over is None:
            return None
        return (
            f"stale lock of {self.taken_over.describe()} taken over: that run ended without"
            f" releasing {self.path}"
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _read_holder(text: str) -> Holder | None:
    try:
        fields = json.loads(text)
        return Holder(int(fields["pid"]), str(fields["command"]), str(fields["started_at"]))
    except (ValueError, KeyError, TypeError):
        return None


def _command() -> str:
    """This process's command line as typed ("python -m orchestration.pipeline"; sys.argv
    would show the module's file), the program without its folder."""
    try:
        program, *args = Path("/proc/self/cmdline").read_bytes().decode().split("\0")[:-1]
    except (OSError, ValueError):
        return Path(sys.executable).name
    return " ".join([Path(program).name, *args])


@contextmanager
def warehouse_lock(warehouse_dir: Path, command: str | None = None) -> Iterator[RunLock]:
    """Holds the warehouse's run lock for the block; raises WarehouseLocked, without
    waiting, when a live process holds it. The lock file is emptied on release."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by children (PEP 446)
    try:
        try:
            _flock_soon(fd)
        except BlockingIOError:
            holder = _read_holder(path.read_text())
            who = holder.describe() if holder else "a process that has not written its name yet"
            raise WarehouseLocked(
                f"warehouse {warehouse_dir} is in use by another run: {who};"
                f" not started (lock {path})"
            ) from None
        previous = _read_holder(path.read_text())
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            json.dumps(
                {"pid": os.getpid(), "command": command or _command(), "started_at": _now()}
            ).encode(),
            0,
        )
        os.fsync(fd)
        try:
            yield RunLock(path, previous)
        finally:
            os.ftruncate(fd, 0)  # a clean end leaves no holder named
    finally:
        os.close(fd)  # releases the flock


def _flock_soon(fd: int, attempts: int = 20) -> None:
    """The exclusive lock, retried for a second: the landing sensor's look at the lock
    (current_holder) holds it shared for an instant."""
    for attempt in range(attempts):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


def current_holder(warehouse_dir: Path) -> Holder | None:
    """The live run holding the warehouse's lock now, or None when it is free."""
    path = warehouse_dir / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_holder(path.read_text()) or Holder(0, "unknown", "unknown")
    finally:
        os.close(fd)
    return None


_DUCKDB_LOCK = re.compile(
    r'Could not set lock on file "(?P<file>[^"]+)": Conflicting lock is held in'
    r" (?P<program>\S+) \(PID (?P<pid>\d+)\)"
)


def duckdb_lock_line(message: str) -> str | None:
    """DuckDB's "Could not set lock on file" error as one line naming the file and the
    process holding it (its command line and start time, while it runs); None for any
    other message."""
    match = _DUCKDB_LOCK.search(message)
    if match is None:
        return None
    pid = int(match["pid"])
    holder = _process(pid) or f"pid {pid} ({match['program']}, no longer running)"
    return f"{match['file']} is locked by {holder}"


def _process(pid: int) -> str | None:
    """'pid N (command line), started <UTC time>' from /proc, or None once it is gone."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        stat = Path(f"/proc/{pid}/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except OSError:
        return None
    command = " ".join(a.decode(errors="replace") for a in argv if a)
    ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22: start time after boot
    age = uptime - ticks / os.sysconf("SC_CLK_TCK")
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age)
    return f"pid {pid} ({command}), started {started:%Y-%m-%d %H:%M:%S} UTC"
