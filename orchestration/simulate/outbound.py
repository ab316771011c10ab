"""Outbound telesales and the SIP trunks of the simulated center, seeded apart from the inbound
simulation (its truth does not change) and run after it over the same days.

Telesales agents (`simulation.outbound.agents`) work weekdays only: they log in to the PBX's
`outbound` queue a few minutes before their shift (queue_log ADDMEMBER; they take no inbound
calls), pause for lunch, and dial their campaign's numbers one call at a time (mostly CRM
contacts' numbers, some numbers the CRM does not know) until their shift ends (REMOVEMEMBER
after the last call's wrap-up). A dial takes a trunk, then:

- the trunk's carrier fails it (`failure_shares`: FAILED, or CONGESTION, 1-4 s; the CDR's
  dstchannel still names the trunk, whose channel was created);
- or a person answers (by local hour: `human_answer_share`), talks for as long as the CRM
  disposition needs (ANSWERED, billsec > 0: a connect, with a CRM Task);
- or no person does: a voicemail answers (ANSWERED, short billsec, CDR userfield
  `AMD=MACHINE`), the callee picks up and drops at once (ANSWERED, billsec 0), the line is
  BUSY, or it rings out (NO ANSWER).

A connect whose disposition is an intent (`outbound.intent_dispositions`) opens an
Opportunity of the agent's campaign, won with the agent's `win_share` or lost, closed 0-40
days after the call; one closing after the last simulated day is still open (Prospecting or
Negotiation, not won) in the CRM export taken at the end of the period.

Trunks: every call that occupies a trunk is routed in one sweep over time, so that a trunk's
concurrent calls are known at each moment. An inbound caller arrives on the first trunk of
`trunk_routing.inbound_order` with a free channel (its call, transfers included, stays on it;
with every trunk full it takes the least loaded one, over capacity: the demo never gets
there); a dial takes a trunk with a free channel at random by `dial_weights`, and when every
channel is busy the PBX answers CONGESTION with no trunk. A call occupies its trunk over
[start, end), so a call ending when another starts does not overlap it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from orchestration.lib.center_config import CenterConfig, Trunk
from orchestration.simulate.config import OutboundAgent, Simulation, Telesales
from orchestration.simulate.inbound import Customer, QueueLogLine, SimulatedCenter, local_epoch
from orchestration.simulate.states import AgentState, StateRecorder

OUTBOUND_QUEUE = "outbound"  # the PBX queue telesales agents log in to (no calls enter it)
MACHINE_USERFIELD = "AMD=MACHINE"  # what answering-machine detection writes in the CDR
# Uniqueid sequences of dials start here: one PBX numbers all its channels, and the inbound
# simulation's never get this far.
DIAL_SEQUENCE_BASE = 1_000_000
# CRM call dispositions of a connect, their weights and mean talk seconds.
CALL_DISPOSITIONS = {
    "Not Interested": (45, 60),
    "Interested": (16, 240),
    "Callback Requested": (12, 150),
    "Sale": (7, 480),
    "Wrong Number": (10, 20),
    "Do Not Call": (10, 30),
}
RING_SECONDS = (4, 25)  # until a person, a machine or a drop answers
NO_ANSWER_SECONDS = (25, 35)  # the dial timeout
BUSY_SECONDS = (2, 6)
FAILED_SECONDS = (1, 4)  # FAILED or CONGESTION from the carrier
MACHINE_BILLSEC = (3, 25)  # detected, maybe a voicemail left
CONNECT_WRAP_UP_SECONDS = (20, 90)  # the Task logged after a connect
WRAP_UP_SECONDS = (5, 30)  # after any other dial: notes, the next record
FIRST_DIAL_SECONDS = (60, 300)  # from login to the first dial
LUNCH_SECONDS = 30 * 60
CLOSE_DELAY_DAYS = (0, 40)  # from a call to its opportunity's close
OPEN_STAGES = {"Sale": "Negotiation"}  # an open opportunity's stage; Prospecting otherwise
DEFAULT_FAILURE_SHARE = 0.02
DEFAULT_TRUNKS = ("trunk-a", "trunk-b", "trunk-c")  # when the config lists no trunks
UNLIMITED = 10**6
AREA_CODES = ("212", "305", "312", "404", "415", "512", "617", "720")  # numbers the CRM lacks
FIRST_NAMES = ("Alex", "Brooke", "Carmen", "Devon", "Elena", "Frank", "Gina", "Hassan")
LAST_NAMES = ("Moreau", "Novak", "Okafor", "Park", "Quinn", "Reyes", "Sato", "Tanaka")


@dataclass(frozen=True)
class OutboundAttempt:
    """What really happened to one dial (one CDR row), through the funnel; the truth file's
    row (outbound_attempts.csv)."""

    uniqueid: str
    agent_id: str  # the extension (queue_log interface PJSIP/<agent_id>)
    campaign: str  # the CDR accountcode
    trunk: str | None  # None: every trunk was full (CONGESTION)
    start_epoch: int
    answer_epoch: int | None
    end_epoch: int
    disposition: str  # as in the CDR
    billsec: int
    is_machine: bool
    is_connect: bool  # a person answered: ANSWERED with billsec > 0, not a machine
    disposition_crm: str | None  # the Task's CallDisposition (connects only)
    is_intent: bool
    opportunity_id: str | None
    is_won: bool  # as the export at the end of the period says
    amount: int | None  # the opportunity's
    close_date: dt.date | None  # None while the opportunity is open
    is_converted: bool  # won, closed within attribution_days after local_date
    local_date: dt.date  # center-local date of the dial


@dataclass(frozen=True)
class Opportunity:
    """An intent call's opportunity as the CRM export shows it."""

    opportunity_id: str
    stage: str  # Closed Won | Closed Lost | Prospecting | Negotiation
    amount: int
    close_date: dt.date  # the expected one while open
    created_epoch: int
    modified_epoch: int


