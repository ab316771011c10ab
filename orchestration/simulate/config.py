"""The simulator's configuration: the `simulation:` section of a center config (config/*.yml).

The center's own config (orchestration/lib/center_config.py) types its optional `simulation`
section with `Simulation`, so loading a config validates both; real centers leave it out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import Field, field_validator, model_validator

from orchestration.lib.strict import Strict


class TeamMove(Strict):
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


class StaffMember(Strict):
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


class Campaign(Strict):
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


class Telesales(Strict):
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


class TrunkRouting(Strict):
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


class QueueTraffic(Strict):
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


class Faults(Strict):
    """Rates (per line) of the faults the simulator injects into its queue_log and CDR
    (swaps only in the queue_log), and the share of callers with a Chinese name written in
    GBK in the CDR (as Chinese deployments do)."""

    duplicate_rate: float = Field(default=0, ge=0, le=1)
    malformed_rate: float = Field(default=0, ge=0, le=1)
    swap_rate: float = Field(default=0, ge=0, le=1)
    gbk_name_share: float = Field(default=0, ge=0, le=1)


class Customers(Strict):
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


class Simulation(Strict):
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

    def check_fits(self, test_numbers: list[str], trunk_ids: list[str]) -> None:
        """Raises ValueError when the simulation needs what the center's config lacks: numbers
        to place test calls from, or the trunks its routing names."""
        if self.test_calls_per_day and not test_numbers:
            raise ValueError("simulation.test_calls_per_day needs center.test_numbers to call from")
        routing = self.trunk_routing
        named = {*routing.inbound_order, *routing.dial_weights, *routing.failure_shares}
        unknown = sorted(named - set(trunk_ids))
        if unknown:
            raise ValueError(
                f"simulation.trunk_routing names trunks not in `trunks`: {', '.join(unknown)}"
            )
