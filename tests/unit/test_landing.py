"""The landing folder is a boundary: a file whose bytes live outside it is refused by name and
never read, so nothing from outside reaches the raw or quarantine tables."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from orchestration.lib.landing import LandingFile, survey_files
from orchestration.lib.raw_loader import ingest_into_warehouse, record_rows
from orchestration.lib.raw_store import SURVEY
from orchestration.sources.survey import SurveyResponse, parse_survey_export
from tests.support import make_warehouse

FIXTURES = Path(__file__).parents[1] / "fixtures" / "landing"
HARD_LINK = "a hard link whose file also has a name outside the landing folder"


def _landing(root: Path) -> tuple[Path, Path]:
    """A landing folder with one real survey export and every kind of link (issue 18: a
    symlink to /etc/passwd was read and its lines published in raw.raw_quarantine)."""
    outside = root / "outside"
    outside.mkdir()
    secret = outside / "passwd"
    shutil.copy(FIXTURES / "passwd", secret)
    surveys = root / "landing" / "surveys"
    surveys.mkdir(parents=True)
    shutil.copy(FIXTURES / "survey.csv", surveys / "survey.csv")
    (surveys / "passwd.csv").symlink_to(secret)
    os.link(secret, surveys / "hard.csv")
    (surveys / "alias.csv").symlink_to(surveys / "survey.csv")  # inside: read, duplicates
    os.link(surveys / "survey.csv", surveys / "copy.csv")  # both names inside: read
    return root / "landing", secret.resolve()


def test_links_to_files_outside_the_landing_folder_are_refused(tmp_path: Path) -> None:
    landing, secret = _landing(tmp_path)
    assert {f.path.name: f.refused for f in survey_files(landing)} == {
        "alias.csv": None,
        "copy.csv": None,
        "hard.csv": HARD_LINK,
        "passwd.csv": f"a link to {secret}, outside the landing folder",
        "survey.csv": None,
    }


def test_a_linked_folder_outside_is_refused_file_by_file(tmp_path: Path) -> None:
    landing, secret = _landing(tmp_path)
    shutil.rmtree(landing / "surveys")
    (landing / "surveys").symlink_to(secret.parent)
    (secret.parent / "export.csv").write_text("response_id\n")
    (refused,) = survey_files(landing)
    outside = secret.parent / "export.csv"
    assert refused.refused == f"a link to {outside}, outside the landing folder"


def test_a_link_is_refused_from_its_path_alone(tmp_path: Path) -> None:
    # Its target is never looked at: one that is missing (or that we may not enter) is
    # refused all the same, not an error; a dangling link inside is no file at all.
    landing, secret = _landing(tmp_path)
    (landing / "surveys" / "gone.csv").symlink_to(secret.parent / "missing")
    (landing / "surveys" / "moved.csv").symlink_to(landing / "surveys" / "missing")
    refused = {f.path.name: f.refused for f in survey_files(landing) if f.refused}
    assert (
        refused["gone.csv"] == f"a link to {secret.parent / 'missing'}, outside the landing folder"
    )
    assert "moved.csv" not in {f.path.name for f in survey_files(landing)}


def test_a_refused_file_is_never_read(tmp_path: Path) -> None:
    _, secret = _landing(tmp_path)
    refused = LandingFile(secret, refused="a link to it, outside the landing folder")
    with pytest.raises(PermissionError, match="is not read: a link to it"):
        refused.read_bytes()


def test_nothing_from_outside_reaches_raw_or_quarantine(tmp_path: Path) -> None:
    landing, secret = _landing(tmp_path)
    warehouse = make_warehouse(tmp_path)
    log: list[str] = []
    metadata = ingest_into_warehouse(
        warehouse,
        SURVEY,
        survey_files(Path(warehouse.landing_dir)),
        lambda lines, plan: parse_survey_export(lines, "UTC"),
        record_rows(SurveyResponse),
        log.append,
    )
    with warehouse.connect() as con:
        files = con.execute("select source_file from raw.ingest_files order by 1").fetchall()
        quarantined = con.execute("select count(*) from raw.raw_quarantine").fetchone()
        loaded = con.execute("select response_id from raw.survey_responses order by 1").fetchall()
    assert [Path(name).name for (name,) in files] == ["alias.csv", "copy.csv", "survey.csv"]
    assert quarantined == (0,)
    assert loaded == [("R1",), ("R2",)]  # alias.csv and copy.csv are duplicates of survey.csv
    outside = f"a link to {secret}, outside the landing folder"
    assert metadata["files_refused"] == f"hard.csv ({HARD_LINK}), passwd.csv ({outside})"
    assert [line for line in log if "refused" in line] == [
        f"{landing / 'surveys' / 'hard.csv'}: refused, not read: {HARD_LINK}",
        f"{landing / 'surveys' / 'passwd.csv'}: refused, not read: {outside}",
    ]