@dataclass(frozen=True)
class OutboundCall:
    """A dial with what the CDR and the CRM need beyond its truth."""

    attempt: OutboundAttempt
    number: str  # the dialled 10 digits
    customer: Customer | None  # the CRM contact whose number it is
    opportunity: Opportunity | None


@dataclass(frozen=True)
class TrunkCall:
    """A CDR line occupying a trunk over [start, end) (trunk_calls.csv): an inbound caller
    leg (a transferred call has one per queue, end to end) or a dial."""

    trunk: str
    direction: str  # inbound | outbound
    uniqueid: str
    start_epoch: int
    end_epoch: int
    disposition: str


@dataclass
class SimulatedOutbound:
    calls: list[OutboundCall] = field(default_factory=list)
    lines: list[QueueLogLine] = field(default_factory=list)  # logins, lunch pauses
    states: list[AgentState] = field(default_factory=list)  # by agent and time
    trunk_calls: list[TrunkCall] = field(default_factory=list)
    inbound_trunks: dict[str, str] = field(default_factory=dict)  # caller's uniqueid -> trunk
    agent_names: dict[str, str] = field(default_factory=dict)  # agent id -> CRM User Name
    campaign_ids: dict[str, str] = field(default_factory=dict)  # accountcode -> Campaign Id
    dial_context: str = "from-internal"  # CDR dcontext of the dials

    @property
    def attempts(self) -> list[OutboundAttempt]:
        return [call.attempt for call in self.calls]


def simulate_outbound(config: CenterConfig, inbound: SimulatedCenter) -> SimulatedOutbound:
    """The period's dials and logins, and the trunk of every call (the inbound ones too)."""
    if config.simulation is None:
        raise ValueError("the center config has no `simulation` section")
    return _Dialer(config, config.simulation, inbound).run()


@dataclass
class _Agent:
    config: OutboundAgent
    index: int
    interface: str
    states: StateRecorder
    shift_end: int = 0
    lunch_at: int = 0
    has_lunched: bool = False


