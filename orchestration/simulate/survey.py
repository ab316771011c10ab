"""The simulated center's post-call survey export (IVR, SMS and e-mail surveys), one CSV per
local day of submission, consistent with the simulated calls.

A share of the answered customer calls (test calls and withheld numbers aside) gets a response
1 to 30 minutes after the call ended. It names its call by uniqueid, by linkedid only (the
caller's leg: the same id) or only by the caller's number as the PBX logged it - unless the
same number had another answered call end before the response, which would make the number
ambiguous (a survey tool that knows no more than the number cannot say which call it was
about; the warehouse takes the number's last call, so the export names those by uniqueid).
Scores follow
the truth: CSAT centres on 4.4 for a resolved call and 2.6 for an unresolved one, lower after
a long final wait; NPS and CES follow the same satisfaction (CES low = easy); `resolved`
agrees with the truth nine times in ten; a few respondents skip a question. Faults at
`bad_survey_rate` per response: a score off its scale (the parser quarantines it) and a
response for a call no one made (the warehouse sets it aside).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from orchestration.lib.center_config import CenterConfig
from orchestration.simulate.inbound import CallTruth

HEADER = ["response_id", "submitted_at", "channel", "uniqueid", "linkedid", "caller_number",
          "csat", "nps", "ces", "resolved", "comment"]  # fmt: skip
CHANNELS = (("ivr", 60), ("sms", 30), ("email", 10))
NAMED_BY = (("uniqueid", 70), ("linkedid", 15), ("caller_number", 15))
SUBMIT_DELAY_SECONDS = (60, 30 * 60)
RESOLVED_AGREEMENT = 0.9
SKIP_SHARE = 0.05  # respondents who leave one question empty
COMMENTS = ("Quick and friendly, thanks!", "Waited too long.", "Still not fixed, again.",
            'The agent said "call back tomorrow"', "")  # fmt: skip
UNKNOWN_CALL_EPOCH = 1700000000  # no simulated call is that old: its uniqueids name no call


@dataclass(frozen=True)
class SurveyTruth:
    response_id: str
    call_id: str | None  # None: the response names a call no one made
    status: str  # loaded | out_of_range | unknown_call
    csat: int | None  # as written (None: skipped)
    nps: int | None
    ces: int | None
    resolved: str | None  # yes | no


@dataclass(frozen=True)
class SurveyFaults:
    out_of_range_count: int
    unknown_call_count: int


@dataclass
class SurveyExport:
    # File name (under surveys/) -> rows (HEADER's columns), per local day of submission.
    files: dict[str, list[list[str]]] = field(default_factory=dict)
    responses: list[SurveyTruth] = field(default_factory=list)
    faults: SurveyFaults = SurveyFaults(0, 0)


def survey_export(calls: list[CallTruth], config: CenterConfig) -> SurveyExport:
    """The survey files, one truth row per response, and the faults."""
    simulation = config.simulation
    assert simulation is not None
    customers = simulation.customers
    rng = random.Random(simulation.seed + 4)
    zone = ZoneInfo(config.center.export_timezone)
    export = SurveyExport()
    out_of_range = unknown = 0
    answered_ends: dict[str, list[int]] = {}
    for call in calls:
        if call.answered_epoch is not None and not call.is_test_call:
            answered_ends.setdefault(_national(call.caller), []).append(call.ended_epoch)
    for call in calls:
        if call.customer is None or call.answered_epoch is None:
            continue  # test calls, withheld numbers, calls no agent answered
        if rng.random() >= customers.survey_share:
            continue
        submitted = call.ended_epoch + rng.randint(*SUBMIT_DELAY_SECONDS)
        response_id = f"SV{len(export.responses) + 1:07d}"
        scores = _scores(call, rng)
        status = "loaded"
        if rng.random() < customers.bad_survey_rate:
            # A score off its scale: CSAT 6 of 5, or NPS 11 of 10.
            scores.update({"csat": "6"} if rng.random() < 0.5 else {"nps": "11"})
            status, out_of_range = "out_of_range", out_of_range + 1
        named_by = rng.choices(*zip(*NAMED_BY, strict=True))[0]
        ends = answered_ends[_national(call.caller)]
        if named_by == "caller_number" and any(call.ended_epoch < e <= submitted for e in ends):
            named_by = "uniqueid"
        _add(export, zone, rng, response_id, submitted, call.call_id, call.caller, scores, status,
             named_by)  # fmt: skip
        if rng.random() < customers.bad_survey_rate:
            # A response for a call no one made (a stale IVR session, another center's call).
            unknown += 1
            ghost = f"{UNKNOWN_CALL_EPOCH}.{90000 + unknown}"
            ghost_id = f"SV{len(export.responses) + 1:07d}"
            _add(export, zone, rng, ghost_id, submitted + 1, ghost, "", _scores(call, rng),
                 "unknown_call", named_by="uniqueid")  # fmt: skip
    export.faults = SurveyFaults(out_of_range, unknown)
    return export


def _scores(call: CallTruth, rng: random.Random) -> dict[str, str]:
    """CSAT, NPS, CES and resolved (text, "" when skipped) drawn from the call's truth."""
    centre = 4.4 if call.is_resolved else 2.6
    if call.final_wait_seconds > 180:
        centre -= 0.8
    elif call.final_wait_seconds > 60:
        centre -= 0.4
    satisfaction = rng.gauss(centre, 0.7)  # on the CSAT scale
    share = (satisfaction - 1) / 4  # 0 unhappy .. 1 delighted
    agrees = rng.random() < RESOLVED_AGREEMENT
    scores = {
        "csat": str(_clamp(round(satisfaction), 1, 5)),
        "nps": str(_clamp(round(10 * share + rng.gauss(0, 1.2)), 0, 10)),
        "ces": str(_clamp(round(7 - 6 * share + rng.gauss(0, 0.9)), 1, 7)),
        "resolved": "yes" if bool(call.is_resolved) == agrees else "no",
    }
    if rng.random() < SKIP_SHARE:
        scores[rng.choice(list(scores))] = ""
    return scores


def _national(number: str) -> str:
    """A simulated number without its country code (callers are logged either way)."""
    return number.removeprefix("+1")


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _add(
    export: SurveyExport,
    zone: ZoneInfo,
    rng: random.Random,
    response_id: str,
    submitted: int,
    call_id: str,
    caller: str,
    scores: dict[str, str],
    status: str,
    named_by: str,
) -> None:
    """One response: its row in the day's file (local ISO time with its offset) and truth."""
    local = dt.datetime.fromtimestamp(submitted, zone)
    row = {
        "response_id": response_id,
        "submitted_at": local.isoformat(),
        "channel": rng.choices(*zip(*CHANNELS, strict=True))[0],
        "uniqueid": call_id if named_by == "uniqueid" else "",
        "linkedid": call_id if named_by == "linkedid" else "",
        "caller_number": caller if named_by == "caller_number" else "",
        "comment": rng.choice(COMMENTS) if rng.random() < 0.2 else "",
        **scores,
    }
    export.files.setdefault(f"survey_{local.date().isoformat()}.csv", []).append(
        [row[column] for column in HEADER]
    )
    export.responses.append(
        SurveyTruth(
            response_id,
            None if status == "unknown_call" else call_id,
            status,
            *(int(scores[s]) if scores[s] else None for s in ("csat", "nps", "ces")),
            scores["resolved"] or None,
        )
    )
