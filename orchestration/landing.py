"""python -m orchestration.landing accept <file>: accept a landing file's current content.

Two things stop a run until a person looks at them: a PBX file that lost bytes or lines it had
(held: its earlier rows kept, raw.held_files) and a file quarantined whole (nothing of it
loaded). Accepting records the file's path and sha256 with the time and the reason in the
warehouse folder (orchestration/lib/acceptances.py); the next run then replaces the held
file's earlier version with it, or lets the quarantined file's quarantine pass. A file neither
held nor quarantined whole, or not in the landing folder, is refused. The folders are
--landing and --warehouse, by default LANDING_DIR and WAREHOUSE_DIR as for the pipeline
(read through orchestration.resources, imported only then: Dagster takes seconds to import).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.lib.acceptances import acceptances_path, record_acceptance
from orchestration.lib.landing import source_files
from orchestration.lib.raw_store import sha256_of
from orchestration.lib.warehouse_files import BUILD_FILE


class NotAcceptable(ValueError):
    """The file cannot be accepted (not in the landing folder, or nothing to accept)."""


def accept(landing: Path, warehouse_dir: Path, name: str) -> str:
    """Accepts the landing file `name` (a path, or relative to the landing folder) for the
    warehouse in `warehouse_dir`; returns the line saying what was accepted. Raises
    NotAcceptable saying why not."""
    given = Path(name)
    # A relative name is the landing folder's file first, else a path from here.
    candidates = [given] if given.is_absolute() else [landing / given, Path.cwd() / given]
    found = next((c for c in candidates if c.exists()), candidates[0])
    try:
        relative = found.resolve().relative_to(landing.resolve())
    except ValueError:
        raise NotAcceptable(f"{name}: not in the landing folder {landing}") from None
    file = landing / relative
    if not file.is_file():
        raise NotAcceptable(f"{name}: no such file in the landing folder {landing}")
    if file not in {f.path for f in source_files(landing) if f.refused is None}:
        raise NotAcceptable(f"{name}: not a source file of the landing folder {landing}")
    sha256 = sha256_of(file.read_bytes())
    reason = _what_to_accept(warehouse_dir / BUILD_FILE, file, sha256)
    record_acceptance(warehouse_dir, relative.as_posix(), sha256, reason)
    return (
        f"accepted {relative.as_posix()} (sha256 {sha256[:12]}…, {file.stat().st_size:,} bytes),"
        f" {reason}; recorded in {acceptances_path(warehouse_dir)}"
    )


def _what_to_accept(build_path: Path, file: Path, sha256: str) -> str:
    """Why the file's content needs accepting, from the build warehouse's last ingest."""
    import duckdb

    if not build_path.exists():
        raise NotAcceptable(f"{file}: no build warehouse at {build_path}: nothing held")
    with duckdb.connect(str(build_path), read_only=True) as con:
        tables = {t for (t,) in con.execute("select table_name from duckdb_tables()").fetchall()}
        held = (
            con.execute(
                "select content_sha256, change from raw.held_files where source_file = ?",
                [str(file)],
            ).fetchone()
            if "held_files" in tables
            else None
        )
        whole = con.execute(
            "select ingest_files.quarantined_count, any_value(raw_quarantine.reason)"
            " from raw.ingest_files left join raw.raw_quarantine"
            " on ingest_files.source_file = raw_quarantine.source_file"
            " where ingest_files.source_file = ? and ingest_files.content_sha256 = ?"
            " and ingest_files.loaded_count + ingest_files.duplicate_count = 0"
            " and ingest_files.quarantined_count > 0 group by 1",
            [str(file), sha256],
        ).fetchone()
    if held is not None:
        if held[0] != sha256:
            raise NotAcceptable(
                f"{file}: changed since the last run held it: run the pipeline again, then"
                " accept what it holds"
            )
        return f"held ({held[1]}): the next run replaces its earlier rows with this content"
    if whole is not None:
        return (
            f"quarantined whole ({whole[0]:,} line{'s' * (whole[0] != 1)}: {whole[1]}): the next"
            " run reports its quarantine without blocking the publish"
        )
    raise NotAcceptable(
        f"{file}: neither held nor quarantined whole in the last run: nothing to accept"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.landing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    accept_command = commands.add_parser("accept", help="accept a landing file's content")
    accept_command.add_argument("file", help="the file (a path, or relative to the landing)")
    accept_command.add_argument("--landing", type=Path, help="default: $LANDING_DIR")
    accept_command.add_argument("--warehouse", type=Path, help="default: $WAREHOUSE_DIR")
    args = parser.parse_args(argv)
    if args.landing is None or args.warehouse is None:
        from orchestration.resources import center_warehouse_from_env

        warehouse = center_warehouse_from_env()
        args.landing = args.landing or Path(warehouse.landing_dir)
        args.warehouse = args.warehouse or Path(warehouse.warehouse_dir)
    try:
        print(accept(args.landing, args.warehouse, args.file))
    except NotAcceptable as error:
        print(f"not accepted: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
