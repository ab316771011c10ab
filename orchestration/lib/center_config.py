"""The contact center's configuration (config/<center>.yml): load, validate, hand to dbt.

Validation errors name the file and the key path, so a typo in a 40-line YAML is found at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from orchestration.lib.strict import Strict
from orchestration.simulate.config import Simulation

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


class Center(Strict):
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
    # ISO 4217 code of the currency of costs and revenue (the `costs` section, CRM amounts):
    # Superset shows the contract's money metrics in it.
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    # Plausible event times (orchestration/lib/plausibility.py): an event before local midnight
    # starting this center-local day (a PBX clock reset to epoch 0 logs 1970) is quarantined at
    # ingest with the reason, in every source.
    data_start: dt.date = dt.date(2000, 1, 1)
    # ... and so is one more than this many hours after the load that reads it (a clock set
    # years ahead). A day: no clock drift comes near, and a PBX zone configured a few hours
    # off still loads (its events a few hours "in the future"), while 2099 does not.
    future_tolerance_hours: float = Field(default=24, gt=0)

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


class Crm(Strict):
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


class Outbound(Strict):
    """How outbound calls show in the CDR and count in the funnel (metric contract)."""

    # CDR dcontext(s) of the agents' outbound dials: an attempt is a CDR row from an agent
    # extension to an external number through one of them.
    dial_contexts: list[str] = Field(default=["from-internal"], min_length=1)
    # CRM Task CallDisposition values that count as intent (interest shown).
    intent_dispositions: list[str] = ["Interested", "Callback Requested", "Sale"]
    # A won Opportunity converts a connected call when it closes within this many days.
    attribution_days: int = Field(default=30, gt=0)


class Sharing(Strict):
    """How small a group the shared marts (product, sales readers) may show: a smaller one is
    merged into an Other row, or suppressed, so that no figure points at a person."""

    min_group_agents: int = Field(default=5, gt=0)
    min_group_calls: int = Field(default=10, gt=0)


class Trunk(Strict):
    trunk_id: str  # as in the CDR channel name: PJSIP/<trunk_id>-<sequence>
    capacity: int = Field(gt=0)  # simultaneous calls the trunk carries


class Costs(Strict):
    """Cost per call = (agent hourly cost x logged hours + line cost x billed minutes) /
    handled calls (metric contract, lines and cost)."""

    agent_hourly_cost: float = Field(default=0, ge=0)
    line_cost_per_minute: float = Field(default=0, ge=0)


RawSourceName = Literal["queue_log", "cdr", "crm", "survey"]


class Freshness(Strict):
    """How far behind each source's newest event may lag (a stale source blocks the publish)."""

    # `data`: behind the newest PBX event (queue_log or CDR: a source that stopped while the
    # PBX kept logging); `clock`: behind the build's time (a live center).
    reference: Literal["data", "clock"] = "data"
    max_lag_hours: dict[RawSourceName, float] = {}


class Quality(Strict):
    """Data-quality thresholds of the checks that are not the metric contract's identities."""

    # A day's offered volume beyond this share outside the same weekday's range over the
    # previous four weeks is an anomaly (a warning).
    volume_anomaly_tolerance: float = Field(default=0.5, gt=0)
    freshness: Freshness = Freshness()
    # A load that changes a day already loaded, more than this many days after it ended,
    # is a late arrival (reported).
    late_arrival_grace_days: int = Field(default=1, ge=0)
    # A source whose raw rows drop by more than this share between the last publish and this
    # build blocks the publish (a lost or shrunk file; rows of accepted files are left out).
    max_row_count_drop_share: float = Field(default=0.1, ge=0, le=1)


# KPIs a scorecard can target: higher is better, except AHT.
ScorecardKpi = Literal[
    "fcr_rate", "csat", "aht_seconds", "dials_per_day", "connect_rate", "conversion_rate"
]


class ScorecardRole(Strict):
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


