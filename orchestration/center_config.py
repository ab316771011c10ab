"""The contact center's configuration (config/<center>.yml): load, validate, hand to dbt.

Validation errors name the file and the key path, so a typo in a 40-line YAML is found at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

# The metric contract's service-level variants (the list; each one's definition is SQL, in
# dbt's fct_queue_stints, which reads this list as var `sl_variants`).
SlVariant = Literal["negative", "ignored", "positive", "answered_only"]

# Per ISO country: its calling code and the national trunk prefix dialled before national
# numbers (NANP's is 1, most of Europe's and China's 0). Phone numbers without a country code
# are read as numbers of the center's `default_country` (E.164 normalisation in dbt).
COUNTRY_DIALING = {
    "US": ("1", "1"), "CA": ("1", "1"), "GB": ("44", "0"), "IE": ("353", "0"),
    "FR": ("33", "0"), "DE": ("49", "0"), "ES": ("34", ""), "IT": ("39", ""),
    "NL": ("31", "0"), "BE": ("32", "0"), "CH": ("41", "0"), "PT": ("351", ""),
    "BR": ("55", "0"), "MX": ("52", ""), "IN": ("91", "0"), "CN": ("86", "0"),
    "JP": ("81", "0"), "AU": ("61", "0"), "ZA": ("27", "0"), "AE": ("971", "0"),
}  # fmt: skip
# CRM objects whose custom fields (e.g. Tier__c) the config may carry into the dimensions.
CUSTOM_FIELD_OBJECTS = ("Account", "Contact", "User", "Case")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Center(_Strict):
    name: str
    timezone: str = "UTC"
    # Zone of the PBX's wall-clock times (CDR dates, queue_log table `time`); default: timezone.
    pbx_timezone: str | None = None
    short_abandon_s: int = Field(default=5, ge=0)
    # A stint with no terminal event becomes `unknown` this long before the newest event.
    in_queue_horizon_s: int = Field(default=4 * 3600, gt=0)
    # Caller numbers of test calls, as the PBX logs them: kept, flagged, excluded from KPIs.
    test_numbers: list[str] = []
    # ISO country of national phone numbers (E.164 normalisation of callers and CRM phones).
    default_country: str = "US"
    # A call followed by another call of the same customer within this many days is a repeat.
    repeat_window_days: int = Field(default=7, gt=0)
    # Pause reasons that are after-call work (wrap-up) when the pause starts within 10 s
    # after one of the agent's calls ends (metric contract, agent KPIs).
    acw_pause_reasons: list[str] = Field(default=["ACW", "Wrapup"], min_length=1)

    @property
    def export_timezone(self) -> str:
        return self.pbx_timezone or self.timezone

    @field_validator("timezone", "pbx_timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {value!r}") from error
        return value

    @field_validator("default_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if value not in COUNTRY_DIALING:
            raise ValueError(
                f"unknown country {value!r} (known: {', '.join(sorted(COUNTRY_DIALING))})"
            )
        return value


class Crm(_Strict):
    """What the center's CRM export carries beyond the standard fields."""

    # Per object, custom field API names (finance: Risk_Level__c, education: Course_Stage__c,
    # e-commerce: Member_Level__c) that become columns of that object's dimension.
    custom_fields: dict[Literal[CUSTOM_FIELD_OBJECTS], list[str]] = {}  # type: ignore[valid-type]
    # Case contact types shown by name in the contact-type mix; the rest are grouped as Other.
    contact_type_top_n: int = Field(default=8, gt=0)

    @field_validator("custom_fields")
    @classmethod
    def _api_names(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for crm_object, names in value.items():
            for name in names:
                if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
                    raise ValueError(f"{crm_object}: {name!r} is not a Salesforce field API name")
        return value


class Outbound(_Strict):
    """How outbound calls show in the CDR and count in the funnel (metric contract)."""

    # CDR dcontext(s) of the agents' outbound dials: an attempt is a CDR row from an agent
    # extension to an external number through one of them.
    dial_contexts: list[str] = Field(default=["from-internal"], min_length=1)
    # CRM Task CallDisposition values that count as intent (interest shown).
    intent_dispositions: list[str] = ["Interested", "Callback Requested", "Sale"]
    # A won Opportunity converts a connected call when it closes within this many days.
    attribution_days: int = Field(default=30, gt=0)


class Trunk(_Strict):
    trunk_id: str  # as in the CDR channel name: PJSIP/<trunk_id>-<sequence>
    capacity: int = Field(gt=0)  # simultaneous calls the trunk carries


class Costs(_Strict):
    """Cost per call = (agent hourly cost x logged hours + line cost x billed minutes) /
    handled calls (metric contract, lines and cost)."""

    agent_hourly_cost: float = Field(default=0, ge=0)
    line_cost_per_minute: float = Field(default=0, ge=0)


RawSourceName = Literal["queue_log", "cdr", "crm", "survey"]


class Freshness(_Strict):
    """How far behind each source's newest event may lag (a stale source blocks the publish)."""

    # `data`: behind the newest PBX event (queue_log or CDR: a source that stopped while the
    # PBX kept logging); `clock`: behind the build's time (a live center).
    reference: Literal["data", "clock"] = "data"
    max_lag_hours: dict[RawSourceName, float] = {}


class Quality(_Strict):
    """Data-quality thresholds of the checks that are not the metric contract's identities."""

    # A day's offered volume beyond this share outside the same weekday's range over the
    # previous four weeks is an anomaly (a warning).
    volume_anomaly_tolerance: float = Field(default=0.5, gt=0)
    freshness: Freshness = Freshness()
    # A load that changes a day already loaded, more than this many days after it ended,
    # is a late arrival (reported).
    late_arrival_grace_days: int = Field(default=1, ge=0)


# KPIs a scorecard can target: higher is better, except AHT.
ScorecardKpi = Literal[
    "fcr_rate", "csat", "aht_seconds", "dials_per_day", "connect_rate", "conversion_rate"
]


class ScorecardRole(_Strict):
    """Targets and weights of one role (the teams doing one kind of work)."""

    role: str
    teams: list[str] = Field(min_length=1)
    targets: dict[ScorecardKpi, float] = Field(min_length=1)
    weights: dict[ScorecardKpi, float] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights_of_targets(self) -> ScorecardRole:
        if set(self.weights) != set(self.targets) or any(w <= 0 for w in self.weights.values()):
            raise ValueError(f"role {self.role}: give each target KPI one positive weight")
        if any(t <= 0 for t in self.targets.values()):
            raise ValueError(f"role {self.role}: targets must be positive")
        return self


class Scorecard(_Strict):
    roles: list[ScorecardRole] = []
    # Attainment above this share of target stops adding to the score (e.g. 1.2 = 120 %).
    attainment_cap: float = Field(default=1.2, gt=0)


class Queue(_Strict):
    queue_id: str
    sl_threshold_s: int = Field(default=20, ge=0)
    sl_variant: SlVariant = "negative"


class TeamMove(_Strict):
    """An agent's move to another team, effective from the local day `on`."""

    on: dt.date
    team: str

    @model_validator(mode="before")
    @classmethod
    def _yaml_on_key(cls, value: object) -> object:
        # YAML 1.1 (PyYAML) reads a bare `on:` key as the boolean true.
        if isinstance(value, dict) and True in value:
            value = {("on" if key is True else key): v for key, v in value.items()}
        return value


class StaffMember(_Strict):
    """A simulated agent as the CRM and the shift plan know them (inbound or outbound)."""

    agent_id: str
    # The agent's team and site (CRM User Department and Division).
    team: str = "Team"
    site: str = "Site"
    # Hire date (CRM User CreatedDate); two years before the first simulated day if unset.
    hired: dt.date | None = None
    # Team changes, oldest first: a new CRM User version from the local day `on`.
    moves: list[TeamMove] = []
    # Local hours of the agent's shift (e.g. [8, 16.5]); the center's opening hours if unset.
    shift: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _shift_is_a_day_span(self) -> StaffMember:
        if self.shift is not None and not 0 <= self.shift[0] < self.shift[1] <= 24:
            raise ValueError(f"agent {self.agent_id}: shift {list(self.shift)} is not [start, end]")
        return self

    @model_validator(mode="after")
    def _moves_in_order(self) -> StaffMember:
        days = [move.on for move in self.moves]
        if days != sorted(set(days)) or (self.hired and days and days[0] <= self.hired):
            raise ValueError(
                f"agent {self.agent_id}: moves must be on distinct days after the hire date,"
                " oldest first"
            )
        return self

    def hire_date(self, first_day: dt.date) -> dt.date:
        """`hired`, or two years before the first simulated day."""
        return self.hired or first_day.replace(year=first_day.year - 2)


class SimulatedAgent(StaffMember):
    """An inbound agent: answers the queues it is skilled for."""

    queues: list[str] = Field(min_length=1)
    # Share of offered calls the agent lets ring out (RONA): Asterisk logs RINGNOANSWER,
    # auto-pauses the agent and rings the next one.
    rona_share: float = Field(default=0.02, ge=0, le=1)
    # Logs the wrap-up as a pause (reason: center.acw_pause_reasons[0]) instead of not at all.
    acw_pause: bool = False
    # Seconds of wrap-up (after-call work) after each call: uniform in [min, max].
    wrap_up_s: tuple[int, int] = (5, 40)
    # Multiplies the agent's talk times (at least 10 s still): below 1, a quicker agent.
    talk_factor: float = Field(default=1.0, gt=0)
    # Multiplies the length of the agent's lunch and break.
    pause_factor: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _wrap_up_is_a_range(self) -> SimulatedAgent:
        if not 0 <= self.wrap_up_s[0] <= self.wrap_up_s[1]:
            raise ValueError(
                f"agent {self.agent_id}: wrap_up_s {list(self.wrap_up_s)} is not [min, max]"
            )
        return self


class OutboundAgent(StaffMember):
    """A telesales agent: logs in to the PBX's `outbound` queue (no inbound calls) and dials
    the numbers of one campaign, one call at a time."""

    campaign: str  # a campaign's accountcode
    # Share of intent calls (an Opportunity) the agent wins: the agent's selling skill.
    win_share: float = Field(default=0.5, ge=0, le=1)


class Campaign(_Strict):
    """An outbound campaign: the CDR accountcode of its dials and a CRM Campaign named so."""

    accountcode: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    # Opportunity amounts of the campaign's intent calls: uniform in [low, high].
    amount: tuple[int, int] = (200, 2000)

    @model_validator(mode="after")
    def _amount_is_a_range(self) -> Campaign:
        if not 0 < self.amount[0] <= self.amount[1]:
            raise ValueError(
                f"campaign {self.accountcode}: amount {list(self.amount)} is not a range"
            )
        return self


class Telesales(_Strict):
    """Outbound telesales of the simulated center (weekdays only)."""

    campaigns: list[Campaign] = Field(min_length=1)
    agents: list[OutboundAgent] = Field(min_length=1)
    # Share of dials to CRM contacts' numbers; the rest go to numbers the CRM does not know.
    contact_share: float = Field(default=0.8, ge=0, le=1)
    # Share of dials a person answers, by local hour (linear between the hours given, flat
    # beyond the first and the last): low early in the morning, highest late in the afternoon.
    human_answer_share: dict[int, float] = {8: 0.3, 11: 0.4, 14: 0.45, 17: 0.6, 20: 0.55}
    # Of the dials no person answers: shares answered by a machine (voicemail), answered and
    # dropped at once (billsec 0), and busy; the others ring out (NO ANSWER).
    machine_share: float = Field(default=0.25, ge=0, le=1)
    dropped_share: float = Field(default=0.05, ge=0, le=1)
    busy_share: float = Field(default=0.12, ge=0, le=1)

    @field_validator("human_answer_share")
    @classmethod
    def _hours_and_shares(cls, value: dict[int, float]) -> dict[int, float]:
        if not value or any(not 0 <= h <= 24 or not 0 <= s <= 1 for h, s in value.items()):
            raise ValueError("needs local hours 0-24 with shares 0-1")
        return value

    @model_validator(mode="after")
    def _agents_work_known_campaigns(self) -> Telesales:
        codes = {c.accountcode for c in self.campaigns}
        for agent in self.agents:
            if agent.campaign not in codes:
                raise ValueError(
                    f"agent {agent.agent_id}: campaign {agent.campaign!r} is not a simulated"
                    f" campaign ({', '.join(sorted(codes))})"
                )
        return self


class TrunkRouting(_Strict):
    """How the simulated PBX spreads calls over the center's `trunks`."""

    # Inbound callers arrive on the first trunk of this order with a free channel.
    inbound_order: list[str] = []
    # Dials take a trunk with a free channel at random, by these weights (default: equal).
    dial_weights: dict[str, float] = {}
    # Share of dials the trunk (its carrier) fails: FAILED or CONGESTION (default 0.02).
    failure_shares: dict[str, float] = {}

    @field_validator("dial_weights", "failure_shares")
    @classmethod
    def _shares(cls, value: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= share <= 1 for share in value.values()):
            raise ValueError("shares and weights are between 0 and 1")
        return value


class QueueTraffic(_Strict):
    queue_id: str
    peak_calls_per_hour: float = Field(gt=0)
    mean_talk_s: float = Field(gt=0)
    mean_patience_s: float = Field(gt=0)
    timeout_s: int = Field(gt=0)
    # Share of callers who, when their patience runs out, press a key instead of hanging up.
    exit_key_share: float = Field(default=0, ge=0, le=1)
    # Shares of answered calls transferred to the queue `transfer_to`, blind and attended.
    transfer_to: str | None = None
    transfer_share: float = Field(default=0, ge=0, le=1)
    attended_transfer_share: float = Field(default=0, ge=0, le=1)


class Faults(_Strict):
    """Rates (per line) of the faults the simulator injects into its queue_log and CDR
    (swaps only in the queue_log), and the share of callers with a Chinese name written in
    GBK in the CDR (as Chinese deployments do)."""

    duplicate_rate: float = Field(default=0, ge=0, le=1)
    malformed_rate: float = Field(default=0, ge=0, le=1)
    swap_rate: float = Field(default=0, ge=0, le=1)
    gbk_name_share: float = Field(default=0, ge=0, le=1)


class Customers(_Strict):
    """Who calls the simulated center and what its CRM and survey exports say about them.

    Every fresh caller is a new customer; a share is a CRM contact (some with a second, mobile
    number), a few withhold their number. An answered call is resolved or not; either way the
    customer may call again 1 hour to 6 days later (the repeat-call and FCR truth)."""

    # Share of customers who are CRM contacts, and of those who have a mobile number too.
    crm_share: float = Field(default=0.7, ge=0, le=1)
    mobile_share: float = Field(default=0.3, ge=0, le=1)
    # Share of fresh callers who withhold their number (logged `anonymous`; not customers).
    withheld_share: float = Field(default=0.02, ge=0, le=1)
    # Share of calls answered to the end (the last queue stint) that resolve the issue.
    resolve_share: float = Field(default=0.8, ge=0, le=1)
    # Chance that the customer calls again after an unresolved or a resolved call.
    repeat_unresolved_share: float = Field(default=0.6, ge=0, le=1)
    repeat_resolved_share: float = Field(default=0.05, ge=0, le=1)
    # Share of answered customer calls with a post-call survey response.
    survey_share: float = Field(default=0.25, ge=0, le=1)
    # Rate per response of each survey fault: a score off its scale, a call no one made.
    bad_survey_rate: float = Field(default=0.01, ge=0, le=1)
    # Share of CRM cases of type Complaint.
    complaint_share: float = Field(default=0.02, ge=0, le=1)
    # CRM cases opened by e-mail, web, chat or social media per weekday (weekend_factor at
    # weekends).
    other_channel_cases_per_day: int = Field(default=40, ge=0)


class Simulation(_Strict):
    seed: int
    day: dt.date  # the first simulated day
    days: int = Field(default=1, ge=1)
    # Arrival volume on Saturdays and Sundays, as a share of a weekday's.
    weekend_factor: float = Field(default=1, ge=0)
    test_calls_per_day: int = Field(default=0, ge=0)
    # Share of callers who gave up (abandon, timeout, key) and call the same queue again later.
    retry_share: float = Field(default=0, ge=0, le=1)
    customers: Customers = Customers()
    faults: Faults = Faults()
    open_hour: int = Field(ge=0, le=23)
    close_hour: int = Field(ge=1, le=24)
    agents: list[SimulatedAgent] = Field(min_length=1)
    queue_traffic: list[QueueTraffic] = Field(min_length=1)
    # Telesales agents and their campaigns; none when unset.
    outbound: Telesales | None = None
    trunk_routing: TrunkRouting = TrunkRouting()

    @model_validator(mode="after")
    def _transfers_reach_simulated_queues(self) -> Simulation:
        queues = {q.queue_id for q in self.queue_traffic}
        for traffic in self.queue_traffic:
            if traffic.transfer_to is not None and traffic.transfer_to not in queues:
                raise ValueError(
                    f"queue_traffic {traffic.queue_id}: transfer_to {traffic.transfer_to!r} "
                    f"is not a simulated queue ({', '.join(sorted(queues))})"
                )
        return self

    @model_validator(mode="after")
    def _agents_hired_before_the_first_day(self) -> Simulation:
        for agent in self.staff:
            if agent.hire_date(self.day) > self.day:
                raise ValueError(f"agent {agent.agent_id}: hired after the first simulated day")
        return self

    @model_validator(mode="after")
    def _one_agent_per_id(self) -> Simulation:
        ids = Counter(agent.agent_id for agent in self.staff)
        twice = sorted(agent_id for agent_id, count in ids.items() if count > 1)
        if twice:
            raise ValueError(f"agent ids used twice: {', '.join(twice)}")
        return self

    @property
    def staff(self) -> list[StaffMember]:
        """Every simulated agent: inbound, then outbound."""
        return [*self.agents, *(self.outbound.agents if self.outbound else [])]


class CenterConfig(_Strict):
    center: Center
    queues: list[Queue] = []
    crm: Crm = Crm()
    outbound: Outbound = Outbound()
    trunks: list[Trunk] = []
    costs: Costs = Costs()
    scorecard: Scorecard = Scorecard()
    quality: Quality = Quality()
    simulation: Simulation | None = None

    @model_validator(mode="after")
    def _test_calls_need_test_numbers(self) -> CenterConfig:
        if self.simulation and self.simulation.test_calls_per_day and not self.center.test_numbers:
            raise ValueError("simulation.test_calls_per_day needs center.test_numbers to call from")
        return self

    @model_validator(mode="after")
    def _routing_names_configured_trunks(self) -> CenterConfig:
        if self.simulation is None:
            return self
        routing = self.simulation.trunk_routing
        named = {*routing.inbound_order, *routing.dial_weights, *routing.failure_shares}
        unknown = sorted(named - {t.trunk_id for t in self.trunks})
        if unknown:
            raise ValueError(
                f"simulation.trunk_routing names trunks not in `trunks`: {', '.join(unknown)}"
            )
        return self

    def queue(self, queue_id: str) -> Queue:
        """The queue's settings, or the contract defaults for a queue the config omits."""
        return next((q for q in self.queues if q.queue_id == queue_id), Queue(queue_id=queue_id))

    def dbt_vars(self) -> dict[str, object]:
        """Every var the dbt project reads (dbt_project.yml lists them, with no values)."""
        unlisted_queue = Queue(queue_id="")  # the settings of a queue the config omits
        return {
            "timezone": self.center.timezone,
            "pbx_timezone": self.center.export_timezone,
            "short_abandon_s": self.center.short_abandon_s,
            "in_queue_horizon_s": self.center.in_queue_horizon_s,
            "test_numbers": self.center.test_numbers,
            "sl_variants": list(get_args(SlVariant)),
            "default_sl_threshold_s": unlisted_queue.sl_threshold_s,
            "default_sl_variant": unlisted_queue.sl_variant,
            "queues": [q.model_dump() for q in self.queues],
            "phone_country_code": COUNTRY_DIALING[self.center.default_country][0],
            "phone_trunk_prefix": COUNTRY_DIALING[self.center.default_country][1],
            "repeat_window_days": self.center.repeat_window_days,
            "acw_pause_reasons": self.center.acw_pause_reasons,
            "crm_custom_fields": self.crm.custom_fields,
            "contact_type_top_n": self.crm.contact_type_top_n,
            "outbound_dial_contexts": self.outbound.dial_contexts,
            "intent_dispositions": self.outbound.intent_dispositions,
            "attribution_days": self.outbound.attribution_days,
            "trunks": [t.model_dump() for t in self.trunks],
            "agent_hourly_cost": self.costs.agent_hourly_cost,
            "line_cost_per_minute": self.costs.line_cost_per_minute,
            "scorecard_targets": [
                {
                    "role": r.role,
                    "team_name": team,
                    "kpi": kpi,
                    "target": target,
                    "weight": r.weights[kpi],
                }
                for r in self.scorecard.roles
                for team in r.teams
                for kpi, target in r.targets.items()
            ],  # fmt: skip
            "attainment_cap": self.scorecard.attainment_cap,
            "volume_anomaly_tolerance": self.quality.volume_anomaly_tolerance,
            "freshness_reference": self.quality.freshness.reference,
            "freshness_max_lag_hours": self.quality.freshness.max_lag_hours,
            "late_arrival_grace_days": self.quality.late_arrival_grace_days,
        }


def default_dbt_vars() -> dict[str, object]:
    """The dbt vars of a center that configures nothing: the schema's defaults (dbt parses
    with them; dbt_project.yml keeps no second copy)."""
    return CenterConfig(center=Center(name="defaults")).dbt_vars()


class CenterConfigError(ValueError):
    """The center config file is missing, not YAML, or does not validate."""


def load_center_config(path: Path) -> CenterConfig:
    """Reads and validates a center config; errors say which file and which key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CenterConfigError(f"{path}: cannot read center config ({error})") from error
    except yaml.YAMLError as error:
        raise CenterConfigError(f"{path}: not valid YAML ({error})") from error
    try:
        return CenterConfig.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in error.errors()
        )
        raise CenterConfigError(f"{path}: {problems}") from error


if __name__ == "__main__":
    # `make manifest`: dbt parse --vars "$(python -m orchestration.center_config)"
    print(json.dumps(default_dbt_vars()))
