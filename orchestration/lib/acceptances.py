"""Landing files whose current content a person accepted (`python -m orchestration.landing
accept <file>`): a held PBX file's new content, which the next run then loads in place of its
earlier version, or a file quarantined whole, whose quarantine then no longer blocks the
publish. An acceptance is of one content (path and sha256) and replaces only a version loaded
before it: a file that changes again is judged again, and the same content coming back later
(a file emptied again after an accepted emptying) is held again until accepted again.

Kept as JSON lines in the warehouse folder (ACCEPTANCES_FILE), not in the raw layer, which a
new RAW_SCHEMA_VERSION drops: an acceptance outlives a raw rebuild. One line per acceptance:
the path relative to the landing folder, the sha256 of its bytes on disk, when (UTC) and why.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

ACCEPTANCES_FILE = "landing_acceptances.jsonl"


@dataclass(frozen=True)
class Acceptance:
    path: str  # relative to the landing folder, with forward slashes
    sha256: str
    accepted_at: str  # ISO 8601, UTC
    reason: str


def acceptances_path(warehouse_dir: Path) -> Path:
    return Path(warehouse_dir) / ACCEPTANCES_FILE


def read_acceptances(warehouse_dir: Path) -> list[Acceptance]:
    path = acceptances_path(warehouse_dir)
    if not path.exists():
        return []
    lines = path.read_text("utf-8").splitlines()
    return [Acceptance(**json.loads(line)) for line in lines if line.strip()]


def record_acceptance(
    warehouse_dir: Path, path_in_landing: str, sha256: str, reason: str
) -> Acceptance:
    """Appends an acceptance of `path_in_landing`'s content `sha256` and returns it."""
    acceptance = Acceptance(path_in_landing, sha256, dt.datetime.now(dt.UTC).isoformat(), reason)
    path = acceptances_path(warehouse_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(asdict(acceptance), ensure_ascii=False) + "\n")
    return acceptance


def accepted_contents(warehouse_dir: Path, landing_dir: Path) -> dict[tuple[str, str], dt.datetime]:
    """The accepted (source_file, sha256) contents, source_file as the ledger writes it (the
    landing folder's path joined with the file's), each with its latest acceptance time (UTC,
    naive like the ledger's)."""
    latest: dict[tuple[str, str], dt.datetime] = {}
    for a in read_acceptances(warehouse_dir):
        at = dt.datetime.fromisoformat(a.accepted_at).astimezone(dt.UTC).replace(tzinfo=None)
        key = (str(Path(landing_dir) / a.path), a.sha256)
        latest[key] = max(at, latest.get(key, at))
    return latest