class Scorecard(Strict):
    roles: list[ScorecardRole] = []
    # Attainment above this share of target stops adding to the score (e.g. 1.2 = 120 %).
    attainment_cap: float = Field(default=1.2, gt=0)


class Agents(Strict):
    """How queue_log lines are tied to agents and how open agent spans count (metric contract,
    agent states)."""

    # Interface -> agent id, for lines that name a member by its interface (Wazo's
    # Local/id-61@agentcallback, a SIP/1234 of an agent whose id is not 1234); the login
    # events map the rest (AGENTLOGIN's channel), the extension rule the others.
    interfaces: dict[str, str] = {}
    # Where a login or pause still open at the end of the data ends: `data` (the newest event
    # of the source) or `clock` (now: a live center).
    open_span_end: Literal["data", "clock"] = "data"
    # Whether queue membership (ADDMEMBER) alone is logged-in time; false: only agent logins
    # (AGENTLOGIN, AGENTCALLBACKLOGIN) are, and a queue's logged time is membership within them.
    membership_counts_as_login: bool = True


class Queue(Strict):
    queue_id: str
    sl_threshold_s: int = Field(default=20, ge=0)
    sl_variant: SlVariant = "negative"
    # The team (CRM Department, as agents' team_name) that owns the queue: queue KPIs roll up
    # to it, and Operations drills from it to its agents. Unset: the queue is its own team.
    team: str | None = None

    @property
    def team_name(self) -> str:
        return self.team or self.queue_id


class CenterConfig(Strict):
    center: Center
    queues: list[Queue] = []
    crm: Crm = Crm()
    outbound: Outbound = Outbound()
    trunks: list[Trunk] = []
    costs: Costs = Costs()
    scorecard: Scorecard = Scorecard()
    quality: Quality = Quality()
    agents: Agents = Agents()
    sharing: Sharing = Sharing()
    # The demo's simulated center (its schema: orchestration/simulate/config.py); real centers
    # leave it out.
    simulation: Simulation | None = None

    @model_validator(mode="after")
    def _simulation_fits_center(self) -> CenterConfig:
        if self.simulation is not None:
            self.simulation.check_fits(self.center.test_numbers, [t.trunk_id for t in self.trunks])
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
            "queues": [q.model_dump() | {"team": q.team_name} for q in self.queues],
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
            "agent_interfaces": [
                {"interface": interface, "agent_id": agent_id}
                for interface, agent_id in self.agents.interfaces.items()
            ],
            "agent_open_span_end": self.agents.open_span_end,
            "membership_counts_as_login": self.agents.membership_counts_as_login,
            "shared_min_group_agents": self.sharing.min_group_agents,
            "shared_min_group_calls": self.sharing.min_group_calls,
        }


def default_dbt_vars() -> dict[str, object]:
    """The dbt vars of a center that configures nothing: the schema's defaults (dbt parses
    with them; dbt_project.yml keeps no second copy)."""
    return CenterConfig(center=Center(name="defaults")).dbt_vars()


def _toml_value(value: object) -> str:
    """A var as TOML: JSON's strings, numbers, booleans and arrays are TOML too, tables not."""
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(key)} = {_toml_value(item)}" for key, item in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return json.dumps(value)


def sqlfluff_context_toml(dbt_vars: dict[str, object]) -> str:
    """dbt vars as sqlfluff's dbt templater context, in a pyproject.toml's form (the
    templater compiles every model, so every var needs a value)."""
    lines = ["[tool.sqlfluff.templater.dbt.context]"]
    lines += [f"{name} = {_toml_value(value)}" for name, value in dbt_vars.items()]
    return "\n".join(lines) + "\n"


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
    # `make manifest`: dbt parse --vars "$(python -m orchestration.lib.center_config)";
    # `make lint`: the same vars for sqlfluff (--sqlfluff).
    if sys.argv[1:] == ["--sqlfluff"]:
        print(sqlfluff_context_toml(default_dbt_vars()), end="")
    else:
        print(json.dumps(default_dbt_vars()))
