"""Start or stop the Superset web server of a home made by superset/bootstrap.py.

    .venv/bin/python superset/server.py start --home var/superset --port 8088
    .venv/bin/python superset/server.py stop --home var/superset

`start` runs gunicorn on 127.0.0.1 in its own session (it outlives this command), logs to
HOME/gunicorn.log, records "pid port" in HOME/gunicorn.pid, and returns once /health answers OK.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
PID_FILE = "gunicorn.pid"
LOG_FILE = "gunicorn.log"
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 30.0


def _bootstrap_module() -> ModuleType:
    """bootstrap.py by path: `import superset...` would find the installed package."""
    spec = importlib.util.spec_from_file_location("superset_bootstrap", HERE / "bootstrap.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def gunicorn_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        "1",
        "-k",
        "gthread",
        "--threads",
        "4",
        "--timeout",
        "120",
        # gunicorn 27 otherwise binds ~/.gunicorn/gunicorn.ctl, shared by every server.
        "--no-control-socket",
        "-b",
        f"127.0.0.1:{port}",
        "superset.app:create_app()",
    ]


def _running(home: Path) -> tuple[int, int] | None:
    """(pid, port) of this home's live gunicorn master, or None (stale pid file removed)."""
    path = home / PID_FILE
    if not path.exists():
        return None
    pid, port = (int(field) for field in path.read_text().split())
    cmdline = Path(f"/proc/{pid}/cmdline")
    # The pid must still be our gunicorn: after a reboot the number may belong to another process.
    if cmdline.exists() and b"gunicorn" in cmdline.read_bytes():
        return pid, port
    path.unlink()
    return None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
            return response.status == 200 and response.read().strip() == b"OK"
    except (urllib.error.URLError, OSError):
        return False


def log_tail(home: Path, lines: int = 40) -> str:
    path = home / LOG_FILE
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start(home: Path, port: int, timeout_s: float = START_TIMEOUT_S) -> int:
    """Starts gunicorn for `home` on `port` and waits for /health; returns its pid."""
    home = home.resolve()
    if running := _running(home):
        pid, running_port = running
        if running_port != port:
            raise RuntimeError(f"already running on port {running_port} (pid {pid}); stop first")
        return pid
    if not (home / "superset.db").exists():
        raise RuntimeError(f"{home} is not bootstrapped: run superset/bootstrap.py first")
    if not _port_free(port):
        raise RuntimeError(f"127.0.0.1:{port} is already in use")
    env = {**os.environ, **_bootstrap_module().superset_env(home)}
    with open(home / LOG_FILE, "ab") as log:
        process = subprocess.Popen(
            gunicorn_command(port),
            cwd=home,  # not the repo root, whose superset/ folder is not the package
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own session: survives this command and its terminal
        )
    (home / PID_FILE).write_text(f"{process.pid} {port}\n")
    _wait_healthy(home, process, port, timeout_s)
    return process.pid


def _wait_healthy(home: Path, process: subprocess.Popen[bytes], port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _healthy(port):
            return
        if process.poll() is not None:
            (home / PID_FILE).unlink(missing_ok=True)
            raise RuntimeError(
                f"gunicorn exited with {process.returncode}; {home / LOG_FILE} ends with:\n"
                + log_tail(home)
            )
        time.sleep(0.5)
    stop(home)
    raise TimeoutError(
        f"Superset did not answer /health on port {port} within {timeout:.0f} s; "
        f"{home / LOG_FILE} ends with:\n" + log_tail(home)
    )


def stop(home: Path, timeout_s: float = STOP_TIMEOUT_S) -> bool:
    """Stops this home's gunicorn (master and workers); False if it was not running."""
    home = home.resolve()
    running = _running(home)
    if running is None:
        return False
    pid = running[0]
    # start_new_session made the master its session and group leader: the group is ours.
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        _reap(pid)
        time.sleep(0.2)
    if Path(f"/proc/{pid}").exists():
        os.killpg(pid, signal.SIGKILL)
        _reap(pid)
    (home / PID_FILE).unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    """Collects the exit status when the master is our own child (stop from the same process),
    so it does not linger as a zombie in /proc."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start or stop Superset (gunicorn).")
    sub = parser.add_subparsers(dest="action", required=True)
    start_parser = sub.add_parser("start", help="start in the background, wait for /health")
    start_parser.add_argument("--home", type=Path, required=True)
    start_parser.add_argument("--port", type=int, default=8088)
    start_parser.add_argument("--timeout", type=float, default=START_TIMEOUT_S)
    stop_parser = sub.add_parser("stop", help="stop the server of this home")
    stop_parser.add_argument("--home", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            pid = start(args.home, args.port, args.timeout)
            print(f"Superset on http://127.0.0.1:{args.port}/ (pid {pid}, log {LOG_FILE})")
        else:
            print("stopped" if stop(args.home) else "not running")
    except (RuntimeError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
