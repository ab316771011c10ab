"""Atomic publication of files (write-audit-publish): the serving DuckDB file, the exports.

A file is written under a temp name beside its target and renamed over it (os.replace, atomic
on one file system): a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace_files(writers: dict[Path, Callable[[Path], object]]) -> list[Path]:
    """Writes each target through its writer into a temp file beside it, then, only once all
    are written, renames them over their targets; returns the targets.

    A writer that fails, or a target that is a folder, leaves every target as it was, so files
    that belong together (a month's CSV and XLSX) never hold different versions. Temp names
    start with a dot and keep the target's suffix (pandas picks the Excel writer by it).
    """
    temps: dict[Path, Path] = {}
    try:
        for target, write in writers.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
            )
            os.close(handle)
            temps[target] = Path(name)
            write(temps[target])
            os.chmod(name, 0o644)  # mkstemp's 0600 would hide it from a BI or payroll user
        # A rename over a file does not fail, one over a folder does: found before the first
        # rename, it leaves every target as it was.
        for target in temps:
            if target.is_dir() and not target.is_symlink():
                raise IsADirectoryError(f"{target} is a folder, not a file: nothing replaced")
        for target, temp in temps.items():
            os.replace(temp, target)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
    return list(writers)


# Columns of the build that the serving copy leaves out: Superset reads every schema of the
# serving file (SQL Lab), and a quarantined line's text may be anything the landing folder held
# (issue 18: the lines of a symlinked /etc/passwd). They stay in the build warehouse, for whoever
# may read the landing files; the serving file keeps each line's file, number and reason.
# (Dropped, not rewritten: no SQL reaches them, but DuckDB's freed blocks may still hold the
# bytes, so the serving file itself stays as private as the build's folder.)
RAW_ONLY_COLUMNS = (("raw", "raw_quarantine", "raw_text"),)


def publish_warehouse(build_path: Path, serving_path: Path) -> int:
    """Copies build to serving atomically, without RAW_ONLY_COLUMNS; returns the size in
    bytes.

    Readers holding the old serving file keep a consistent view of it; the next connection
    sees the new one. A failure before the replace leaves the serving file untouched.
    """
    import duckdb

    # Fold any write-ahead log into the file: a copy of the file alone would miss it.
    with duckdb.connect(str(build_path)) as con:
        con.execute("checkpoint")
    replace_files({serving_path: lambda temp: _copy_for_serving(build_path, temp)})
    return serving_path.stat().st_size


def _copy_for_serving(build_path: Path, temp: Path) -> None:
    import duckdb

    shutil.copyfile(build_path, temp)
    with duckdb.connect(str(temp)) as con:
        for schema, table, column in RAW_ONLY_COLUMNS:
            present = con.execute(
                "select count(*) from information_schema.columns"
                " where table_schema = ? and table_name = ? and column_name = ?",
                [schema, table, column],
            ).fetchone()
            if present and present[0]:
                con.execute(f"alter table {schema}.{table} drop column {column}")
        con.execute("checkpoint")
