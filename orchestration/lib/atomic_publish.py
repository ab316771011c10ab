"""Atomic publication of a DuckDB file (write-audit-publish)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def publish_warehouse(build_path: Path, serving_path: Path) -> int:
    """Copies build to serving via a temp file and os.replace; returns the size in bytes.

    Readers holding the old serving file keep a consistent view of it; the next connection
    sees the new one. A failure before the replace leaves the serving file untouched.
    """
    import duckdb

    # Fold any write-ahead log into the file: a copy of the file alone would miss it.
    with duckdb.connect(str(build_path)) as con:
        con.execute("checkpoint")
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(
        prefix=".serving-", suffix=".duckdb", dir=serving_path.parent
    )
    os.close(handle)
    try:
        shutil.copyfile(build_path, temp_name)
        os.chmod(temp_name, 0o644)  # mkstemp's 0600 would hide it from a BI service user
        os.replace(temp_name, serving_path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return serving_path.stat().st_size
