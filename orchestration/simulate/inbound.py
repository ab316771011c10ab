"""A seeded discrete-event simulation of an inbound contact center over one or more days.

Callers arrive per queue as a non-homogeneous Poisson process with a morning peak (fewer at
weekends), wait with a patience of their own, and are answered by the longest-idle logged-in
agent skilled for the queue. Some callers press a key to leave instead of hanging up, some
answered calls are transferred to another queue, blind (same uniqueid, a new ENTERQUEUE) or
attended (reproducing Asterisk's trap: the new ENTERQUEUE and the ATTENDEDTRANSFER line carry
the agent's consult-leg uniqueid, the rest of the call the caller's), some
callers who gave up call again later (same number, a new call), and test calls come from the
config's test numbers. Agents work staggered shifts, take a lunch pause and a break, need some
wrap-up after each call (unlogged, or logged as an ACW pause by the agents who do), and now
and then let a call ring out (RONA: RINGNOANSWER, an auto-pause, and the call rings the next
agent); each agent's talk, wrap-up and pause lengths and RONA share are its own. A member who
logged out while paused stays out: Asterisk cannot unpause a removed member, so no UNPAUSE.
Time runs in whole seconds, like queue_log, so the ground truth is exact.

Every fresh caller is a new customer (`simulation.customers`): a CRM contact or not (a contact
may have a second, mobile number), a few withhold their number (`anonymous`, never a customer).
A call answered to the end is resolved or not, and the customer may call the call's first
queue again 1 hour to 6 days later, within opening hours (a contact with a mobile sometimes
from the other number); repeats past the simulated period are dropped, as reality censors
them. A tenth of the customers' numbers are logged in E.164 (+1...).

The output is the queue_log the PBX would write, the CDR legs (simulate/cdr.py writes them),
one ground-truth row per queue entry and one per call with its customer and resolution
(simulate/crm.py and simulate/survey.py derive the CRM and survey exports from them), and
each agent's states over its logins (simulate/states.py).
simulate/center.py adds the telesales agents and routes the caller legs onto the trunks
(simulate/outbound.py), without touching what this simulation decides.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from orchestration.lib.center_config import CenterConfig
from orchestration.simulate.config import QueueTraffic, SimulatedAgent, Simulation
from orchestration.simulate.states import AgentState, StateRecorder

if TYPE_CHECKING:
    from orchestration.simulate.outbound import SimulatedOutbound

RING_SECONDS = (2, 8)  # how long the chosen agent's phone rings before the answer
RETRY_DELAY_SECONDS = (300, 3600)  # when a caller who gave up calls again
LUNCH_SECONDS = 30 * 60
BREAK_SECONDS = 10 * 60
RONA_TIMEOUT_SECONDS = 15  # the queue's member timeout: how long an unanswered phone rings
AUTO_PAUSE_SECONDS = 60  # until the agent who let a call ring out unpauses
EXIT_KEY = "1"  # the digit a caller presses to leave the queue (EXITWITHKEY)
REPEAT_DELAY_SECONDS = (3600, 6 * 86400)  # when a customer calls again after an answered call
MOBILE_REPEAT_SHARE = 0.3  # a contact with a mobile calls again from the other number
E164_SHARE = 0.1  # customers whose numbers the PBX logs as +1NXXNXXXXXX
WITHHELD = "anonymous"  # the caller field of a withheld number


@dataclass(frozen=True)
class QueueLogLine:
    epoch: int
    callid: str
    queue: str
    agent: str
    event: str
    data: tuple[str, ...] = ()

    def render(self) -> str:
        fields = [str(self.epoch), self.callid, self.queue, self.agent, self.event, *self.data]
        return "|".join(fields)


@dataclass(frozen=True)
class StintTruth:
    """What really happened to one queue entry, in the metric contract's terms."""

    call_id: str
    queue_id: str
    caller: str
    arrived_epoch: int
    wait_seconds: int
    outcome: str  # answered | abandoned | short_abandoned | timeout | exit_key
    agent: str | None
    talk_seconds: int | None
    is_transferred: bool
    is_test_call: bool


