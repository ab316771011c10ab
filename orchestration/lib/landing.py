"""The landing folder: which files are PBX sources, and how to read their complete lines.

queue_log files come as the live pipe-delimited log (`queue_log`), rotated copies
(`queue_log.1`, `queue_log-20261101`), gzip-compressed rotations (`.gz`), and CSV exports of
the realtime/ODBC table (`queue_log*.csv`). CDR files are cdr_csv/cdr_custom `Master*.csv`
or table exports `cdr*.csv`, optionally gzip-compressed. CRM exports are `crm/<Object>*.csv`,
post-call survey exports `surveys/*.csv`.

The folder is a boundary: a file whose name is in it but whose bytes are elsewhere (a
symlink resolving outside it, a hard link with a name outside it) is listed as refused and
never read, so nothing from outside reaches the raw or quarantine tables.
"""

from __future__ import annotations

import gzip
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from orchestration.sources.text import as_utf8

QUEUE_LOG_GLOBS = ("queue_log*",)
CDR_GLOBS = ("Master*.csv", "Master*.csv.gz", "cdr*.csv", "cdr*.csv.gz")
# CRM exports sit in their own folder, one CSV per object (orchestration/sources/crm.py).
CRM_GLOBS = ("crm/*.csv", "crm/*.csv.gz")
SURVEY_GLOBS = ("surveys/*.csv", "surveys/*.csv.gz")
HARD_LINK_OUTSIDE = "a hard link whose file also has a name outside the landing folder"


@dataclass(frozen=True)
class LandingFile:
    path: Path
    # The PBX appends to this file while we read it: only new complete lines are read later.
    can_grow: bool = False
    # Why the file is not read (it is not the landing folder's own), or None.
    refused: str | None = None

    @property
    def is_compressed(self) -> bool:
        return self.path.suffix == ".gz"

    @property
    def is_table_export(self) -> bool:
        return self.path.name.removesuffix(".gz").endswith(".csv")

    def file_bytes(self) -> bytes:
        """The bytes on disk, whose hash identifies the file's version."""
        if self.refused is not None:
            raise PermissionError(f"{self.path} is not read: {self.refused}")
        return self.path.read_bytes()

    def text_of(self, data: bytes) -> bytes:
        """The file's bytes on disk as text bytes: decompressed, and in UTF-8 if a byte-order
        mark said otherwise (orchestration/sources/text.py). Offsets into a grown file count
        these."""
        return as_utf8(gzip.decompress(data) if self.is_compressed else data)

    def read_bytes(self) -> bytes:
        return self.text_of(self.file_bytes())


def _matching(landing_dir: Path, globs: tuple[str, ...]) -> list[LandingFile]:
    """The files matching `globs` (hidden ones left out), each refused if its bytes are not
    the landing folder's own. Only paths and metadata are looked at: a refused file is never
    opened, and a link to a place we may not enter is refused, not an error."""
    root = landing_dir.resolve()
    paths = sorted({p for pattern in globs for p in landing_dir.glob(pattern)})
    links: Counter[tuple[int, int]] | None = None
    files = []
    for path in paths:
        if path.name.startswith("."):
            continue
        target = path.resolve()
        if not target.is_relative_to(root):
            files.append(
                LandingFile(path, refused=f"a link to {target}, outside the landing folder")
            )
            continue
        if not target.is_file():
            continue
        stat = target.stat()
        if stat.st_nlink > 1:
            links = _links_inside(root) if links is None else links
            # A hard link has no target to resolve: a name outside the folder shows only in
            # the link count. The file's bytes may be anything (/etc/shadow, a key).
            if stat.st_nlink > links[(stat.st_dev, stat.st_ino)]:
                files.append(LandingFile(path, refused=HARD_LINK_OUTSIDE))
                continue
        files.append(LandingFile(path))
    return files


def _links_inside(root: Path) -> Counter[tuple[int, int]]:
    """How many names each file (device, inode) has inside the landing folder."""
    links: Counter[tuple[int, int]] = Counter()
    for folder, _, names in os.walk(root):
        for name in names:
            stat = os.lstat(os.path.join(folder, name))
            links[(stat.st_dev, stat.st_ino)] += 1
    return links


def queue_log_files(landing_dir: Path) -> list[LandingFile]:
    # Only the plain pipe-delimited log grows; rotations and exports are complete.
    return [
        LandingFile(f.path, not (f.is_compressed or f.is_table_export), f.refused)
        for f in _matching(landing_dir, QUEUE_LOG_GLOBS)
    ]


def cdr_files(landing_dir: Path) -> list[LandingFile]:
    # A CDR file that changed is read again whole: a header-mapped export cannot be read
    # from its middle.
    return _matching(landing_dir, CDR_GLOBS)


def crm_files(landing_dir: Path) -> list[LandingFile]:
    return _matching(landing_dir, CRM_GLOBS)


def survey_files(landing_dir: Path) -> list[LandingFile]:
    return _matching(landing_dir, SURVEY_GLOBS)


def source_files(landing_dir: Path) -> list[LandingFile]:
    """Every source file of the landing folder (queue_log, CDR, CRM, surveys), refused
    ones included."""
    return [
        *queue_log_files(landing_dir),
        *cdr_files(landing_dir),
        *crm_files(landing_dir),
        *survey_files(landing_dir),
    ]


def complete_lines(data: bytes, *, keep_partial: bool) -> tuple[list[bytes], int]:
    """The lines of `data` and how many bytes they span.

    Unless `keep_partial`, a last line without its newline is left out: the PBX is still
    writing it, and it is read complete on the next run.
    """
    end = len(data) if keep_partial else data.rfind(b"\n") + 1
    return data[:end].splitlines(), end
