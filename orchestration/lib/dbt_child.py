#!/usr/bin/env python3
"""dbt, dying with the process that started it: the `dbt_executable` of the Dagster dbt
resource (orchestration/resources.py).

Issue 18: after a kill -9 of the pipeline alone (as the OOM killer does), its dbt child went
on building build.duckdb unwatched, holding DuckDB's lock on it. This script asks the kernel
to SIGKILL it when its parent dies (prctl PR_SET_PDEATHSIG, which survives execve) and then
becomes the real dbt (`$CENTER_DBT_EXECUTABLE`, else `dbt` on PATH) in the same process.
The signal fires when the parent *thread* that started it ends: dagster-dbt starts dbt from
the step's thread, which is the run's main thread under the in-process executor.

Standard library only, so any python3 runs it.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
REAL_DBT_VARIABLE = "CENTER_DBT_EXECUTABLE"


def main() -> None:
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl(PR_SET_PDEATHSIG): {os.strerror(error)}")
    # The parent died before the request (while this interpreter started, even before
    # getppid above: then init adopted it): nobody is watching.
    if os.getppid() != parent or parent == 1:
        sys.exit("dbt not started: the process that started it has died")
    dbt = os.environ.get(REAL_DBT_VARIABLE) or "dbt"
    os.execvp(dbt, [dbt, *sys.argv[1:]])


if __name__ == "__main__":
    main()