@dataclass(frozen=True)
class Customer:
    """A caller the center could recognise: by CRM contact, else by phone number."""

    number: int  # sequence: the n-th customer
    phone: str  # 10 digits
    mobile: str | None  # a CRM contact's second number
    is_crm_contact: bool
    is_e164: bool  # the PBX logs this customer's numbers as +1 and 10 digits

    def logged(self, phone: str) -> str:
        """The number as the ENTERQUEUE caller field shows it."""
        return f"+1{phone}" if self.is_e164 else phone


@dataclass(frozen=True)
class CallTruth:
    """One call (all its queue stints, by the caller's uniqueid): who called and the outcome."""

    call_id: str
    caller: str  # as logged in the first ENTERQUEUE
    customer: Customer | None  # None: a withheld number or a test call
    is_test_call: bool
    first_queue_id: str
    arrived_epoch: int
    answered_epoch: int | None  # the first answer
    agent: str | None  # the agent who handled the call last
    talk_seconds: int  # over all answered stints
    final_wait_seconds: int  # the last stint's wait
    ended_epoch: int  # max over the stints of arrived + wait + talk
    # Resolved, when the last stint was answered; False when answered but lost after a
    # transfer; None when no agent answered.
    is_resolved: bool | None


@dataclass(frozen=True)
class CdrLeg:
    """One CDR record: the caller's leg through one queue, or the consult leg an agent dials
    for an attended transfer (linked to the caller's call by linkedid)."""

    uniqueid: str
    linkedid: str
    src: str  # the caller's number, or the agent's extension for a consult leg
    queue: str  # where the leg was sent
    agent: str | None  # the caller's leg: the agent it was bridged to; consult: the dialling agent
    start: int
    end: int
    is_consult: bool = False
    trunk: str | None = None  # the caller's trunk, once routed (simulate/outbound.py)


@dataclass
class SimulatedCenter:
    lines: list[QueueLogLine]
    stints: list[StintTruth]
    legs: list[CdrLeg] = field(default_factory=list)
    calls: list[CallTruth] = field(default_factory=list)
    # Telesales and trunks (simulate/center.py adds them); None for an inbound-only center.
    outbound: SimulatedOutbound | None = None
    states: list[AgentState] = field(default_factory=list)  # every agent's, by agent and time

    def queue_log_text(self) -> str:
        return "".join(line.render() + "\n" for line in self.lines)


@dataclass
class _Call:
    call_id: str
    queue_id: str
    caller: str
    arrived: int
    patience: int
    timeout: int
    position: int
    presses_key: bool
    entry_callid: str  # uniqueid on its ENTERQUEUE: a consult leg's after an attended transfer
    customer: Customer | None
    done: bool = False
    agent: _Agent | None = None  # set while the agent's phone rings


@dataclass
class _Agent:
    config: SimulatedAgent
    interface: str
    queues: tuple[str, ...]
    states: StateRecorder
    idle_since: int = 0
    busy: bool = False
    paused: bool = False
    logged_in: bool = False
    pending: list[tuple[str, int]] = field(default_factory=list)  # (pause reason, seconds)


def simulate_inbound(config: CenterConfig) -> SimulatedCenter:
    """Runs the center's `simulation` section; the same config always yields the same days."""
    if config.simulation is None:
        raise ValueError("the center config has no `simulation` section")
    return _Simulator(config, config.simulation).run()


