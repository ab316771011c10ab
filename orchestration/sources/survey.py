"""Parser for post-call survey exports (IVR, SMS or e-mail surveys): a CSV with a header.

Columns by name, in any order: response_id and submitted_at are required, and a response
must name its call (uniqueid or linkedid) or at least the caller's number. Scores are
optional (a respondent may skip a question) but never clipped: a score outside its scale
(CSAT 1-5, NPS 0-10, CES 1-7) quarantines the response with the reason. Which call a
response belongs to is decided in dbt, where a response for an unknown call is set aside
with its reason too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from orchestration.sources.csv_export import iso_utc, parse_csv_export
from orchestration.sources.parsed import ParsedFile

REQUIRED_COLUMNS = ("response_id", "submitted_at")
CALL_COLUMNS = ("uniqueid", "linkedid", "caller_number")
SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
OPTIONAL_COLUMNS = ("resolved", "comment", "channel")
CHANNELS = frozenset({"ivr", "sms", "email"})
KNOWN_COLUMNS = frozenset((*REQUIRED_COLUMNS, *CALL_COLUMNS, *SCALES, *OPTIONAL_COLUMNS))
_RESOLVED = {"yes": True, "y": True, "true": True, "1": True,
             "no": False, "n": False, "false": False, "0": False}  # fmt: skip


@dataclass(frozen=True)
class SurveyResponse:
    response_hash: str
    line_number: int
    response_id: str
    call_uniqueid: str | None
    call_linkedid: str | None
    caller_number: str | None
    submitted_at: dt.datetime  # UTC, naive
    csat: int | None
    nps: int | None
    ces: int | None
    resolved: bool | None
    comment: str | None
    channel: str | None
    # Columns this parser does not know, as JSON (kept, never dropped).
    extra: str | None


ParsedSurvey = ParsedFile[SurveyResponse]


def parse_survey_export(lines: list[bytes], naive_zone: str) -> ParsedSurvey:
    """Parses one export (header first); times without an offset are in `naive_zone`."""
    return parse_csv_export(
        lines,
        what="survey export",
        columns=KNOWN_COLUMNS,
        file_problem=_file_problem,
        to_row=lambda header, values, number: _response(header, values, number, naive_zone),
        identity=lambda response: response.response_hash,
    )


def _columns(header: list[str]) -> list[str]:
    return [column.strip().lower() for column in header]


def _file_problem(header: list[str]) -> str | None:
    columns = _columns(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if not set(CALL_COLUMNS) & set(columns):
        missing.append(" or ".join(CALL_COLUMNS))
    return f"survey export lacks required column {', '.join(missing)}" if missing else None


def _response(
    header: list[str], values: list[str], line_number: int, naive_zone: str
) -> SurveyResponse | str:
    """The response, or the reason it is quarantined (it has the header's field count)."""
    fields = {c: v.strip() for c, v in zip(_columns(header), values, strict=True) if v.strip()}
    if "response_id" not in fields:
        return "empty response_id"
    if not any(c in fields for c in CALL_COLUMNS):
        return "names no call: uniqueid, linkedid and caller_number are all empty"
    submitted_at = iso_utc(fields.get("submitted_at", ""), naive_zone)
    if submitted_at is None:
        return f"submitted_at {fields.get('submitted_at', '')!r} is not an ISO 8601 date-time"
    scores: dict[str, int | None] = {}
    for name, (low, high) in SCALES.items():
        text = fields.get(name)
        if text is None:
            scores[name] = None
        elif not text.isdigit() or not low <= int(text) <= high:
            return f"{name.upper()} {text!r} is outside its scale {low}-{high}"
        else:
            scores[name] = int(text)
    resolved = fields.get("resolved")
    if resolved is not None and resolved.lower() not in _RESOLVED:
        return f"resolved {resolved!r} is not yes or no"
    channel = fields.get("channel", "").lower() or None
    if channel is not None and channel not in CHANNELS:
        return f"channel {channel!r} is not one of {', '.join(sorted(CHANNELS))}"
    extra = {c: v for c, v in fields.items() if c not in KNOWN_COLUMNS}
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return SurveyResponse(
        response_hash=hashlib.sha1(canonical.encode()).hexdigest(),
        line_number=line_number,
        response_id=fields["response_id"],
        call_uniqueid=fields.get("uniqueid"),
        call_linkedid=fields.get("linkedid"),
        caller_number=fields.get("caller_number"),
        submitted_at=submitted_at,
        resolved=None if resolved is None else _RESOLVED[resolved.lower()],
        comment=fields.get("comment"),
        channel=channel,
        extra=json.dumps(extra, sort_keys=True, ensure_ascii=False) if extra else None,
        **scores,
    )
