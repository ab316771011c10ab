"""The languages the bundle renders its dashboards in, and the words of each.

English is written where it is defined (dbt meta and column_labels, the dashboard specs, the
dbt label macros of bands and categories); every other language is one catalogue,
superset/i18n/<language>.yaml, mapping each English display text to its translation. The
build renders every dashboard, and the datasets it reads, once per language: a text missing
from a catalogue shows in English there and is reported (Words.missing, and the unit test
tests/unit/test_superset_languages.py names it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CATALOGUE_DIR = Path(__file__).resolve().parent / "i18n"
ENGLISH = "en"


def languages(catalogue_dir: Path = CATALOGUE_DIR) -> list[str]:
    """English first, then every language with a catalogue."""
    return [ENGLISH, *sorted(path.stem for path in catalogue_dir.glob("*.yaml"))]


@dataclass
class Words:
    """Translates English display texts into `language` (English: as they are), and records
    the texts its catalogue lacks."""

    language: str
    catalogue: dict[str, str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    def __call__(self, text: str) -> str:
        if self.language == ENGLISH or not text:
            return text
        if text not in self.catalogue:
            self.missing.add(text)
            return text
        return self.catalogue[text]


def suffixed(name: str, language: str, separator: str = "_") -> str:
    """An asset's name in `language`: English as named, else suffixed (operations_zh; a slug,
    with separator "-", operations-zh)."""
    return name if language == ENGLISH else f"{name}{separator}{language}"


def english_name(name: str, catalogue_dir: Path = CATALOGUE_DIR) -> str:
    """The English asset a language's copy is of (mart_cx_daily_zh -> mart_cx_daily)."""
    for language in languages(catalogue_dir)[1:]:
        name = name.removesuffix(f"_{language}")
    return name


def words(language: str, catalogue_dir: Path = CATALOGUE_DIR) -> Words:
    if language == ENGLISH:
        return Words(ENGLISH)
    catalogue = yaml.safe_load((catalogue_dir / f"{language}.yaml").read_text()) or {}
    return Words(language, {str(english): str(text) for english, text in catalogue.items()})


@dataclass(frozen=True)
class Variant:
    """One rendering of a dashboard spec: its language, asset name and slug."""

    language: str
    name: str  # the file stem of the dashboard and, with a chart's name, of its charts
    slug: str


def dashboard_variants(name: str, slug: str, catalogue_dir: Path = CATALOGUE_DIR) -> list[Variant]:
    """Every dashboard rendered from the spec `name` (its file stem) with `slug`: English as
    named, each other language suffixed (operations_zh, slug operations-zh)."""
    return [
        Variant(language, suffixed(name, language), suffixed(slug, language, "-"))
        for language in languages(catalogue_dir)
    ]
