"""The whole simulated center: the inbound simulation, then telesales and the trunks of every
call (simulate/outbound.py), as one `SimulatedCenter` whose queue_log holds both."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from orchestration.lib.center_config import CenterConfig
from orchestration.simulate.inbound import QueueLogLine, SimulatedCenter, simulate_inbound
from orchestration.simulate.outbound import simulate_outbound


def simulate_center(config: CenterConfig) -> SimulatedCenter:
    """Inbound calls exactly as `simulate_inbound` makes them, the caller legs on their
    trunks, and the telesales agents' logins (merged into the queue_log), dials and states."""
    inbound = simulate_inbound(config)
    outbound = simulate_outbound(config, inbound)
    legs = [
        leg
        if leg.is_consult
        else dataclasses.replace(leg, trunk=outbound.inbound_trunks[leg.uniqueid])
        for leg in inbound.legs
    ]
    lines = sorted([*inbound.lines, *outbound.lines], key=lambda line: line.epoch)
    states = [*inbound.states, *outbound.states]
    return dataclasses.replace(inbound, lines=lines, legs=legs, outbound=outbound, states=states)


@dataclass(frozen=True)
class AgentLogin:
    """A span an agent was logged in to at least one queue (agent_logins.csv)."""

    agent_id: str  # the extension: queue_log's interface is PJSIP/<agent_id>
    login_epoch: int
    logout_epoch: int


def agent_logins(lines: list[QueueLogLine]) -> list[AgentLogin]:
    """Per agent, the union of its ADDMEMBER..REMOVEMEMBER spans over its queues."""
    queues: dict[str, set[str]] = {}
    since: dict[str, int] = {}
    spans = []
    for line in sorted(lines, key=lambda line: line.epoch):
        agent = line.agent.split("/")[-1]
        joined = queues.setdefault(agent, set())
        if line.event == "ADDMEMBER":
            if not joined:
                since[agent] = line.epoch
            joined.add(line.queue)
        elif line.event == "REMOVEMEMBER" and line.queue in joined:
            joined.discard(line.queue)
            if not joined:
                spans.append(AgentLogin(agent, since.pop(agent), line.epoch))
    return sorted(spans, key=lambda span: (span.login_epoch, span.agent_id))
