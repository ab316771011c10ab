"""Post-call survey exports: scores are kept exactly or the response is quarantined."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.sources.survey import parse_survey_export

HEADER = (
    "response_id,uniqueid,linkedid,caller_number,submitted_at,csat,nps,ces,resolved,comment,"
    "channel\n"
)


def _parse(text: str):
    return parse_survey_export(text.encode("utf-8").splitlines(), "America/New_York")


def test_a_response_loads_with_its_scores_and_times_in_utc() -> None:
    parsed = _parse(
        HEADER
        + '"R1","1761739200.12","1761739200.12","5551234567","2026-11-02 09:15:00",5,9,2,yes,'
        + '"Quick, kind",IVR\n'
        + "R2,,,5559876543,2026-11-02T14:20:00Z,,3,,no,,sms\n"
    )
    assert parsed.quarantined == [] and parsed.lines_read == 3
    first, second = parsed.events
    assert (first.call_uniqueid, first.csat, first.nps, first.ces, first.resolved) == (
        "1761739200.12", 5, 9, 2, True,
    )  # fmt: skip
    # 09:15 in New York on 2 November 2026 (EST, UTC-5).
    assert first.submitted_at == dt.datetime(2026, 11, 2, 14, 15)
    assert (first.comment, first.channel) == ("Quick, kind", "ivr")
    assert (second.call_uniqueid, second.caller_number, second.csat, second.nps) == (
        None, "5559876543", None, 3,
    )  # fmt: skip
    assert (second.resolved, second.submitted_at) == (False, dt.datetime(2026, 11, 2, 14, 20))


@pytest.mark.parametrize(
    ("scores", "reason"),
    [
        ("6,9,2", "CSAT '6' is outside its scale 1-5"),
        ("0,9,2", "CSAT '0' is outside its scale 1-5"),
        ("5,11,2", "NPS '11' is outside its scale 0-10"),
        ("5,-1,2", "NPS '-1' is outside its scale 0-10"),
        ("5,9,8", "CES '8' is outside its scale 1-7"),
        ("4.5,9,2", "CSAT '4.5' is outside its scale 1-5"),
    ],
)
def test_an_out_of_range_score_is_quarantined_never_clipped(scores: str, reason: str) -> None:
    parsed = _parse(HEADER + f"R1,1.1,1.1,555,2026-11-02 09:15:00,{scores},yes,,ivr\n")
    assert parsed.events == []
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [(2, reason)]


def test_responses_without_a_call_or_time_are_quarantined_and_repeats_counted() -> None:
    good = "R1,1.1,1.1,555,2026-11-02 09:15:00,5,9,2,yes,,ivr\n"
    parsed = _parse(
        HEADER
        + good
        + good
        + "R2,,,,2026-11-02 09:15:00,5,9,2,yes,,ivr\n"
        + "R3,1.3,1.3,555,yesterday,5,9,2,yes,,ivr\n"
        + "R4,1.4,1.4,555,2026-11-02 09:15:00,5,9,2,maybe,,ivr\n"
    )
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [
        (4, "names no call: uniqueid, linkedid and caller_number are all empty"),
        (5, "submitted_at 'yesterday' is not an ISO 8601 date-time"),
        (6, "resolved 'maybe' is not yes or no"),
    ]
    assert (len(parsed.events), parsed.duplicate_count, parsed.lines_read) == (1, 1, 6)


def test_an_export_without_a_required_column_loads_nothing() -> None:
    parsed = _parse("response_id,uniqueid,csat\nR1,1.1,5\n")
    assert parsed.events == []
    assert [q.reason for q in parsed.quarantined] == [
        "survey export lacks required column submitted_at"
    ]


def test_unknown_columns_are_kept() -> None:
    parsed = _parse(
        "Response_ID,uniqueid,submitted_at,csat,agent_note\nR1,1.1,2026-11-02T09:15:00Z,4,vip\n"
    )
    (response,) = parsed.events
    assert (response.csat, response.extra) == (4, '{"agent_note": "vip"}')