class _Dialer:
    def __init__(self, config: CenterConfig, sim: Simulation, inbound: SimulatedCenter) -> None:
        self.config, self.sim, self.inbound = config, sim, inbound
        self.rng = random.Random(sim.seed + 11)
        self.zone = ZoneInfo(config.center.timezone)
        self.out = SimulatedOutbound(dial_context=config.outbound.dial_contexts[0])
        trunks = config.trunks or [Trunk(trunk_id=t, capacity=UNLIMITED) for t in DEFAULT_TRUNKS]
        self.capacity = {t.trunk_id: t.capacity for t in trunks}
        routing = sim.trunk_routing
        self.inbound_order = routing.inbound_order or list(self.capacity)
        self.dial_weights = {t: routing.dial_weights.get(t, 1.0) for t in self.capacity}
        self.failure_shares = {
            t: routing.failure_shares.get(t, DEFAULT_FAILURE_SHARE) for t in self.capacity
        }
        self.busy_until: dict[str, list[int]] = {t: [] for t in self.capacity}  # end heaps
        self.events: list[tuple[int, int, int, str, object]] = []
        self.sequence = 0
        self.contacts = sorted(
            {c.customer for c in inbound.calls if c.customer and c.customer.is_crm_contact},
            key=lambda customer: customer.number,
        )
        last_day = sim.day + dt.timedelta(days=sim.days - 1)
        self.last_day = last_day
        self.export_epoch = self._local_epoch(last_day + dt.timedelta(days=1), 0)
        self.opportunity_count = 0

    @property
    def telesales(self) -> Telesales:
        assert self.sim.outbound is not None, "only agents of simulation.outbound dial"
        return self.sim.outbound

    def run(self) -> SimulatedOutbound:
        for call_id, start, end in _inbound_spans(self.inbound):
            self._at(start, 0, "inbound", (call_id, end))
        outbound = self.sim.outbound
        agents = [
            _Agent(a, index, f"PJSIP/{a.agent_id}", StateRecorder(a.agent_id))
            for index, a in enumerate(outbound.agents if outbound else [])
        ]
        if outbound is not None:
            self.out.campaign_ids = {
                c.accountcode: f"701SIM{index:09d}"
                for index, c in enumerate(outbound.campaigns, start=1)
            }
            for agent in agents:
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                self.out.agent_names[agent.config.agent_id] = f"{first} {last}"
            for offset in range(self.sim.days):
                day = self.sim.day + dt.timedelta(days=offset)
                if day.weekday() < 5:
                    for agent in agents:
                        self._plan_agent_day(agent, day)
        while self.events:
            when, _, _, kind, payload = heapq.heappop(self.events)
            self._expire(when)
            getattr(self, f"_on_{kind}")(when, payload)
        self.out.states = [span for agent in agents for span in agent.states.spans]
        self._inbound_trunk_calls()
        self.out.lines.sort(key=lambda line: line.epoch)
        self.out.trunk_calls.sort(key=lambda c: (c.start_epoch, c.uniqueid))
        return self.out

    # ---------- scheduling
    def _at(self, when: int, priority: int, kind: str, payload: object) -> None:
        """Inbound arrivals (priority 0) take a trunk before a dial of the same second."""
        self.sequence += 1
        heapq.heappush(self.events, (when, priority, self.sequence, kind, payload))

    def _log(self, when: int, agent: _Agent, event: str, *data: str) -> None:
        self.out.lines.append(
            QueueLogLine(when, "NONE", OUTBOUND_QUEUE, agent.interface, event, data)
        )

    def _local_epoch(self, day: dt.date, hour: float) -> int:
        return local_epoch(dt.datetime.combine(day, dt.time(), tzinfo=self.zone), hour)

    def _plan_agent_day(self, agent: _Agent, day: dt.date) -> None:
        start_hour, end_hour = agent.config.shift or (self.sim.open_hour, self.sim.close_hour)
        start, end = self._local_epoch(day, start_hour), self._local_epoch(day, end_hour)
        lunch = start + int(0.45 * (end - start)) + (agent.index % 2) * 1800
        self._at(start - 300 + agent.index * 7, 1, "login", (agent, end, lunch))

    # ---------- trunks
    def _expire(self, when: int) -> None:
        for ends in self.busy_until.values():
            while ends and ends[0] <= when:
                heapq.heappop(ends)

    def _free_trunks(self) -> list[str]:
        return [t for t, ends in self.busy_until.items() if len(ends) < self.capacity[t]]

    def _occupy(self, trunk: str, end: int) -> None:
        heapq.heappush(self.busy_until[trunk], end)

    # ---------- event handlers
    def _on_inbound(self, when: int, payload: tuple[str, int]) -> None:
        call_id, end = payload
        free = set(self._free_trunks())
        trunk = next((t for t in self.inbound_order if t in free), None)
        if trunk is None:  # every trunk full: the least loaded one, over capacity
            trunk = min(self.inbound_order, key=lambda t: len(self.busy_until[t]))
        self.out.inbound_trunks[call_id] = trunk
        self._occupy(trunk, end)

    def _on_login(self, when: int, payload: tuple[_Agent, int, int]) -> None:
        agent, agent.shift_end, agent.lunch_at = payload
        agent.has_lunched = False
        self._log(when, agent, "ADDMEMBER", "")
        agent.states.login(when)
        self._at(when + self.rng.randint(*FIRST_DIAL_SECONDS), 1, "next", agent)

    def _on_unpause(self, when: int, agent: _Agent) -> None:
        self._log(when, agent, "UNPAUSE", "")
        agent.states.enter(when, "idle")
        self._on_next(when, agent)

    def _on_next(self, when: int, agent: _Agent) -> None:
        """The agent is free: logs out after the shift, takes lunch when due, else dials.
        It logs out only here, never while paused: every PAUSE gets its UNPAUSE."""
        if when >= agent.shift_end:
            self._log(when, agent, "REMOVEMEMBER", "")
            agent.states.logout(when)
        elif when >= agent.lunch_at and not agent.has_lunched:
            agent.has_lunched = True
            self._log(when, agent, "PAUSE", "Lunch")
            agent.states.enter(when, "paused", "Lunch")
            self._at(when + LUNCH_SECONDS, 1, "unpause", agent)
        else:
            call = self._dial(when, agent)
            self.out.calls.append(call)
            self._record_dial(agent, call.attempt)
            wrap_up = CONNECT_WRAP_UP_SECONDS if call.attempt.is_connect else WRAP_UP_SECONDS
            self._at(call.attempt.end_epoch + self.rng.randint(*wrap_up), 1, "next", agent)

    # ---------- a dial
    def _record_dial(self, agent: _Agent, dial: OutboundAttempt) -> None:
        """Ringing from the dial to its answer (or its end, unanswered), talking to its end,
        then idle through the unlogged wrap-up."""
        agent.states.enter(dial.start_epoch, "ringing")
        if dial.answer_epoch is not None:
            agent.states.enter(dial.answer_epoch, "talking")
        agent.states.enter(dial.end_epoch, "idle")

    def _dial(self, when: int, agent: _Agent) -> OutboundCall:
        uniqueid = f"{when}.{DIAL_SEQUENCE_BASE + len(self.out.calls)}"
        customer = None
        if self.contacts and self.rng.random() < self.telesales.contact_share:
            customer = self.rng.choice(self.contacts)
            number = customer.phone
        else:
            number = f"{self.rng.choice(AREA_CODES)}{self.rng.randrange(200, 1000)}"
            number += f"{self.rng.randrange(10000):04d}"
        free = self._free_trunks()
        trunk = self.rng.choices(free, [self.dial_weights[t] for t in free])[0] if free else None
        disposition, answer, end, is_machine, crm = self._outcome(when, trunk)
        if trunk is not None:
            self._occupy(trunk, end)
            self.out.trunk_calls.append(
                TrunkCall(trunk, "outbound", uniqueid, when, end, disposition)
            )
        local_date = dt.datetime.fromtimestamp(when, self.zone).date()
        is_intent = crm in self.config.outbound.intent_dispositions
        opportunity = self._opportunity(agent, end, local_date, crm) if is_intent else None
        is_won = opportunity is not None and opportunity.stage == "Closed Won"
        closed = opportunity is not None and opportunity.stage.startswith("Closed")
        close_date = opportunity.close_date if opportunity and closed else None
        window = dt.timedelta(days=self.config.outbound.attribution_days)
        attempt = OutboundAttempt(
            uniqueid=uniqueid,
            agent_id=agent.config.agent_id,
            campaign=agent.config.campaign,
            trunk=trunk,
            start_epoch=when,
            answer_epoch=answer,
            end_epoch=end,
            disposition=disposition,
            billsec=end - answer if answer is not None else 0,
            is_machine=is_machine,
            is_connect=crm is not None,
            disposition_crm=crm,
            is_intent=is_intent,
            opportunity_id=opportunity.opportunity_id if opportunity else None,
            is_won=is_won,
            amount=opportunity.amount if opportunity else None,
            close_date=close_date,
            is_converted=is_won and close_date is not None and close_date <= local_date + window,
            local_date=local_date,
        )
        return OutboundCall(attempt, number, customer, opportunity)

    def _outcome(
        self, when: int, trunk: str | None
    ) -> tuple[str, int | None, int, bool, str | None]:
        """Disposition, answer and end epochs, machine or not, and a connect's CRM
        disposition (None: no person talked)."""
        outbound = self.telesales
        if trunk is None or self.rng.random() < self.failure_shares[trunk]:
            failed = trunk is not None and self.rng.random() < 0.6
            end = when + self.rng.randint(*FAILED_SECONDS)
            return ("FAILED" if failed else "CONGESTION"), None, end, False, None
        local = dt.datetime.fromtimestamp(when, self.zone)  # the wall clock, DST or not
        hour = local.hour + local.minute / 60
        if self.rng.random() < _interpolated(outbound.human_answer_share, hour):
            crm = self._weighted({d: w for d, (w, _) in CALL_DISPOSITIONS.items()})
            answer = when + self.rng.randint(*RING_SECONDS)
            mean = CALL_DISPOSITIONS[crm][1]
            talk = max(5, round(self.rng.lognormvariate(math.log(mean) - 0.08, 0.4)))
            return "ANSWERED", answer, answer + talk, False, crm
        draw = self.rng.random()
        if draw < outbound.machine_share:
            answer = when + self.rng.randint(*RING_SECONDS)
            return "ANSWERED", answer, answer + self.rng.randint(*MACHINE_BILLSEC), True, None
        draw -= outbound.machine_share
        if draw < outbound.dropped_share:
            answer = when + self.rng.randint(*RING_SECONDS)
            return "ANSWERED", answer, answer, False, None
        draw -= outbound.dropped_share
        if draw < outbound.busy_share:
            return "BUSY", None, when + self.rng.randint(*BUSY_SECONDS), False, None
        return "NO ANSWER", None, when + self.rng.randint(*NO_ANSWER_SECONDS), False, None

    def _weighted(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def _opportunity(
        self, agent: _Agent, ended: int, local_date: dt.date, disposition: str | None
    ) -> Opportunity:
        """Won with the agent's win_share, else lost, closing 0-40 days after the call; open
        (and not won) while the close is after the last simulated day."""
        assert disposition is not None
        self.opportunity_count += 1
        campaigns = self.telesales.campaigns
        low, high = next(c.amount for c in campaigns if c.accountcode == agent.config.campaign)
        amount = low + 10 * self.rng.randint(0, (high - low) // 10)
        is_won = self.rng.random() < agent.config.win_share
        close_date = local_date + dt.timedelta(days=self.rng.randint(*CLOSE_DELAY_DAYS))
        if close_date > self.last_day:
            stage, modified = OPEN_STAGES.get(disposition, "Prospecting"), ended
        else:
            stage = "Closed Won" if is_won else "Closed Lost"
            closed_at = self._local_epoch(close_date, self.rng.uniform(9, 17))
            modified = min(max(closed_at, ended + 300), self.export_epoch - 1)
        return Opportunity(
            f"006SIM{self.opportunity_count:09d}", stage, amount, close_date, ended, modified
        )

    # ---------- inbound legs on their trunks
    def _inbound_trunk_calls(self) -> None:
        for leg in self.inbound.legs:
            if not leg.is_consult:
                trunk = self.out.inbound_trunks[leg.uniqueid]
                self.out.trunk_calls.append(
                    TrunkCall(trunk, "inbound", leg.uniqueid, leg.start, leg.end, "ANSWERED")
                )


def _inbound_spans(inbound: SimulatedCenter) -> Iterator[tuple[str, int, int]]:
    """Per caller's call (its uniqueid), the span its caller legs occupy a trunk."""
    spans: dict[str, tuple[int, int]] = {}
    for leg in inbound.legs:
        if not leg.is_consult:
            start, end = spans.get(leg.uniqueid, (leg.start, leg.end))
            spans[leg.uniqueid] = (min(start, leg.start), max(end, leg.end))
    for call_id, (start, end) in spans.items():
        yield call_id, start, end


def _interpolated(points: dict[int, float], hour: float) -> float:
    """Linear between the given hours, flat beyond the first and the last."""
    hours = sorted(points)
    if hour <= hours[0]:
        return points[hours[0]]
    for low, high in zip(hours, hours[1:], strict=False):
        if hour <= high:
            return points[low] + (points[high] - points[low]) * (hour - low) / (high - low)
    return points[hours[-1]]
