"""The repository carries everything it needs: no file points at the workshop folder that sat
beside it during development, and every real sample says where it comes from."""

from __future__ import annotations

import re
import subprocess

from orchestration.resources import REPO_ROOT
from tests.support import REALDATA

# Built from parts so that this file does not match its own pattern.
_WORKSHOP = "shared"
WORKSHOP_REFERENCE = re.compile(
    r"\.\./" + _WORKSHOP + r"\b|\b" + _WORKSHOP + r"/(?:notes|spec|realdata|design|hooks)\b"
)
SOURCES = REALDATA / "SOURCES.md"
# A table row naming a file: | `folder/file` | ...
LISTED_FILE = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)


def _repo_files() -> list[str]:
    """Tracked files plus new ones not yet committed (ignored files aside)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout
    return sorted({name for name in listed.decode().split("\0") if name})


def test_no_file_refers_to_the_workshop_folder() -> None:
    offenders = []
    for name in _repo_files():
        path = REPO_ROOT / name
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        data = path.read_bytes()
        if b"\0" in data:  # binary (images)
            continue
        for number, line in enumerate(data.decode(errors="replace").splitlines(), start=1):
            if WORKSHOP_REFERENCE.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []


def test_the_pattern_finds_workshop_references() -> None:
    parent = ".." + "/" + _WORKSHOP
    assert WORKSHOP_REFERENCE.search(f"see {parent}/spec/metrics.md")
    assert WORKSHOP_REFERENCE.search(f"{_WORKSHOP}/realdata/README.md")
    assert not WORKSHOP_REFERENCE.search("dbt_project/models/marts/shared/shared_cx_daily.sql")


def test_every_real_sample_is_listed_in_sources() -> None:
    files = {
        path.relative_to(REALDATA).as_posix()
        for path in REALDATA.rglob("*")
        if path.is_file() and path != SOURCES
    }
    listed = set(LISTED_FILE.findall(SOURCES.read_text()))
    assert files - listed == set(), "samples missing from SOURCES.md"
    assert listed - files == set(), "SOURCES.md lists files that are not there"