class _Simulator:
    def __init__(self, config: CenterConfig, sim: Simulation) -> None:
        self.config = config
        self.sim = sim
        self.rng = random.Random(sim.seed)
        self.zone = ZoneInfo(config.center.timezone)
        self.events: list[tuple[int, int, str, object]] = []
        self.sequence = 0
        self.lines: list[tuple[int, int, QueueLogLine]] = []
        self.stints: list[StintTruth] = []
        self.traffic = {q.queue_id: q for q in sim.queue_traffic}
        self.waiting: dict[str, list[_Call]] = {q: [] for q in self.traffic}
        self.agents = [
            _Agent(a, f"PJSIP/{a.agent_id}", tuple(a.queues), StateRecorder(a.agent_id))
            for a in sim.agents
        ]
        self.acw_reason = config.center.acw_pause_reasons[0]
        self.legs: list[CdrLeg] = []
        self.uniqueid_counter = 0
        self.customers = sim.customers
        self.numbers_in_use = set(config.center.test_numbers)
        self.customer_count = 0
        self.call_customer: dict[str, Customer | None] = {}  # by call id
        self.call_first_queue: dict[str, str] = {}
        self.resolved: dict[str, bool] = {}  # calls answered to the end
        last_day = sim.day + dt.timedelta(days=sim.days - 1)
        self.period_end = self._opening_hours(last_day)[1]

    # ---------- scheduling
    def _at(self, when: int, kind: str, payload: object) -> None:
        self.sequence += 1
        heapq.heappush(self.events, (when, self.sequence, kind, payload))

    def _log(
        self, when: int, callid: str, queue: str, agent: str, event: str, *data: object
    ) -> None:
        self.sequence += 1
        line = QueueLogLine(when, callid, queue, agent, event, tuple(str(d) for d in data))
        self.lines.append((when, self.sequence, line))

    def _uniqueid(self, when: int) -> str:
        self.uniqueid_counter += 1
        return f"{when}.{self.uniqueid_counter}"

    def run(self) -> SimulatedCenter:
        for offset in range(self.sim.days):
            day = self.sim.day + dt.timedelta(days=offset)
            midnight = dt.datetime.combine(day, dt.time(), tzinfo=self.zone)
            open_at, close_at = self._opening_hours(day)
            for index, agent in enumerate(self.agents):
                self._plan_agent_day(index, agent, midnight)
            volume = self.sim.weekend_factor if day.weekday() >= 5 else 1.0
            for traffic in self.sim.queue_traffic:
                for arrival in self._arrivals(traffic, open_at, close_at, volume):
                    self._at(arrival, "arrival", traffic)
            for _ in range(self.sim.test_calls_per_day):
                when = self.rng.randrange(open_at, close_at)
                self._at(when, "test_call", self.rng.choice(self.sim.queue_traffic))
        while self.events:
            when, _, kind, payload = heapq.heappop(self.events)
            getattr(self, f"_on_{kind}")(when, payload)
        self.lines.sort(key=lambda item: (item[0], item[1]))
        return SimulatedCenter(
            [line for _, _, line in self.lines],
            self.stints,
            self.legs,
            self._calls(),
            states=[span for agent in self.agents for span in agent.states.spans],
        )

    def _calls(self) -> list[CallTruth]:
        stints_by_call: dict[str, list[StintTruth]] = {}
        for stint in self.stints:
            stints_by_call.setdefault(stint.call_id, []).append(stint)
        calls = []
        for call_id, stints in stints_by_call.items():
            stints.sort(key=lambda s: s.arrived_epoch)
            answered = [s for s in stints if s.outcome == "answered"]
            resolved = self.resolved.get(call_id, False if answered else None)
            calls.append(
                CallTruth(
                    call_id=call_id,
                    caller=stints[0].caller,
                    customer=self.call_customer[call_id],
                    is_test_call=stints[0].is_test_call,
                    first_queue_id=stints[0].queue_id,
                    arrived_epoch=stints[0].arrived_epoch,
                    answered_epoch=(
                        answered[0].arrived_epoch + answered[0].wait_seconds if answered else None
                    ),
                    agent=answered[-1].agent if answered else None,
                    talk_seconds=sum(s.talk_seconds or 0 for s in answered),
                    final_wait_seconds=stints[-1].wait_seconds,
                    ended_epoch=max(
                        s.arrived_epoch + s.wait_seconds + (s.talk_seconds or 0) for s in stints
                    ),
                    is_resolved=resolved,
                )
            )
        return sorted(calls, key=lambda c: (c.arrived_epoch, c.call_id))

    # ---------- generation
    def _plan_agent_day(self, index: int, agent: _Agent, midnight: dt.datetime) -> None:
        """Login a few minutes before the shift, lunch and a break staggered across agents,
        logout at the shift's end (a quarter of an hour after closing for the last shift)."""
        start_hour, end_hour = agent.config.shift or (self.sim.open_hour, self.sim.close_hour)
        start, end = local_epoch(midnight, start_hour), local_epoch(midnight, end_hour)
        self._at(start - 300 + index * 7, "login", agent)
        pause_factor = agent.config.pause_factor
        lunch = start + int(0.4 * (end - start)) + (index % 4) * 900
        self._at(lunch, "pause", (agent, "Lunch", round(LUNCH_SECONDS * pause_factor)))
        pause_break = start + int(0.75 * (end - start)) + (index % 3) * 600
        self._at(pause_break, "pause", (agent, "Break", round(BREAK_SECONDS * pause_factor)))
        last_shift = end_hour >= self.sim.close_hour
        self._at(end + (900 if last_shift else 0), "logout", agent)

    def _arrivals(
        self, traffic: QueueTraffic, open_at: int, close_at: int, volume: float
    ) -> Iterator[int]:
        """Poisson arrivals by thinning against the peak rate (Lewis and Shedler)."""
        peak_per_second = traffic.peak_calls_per_hour * volume / 3600
        t = float(open_at)
        while True:
            t += self.rng.expovariate(peak_per_second)
            if t >= close_at:
                return
            if self.rng.random() < _daily_profile((t - open_at) / 3600):
                yield int(t)

    # ---------- event handlers
    def _on_login(self, when: int, agent: _Agent) -> None:
        agent.logged_in, agent.idle_since = True, when
        agent.states.login(when)
        for queue in agent.queues:
            self._log(when, "NONE", queue, agent.interface, "ADDMEMBER", "")
        self._dispatch_agent(when, agent)

    def _on_logout(self, when: int, agent: _Agent) -> None:
        if agent.busy:  # finish the call first
            self._at(when + 60, "logout", agent)
            return
        agent.logged_in = False
        agent.pending.clear()  # a pause the shift had no room for is not taken tomorrow
        agent.states.logout(when)
        for queue in agent.queues:
            self._log(when, "NONE", queue, agent.interface, "REMOVEMEMBER", "")

    def _on_pause(self, when: int, payload: tuple[_Agent, str, int]) -> None:
        agent, reason, seconds = payload
        if agent.busy or agent.paused or not agent.logged_in:
            agent.pending.append((reason, seconds))
            return
        self._start_pause(when, agent, reason, seconds)

    def _start_pause(self, when: int, agent: _Agent, reason: str, seconds: int) -> None:
        agent.paused = True
        self._log_pause(when, agent, "paused", reason)
        self._at(when + seconds, "unpause", agent)

    def _on_unpause(self, when: int, agent: _Agent) -> None:
        agent.paused = False
        if not agent.logged_in:  # Asterisk cannot unpause a member it removed
            return
        agent.idle_since = when
        self._log_unpause(when, agent)
        self._dispatch_agent(when, agent)

    def _log_pause(self, when: int, agent: _Agent, state: str, reason: str) -> None:
        """A PAUSE line per queue (Asterisk pauses the member in each); the agent's state is
        paused, or wrap_up for an ACW pause."""
        for queue in agent.queues:
            self._log(when, "NONE", queue, agent.interface, "PAUSE", reason)
        agent.states.enter(when, state, reason)

    def _log_unpause(self, when: int, agent: _Agent) -> None:
        for queue in agent.queues:
            self._log(when, "NONE", queue, agent.interface, "UNPAUSE", "")
        agent.states.enter(when, "idle")

    def _on_arrival(self, when: int, traffic: QueueTraffic) -> None:
        """A fresh caller: a new customer, or a withheld number."""
        if self.rng.random() < self.customers.withheld_share:
            self._enter(when, self._uniqueid(when), WITHHELD, traffic, None)
            return
        customer = self._new_customer()
        self._enter(when, self._uniqueid(when), customer.logged(customer.phone), traffic, customer)

    def _new_customer(self) -> Customer:
        self.customer_count += 1
        is_crm_contact = self.rng.random() < self.customers.crm_share
        has_mobile = is_crm_contact and self.rng.random() < self.customers.mobile_share
        return Customer(
            number=self.customer_count,
            phone=self._unused_number(),
            mobile=self._unused_number() if has_mobile else None,
            is_crm_contact=is_crm_contact,
            is_e164=self.rng.random() < E164_SHARE,
        )

    def _unused_number(self) -> str:
        """A 555 number no other customer (or test) has: one number, one customer."""
        while True:
            number = f"555{self.rng.randrange(10**7):07d}"
            if number not in self.numbers_in_use:
                self.numbers_in_use.add(number)
                return number

    def _on_test_call(self, when: int, traffic: QueueTraffic) -> None:
        caller = self.rng.choice(self.config.center.test_numbers)
        self._enter(when, self._uniqueid(when), caller, traffic, None)

    def _on_retry(self, when: int, payload: tuple[Customer, str, QueueTraffic]) -> None:
        """A customer calls again (after giving up, or a repeat call after an answer)."""
        customer, caller, traffic = payload
        self._enter(when, self._uniqueid(when), caller, traffic, customer)

    def _on_transfer_arrival(
        self, when: int, payload: tuple[str, str, QueueTraffic, tuple[str, str] | None]
    ) -> None:
        call_id, caller, traffic, consult = payload
        self._enter(when, call_id, caller, traffic, self.call_customer[call_id], consult)

    def _enter(
        self,
        when: int,
        call_id: str,
        caller: str,
        traffic: QueueTraffic,
        customer: Customer | None,
        consult: tuple[str, str] | None = None,
    ) -> None:
        """A call joins a queue; after an attended transfer, through the agent's consult leg
        (its uniqueid, and the agent's extension as caller ID)."""
        self.call_customer.setdefault(call_id, customer)
        self.call_first_queue.setdefault(call_id, traffic.queue_id)
        queue = self.waiting[traffic.queue_id]
        call = _Call(
            call_id=call_id,
            queue_id=traffic.queue_id,
            caller=caller,
            arrived=when,
            patience=max(1, round(self.rng.expovariate(1 / traffic.mean_patience_s))),
            timeout=traffic.timeout_s,
            position=len(queue) + 1,
            presses_key=self.rng.random() < traffic.exit_key_share,
            entry_callid=consult[0] if consult else call_id,
            customer=customer,
        )
        shown = consult[1] if consult else caller
        self._log(when, call.entry_callid, call.queue_id, "NONE", "ENTERQUEUE", "", shown,
                  call.position)  # fmt: skip
        queue.append(call)
        self._at(when + min(call.patience, call.timeout), "give_up", call)
        self._dispatch_call(when, call)

    def _on_give_up(self, when: int, call: _Call) -> None:
        """The caller's patience (or the queue timeout) ran out, possibly while ringing."""
        if call.done:
            return
        self._leave_queue(call)
        wait = when - call.arrived
        if call.patience >= call.timeout:
            self._log(when, call.call_id, call.queue_id, "NONE", "EXITWITHTIMEOUT",
                      call.position, call.position, wait)  # fmt: skip
            self._record(call, wait, "timeout")
        elif call.presses_key:
            self._log(when, call.call_id, call.queue_id, "NONE", "EXITWITHKEY", EXIT_KEY,
                      call.position, call.position, wait)  # fmt: skip
            self._record(call, wait, "exit_key")
        else:
            self._log(when, call.call_id, call.queue_id, "NONE", "ABANDON", call.position,
                      call.position, wait)  # fmt: skip
            short = wait < self.config.center.short_abandon_s
            self._record(call, wait, "short_abandoned" if short else "abandoned")
        if call.customer is not None and self.rng.random() < self.sim.retry_share:
            retry_at = when + self.rng.randint(*RETRY_DELAY_SECONDS)
            if retry_at < self._close_of(when):  # after hours nobody queues
                payload = (call.customer, call.caller, self.traffic[call.queue_id])
                self._at(retry_at, "retry", payload)
        if call.agent is not None:  # the ringing agent is free again
            self._free(when, call.agent)

    def _on_answer(self, when: int, payload: tuple[_Call, _Agent, int]) -> None:
        call, agent, ring = payload
        if call.done:  # the caller gave up while the phone was ringing
            return
        self._leave_queue(call)
        wait = when - call.arrived
        traffic = self.traffic[call.queue_id]
        drawn = self.rng.lognormvariate(math.log(traffic.mean_talk_s) - 0.18, 0.6)
        talk = max(10, round(drawn * agent.config.talk_factor))
        self._log(when, call.call_id, call.queue_id, agent.interface, "CONNECT", wait,
                  self._uniqueid(when), ring)  # fmt: skip
        # Only the CONNECT's ring time shows the ring: one the caller abandoned stays idle.
        agent.states.enter(when - ring, "ringing")
        agent.states.enter(when, "talking")
        ended = when + talk
        kind = self._transfer_kind(traffic)
        if kind == "blind":
            self._log(ended, call.call_id, call.queue_id, agent.interface, "BLINDTRANSFER",
                      "s", f"{traffic.transfer_to}-queue", wait, talk, call.position)  # fmt: skip
            target = self.traffic[traffic.transfer_to]
            self._at(ended, "transfer_arrival", (call.call_id, call.caller, target, None))
        elif kind == "attended":
            consult = self._uniqueid(ended)
            self._log(ended + 1, consult, call.queue_id, agent.interface, "ATTENDEDTRANSFER",
                      "APP", "Queue", wait, talk, call.position)  # fmt: skip
            target = self.traffic[traffic.transfer_to]
            extension = agent.interface.split("/")[-1]
            self._at(ended, "transfer_arrival", (call.call_id, call.caller, target,
                                                 (consult, extension)))  # fmt: skip
            consult_leg = CdrLeg(consult, call.call_id, extension, target.queue_id,
                                 agent.interface, ended, ended + 1, is_consult=True)  # fmt: skip
            self.legs.append(consult_leg)
        else:
            ended_by = "COMPLETECALLER" if self.rng.random() < 0.6 else "COMPLETEAGENT"
            self._log(ended, call.call_id, call.queue_id, agent.interface, ended_by, wait,
                      talk, call.position)  # fmt: skip
            self._resolve(ended, call)
        transfer = kind is not None
        self._record(call, wait, "answered", agent.interface, talk, transfer)
        self._wrap_up(ended, agent)

    def _wrap_up(self, ended: int, agent: _Agent) -> None:
        """After the talk the agent wraps up, logged as an ACW pause (before an attended
        transfer's line, a second later) by the agents who do, then is free."""
        if agent.config.acw_pause:
            self._log_pause(ended, agent, "wrap_up", self.acw_reason)
        else:
            agent.states.enter(ended, "idle")
        self._at(ended + self.rng.randint(*agent.config.wrap_up_s), "free", agent)

    def _transfer_kind(self, traffic: QueueTraffic) -> str | None:
        """blind, attended or None (the call ends), by the queue's transfer shares."""
        if traffic.transfer_to is None:
            return None
        draw = self.rng.random()
        if draw < traffic.transfer_share:
            return "blind"
        if draw < traffic.transfer_share + traffic.attended_transfer_share:
            return "attended"
        return None

    def _resolve(self, ended: int, call: _Call) -> None:
        """The call was answered to the end: resolved or not, and maybe a repeat call (to the
        call's first queue) 1 hour to 6 days later, moved into opening hours."""
        resolved = self.rng.random() < self.customers.resolve_share
        self.resolved[call.call_id] = resolved
        customer = call.customer
        if customer is None:  # a withheld number or a test call
            return
        share = (
            self.customers.repeat_resolved_share
            if resolved
            else self.customers.repeat_unresolved_share
        )
        if self.rng.random() >= share:
            return
        repeat_at = self._in_opening_hours(ended + self.rng.randint(*REPEAT_DELAY_SECONDS))
        if repeat_at >= self.period_end:
            return  # after the simulated period: censored
        phone = call.caller.removeprefix("+1")
        if customer.mobile is not None and self.rng.random() < MOBILE_REPEAT_SHARE:
            phone = customer.mobile if phone == customer.phone else customer.phone
        traffic = self.traffic[self.call_first_queue[call.call_id]]
        self._at(repeat_at, "retry", (customer, customer.logged(phone), traffic))

    def _in_opening_hours(self, when: int) -> int:
        """`when`, or a random moment of the next opening hours if the center is closed."""
        day = dt.datetime.fromtimestamp(when, self.zone).date()
        open_at, close_at = self._opening_hours(day)
        if open_at <= when < close_at:
            return when
        if when >= close_at:
            open_at, close_at = self._opening_hours(day + dt.timedelta(days=1))
        return self.rng.randrange(open_at, close_at)

    def _opening_hours(self, day: dt.date) -> tuple[int, int]:
        """Opening and closing time (epochs) of a local day."""
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=self.zone)
        return local_epoch(midnight, self.sim.open_hour), local_epoch(midnight, self.sim.close_hour)

    def _on_free(self, when: int, agent: _Agent) -> None:
        """The wrap-up ends: an ACW pause's UNPAUSE before a pending pause's PAUSE (same
        second)."""
        if agent.config.acw_pause:
            self._log_unpause(when, agent)
        self._free(when, agent)

    # ---------- helpers
    def _free(self, when: int, agent: _Agent) -> None:
        agent.busy, agent.idle_since = False, when
        if agent.pending and agent.logged_in:
            reason, seconds = agent.pending.pop(0)
            self._start_pause(when, agent, reason, seconds)
            return
        self._dispatch_agent(when, agent)

    def _close_of(self, when: int) -> int:
        """Closing time (epoch) of the local day holding `when`."""
        return self._opening_hours(dt.datetime.fromtimestamp(when, self.zone).date())[1]

    def _available(self, agent: _Agent) -> bool:
        return agent.logged_in and not agent.busy and not agent.paused

    def _dispatch_call(self, when: int, call: _Call) -> None:
        candidates = [a for a in self.agents if self._available(a) and call.queue_id in a.queues]
        if candidates:
            self._connect(when, call, min(candidates, key=lambda a: (a.idle_since, a.interface)))

    def _dispatch_agent(self, when: int, agent: _Agent) -> None:
        if not self._available(agent):
            return
        heads = [
            next(c for c in self.waiting[name] if c.agent is None)
            for name in agent.queues
            if any(c.agent is None for c in self.waiting[name])
        ]
        if heads:
            self._connect(when, min(heads, key=lambda c: (c.arrived, c.call_id)), agent)

    def _connect(self, when: int, call: _Call, agent: _Agent) -> None:
        agent.busy, call.agent = True, agent
        if self.rng.random() < agent.config.rona_share:
            self._at(when + RONA_TIMEOUT_SECONDS, "ring_no_answer", (call, agent))
            return
        ring = self.rng.randint(*RING_SECONDS)
        self._at(when + ring, "answer", (call, agent, ring))

    def _on_ring_no_answer(self, when: int, payload: tuple[_Call, _Agent]) -> None:
        """The agent let the call ring out: Asterisk logs RINGNOANSWER (ring time in ms),
        auto-pauses the agent and offers the still-waiting call to the next agent."""
        call, agent = payload
        if call.done:  # the caller gave up while it rang; the agent was freed then
            return
        call.agent, agent.busy = None, False
        self._log(when, call.call_id, call.queue_id, agent.interface, "RINGNOANSWER",
                  RONA_TIMEOUT_SECONDS * 1000)  # fmt: skip
        agent.states.enter(when - RONA_TIMEOUT_SECONDS, "ringing")
        self._start_pause(when, agent, "Auto-Pause", AUTO_PAUSE_SECONDS)
        self._dispatch_call(when, call)

    def _leave_queue(self, call: _Call) -> None:
        call.done = True
        self.waiting[call.queue_id].remove(call)

    def _record(
        self,
        call: _Call,
        wait: int,
        outcome: str,
        agent: str | None = None,
        talk: int | None = None,
        transferred: bool = False,
    ) -> None:
        is_test = call.caller in self.config.center.test_numbers
        ended = call.arrived + wait + (talk or 0)
        self.legs.append(CdrLeg(call.call_id, call.call_id, call.caller, call.queue_id, agent,
                                call.arrived, ended))  # fmt: skip
        self.stints.append(
            StintTruth(
                call.call_id,
                call.queue_id,
                call.caller,
                call.arrived,
                wait,
                outcome,
                agent,
                talk,
                transferred,
                is_test,
            )  # fmt: skip
        )


def _daily_profile(hours_open: float) -> float:
    """Share of the peak arrival rate: a morning peak near 10:30, a smaller one after lunch."""
    morning = math.exp(-(((hours_open - 2.5) / 1.5) ** 2))
    afternoon = 0.7 * math.exp(-(((hours_open - 6.5) / 1.8) ** 2))
    return min(1.0, 0.25 + morning + afternoon)


def local_epoch(local_midnight: dt.datetime, hour: float) -> int:
    """UTC epoch of a local wall-clock hour of that day (DST-aware through the zone)."""
    wall = local_midnight.replace(tzinfo=None) + dt.timedelta(hours=hour)
    return int(wall.replace(tzinfo=local_midnight.tzinfo).timestamp())
