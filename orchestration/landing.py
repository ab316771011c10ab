"""The landing folder: which files are PBX sources, and how to read their complete lines.

queue_log files come as the live pipe-delimited log (`queue_log`), rotated copies
(`queue_log.1`, `queue_log-20261101`), gzip-compressed rotations (`.gz`), and CSV exports of
the realtime/ODBC table (`*.csv`, optionally `.csv.gz`).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

QUEUE_LOG_GLOB = "queue_log*"


@dataclass(frozen=True)
class LandingFile:
    path: Path

    @property
    def is_compressed(self) -> bool:
        return self.path.suffix == ".gz"

    @property
    def is_table_export(self) -> bool:
        return self.path.name.removesuffix(".gz").endswith(".csv")

    @property
    def can_grow(self) -> bool:
        """Only a plain pipe-delimited log is appended to by the PBX while we read it."""
        return not (self.is_compressed or self.is_table_export)

    def read_bytes(self) -> bytes:
        data = self.path.read_bytes()
        return gzip.decompress(data) if self.is_compressed else data


def queue_log_files(landing_dir: Path) -> list[LandingFile]:
    return [
        LandingFile(p)
        for p in sorted(landing_dir.glob(QUEUE_LOG_GLOB))
        if p.is_file() and not p.name.startswith(".")
    ]


def complete_lines(data: bytes, *, keep_partial: bool) -> tuple[list[bytes], int]:
    """The lines of `data` and how many bytes they span.

    Unless `keep_partial`, a last line without its newline is left out: the PBX is still
    writing it, and it is read complete on the next run.
    """
    end = len(data) if keep_partial else data.rfind(b"\n") + 1
    return data[:end].splitlines(), end
