"""Agents' states over time as the logs let the metric contract see them: the ground truth of
agent_states.csv, recorded from the simulators' own events (simulate/inbound.py, outbound.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgentState:
    """One span of one agent's state; an agent's spans partition its logins (agent_states.csv)."""

    agent_id: str  # the extension, as in agent_logins.csv
    state: str  # ringing | talking | wrap_up | paused | idle
    pause_reason: str  # the PAUSE line's reason (paused, wrap_up); empty otherwise
    start_epoch: int
    end_epoch: int


class StateRecorder:
    """One agent's timeline: a change of state closes the span before it. A span of no length
    is dropped, and a state entered again where the same state ended goes on as one span."""

    def __init__(self, agent_id: str) -> None:
        self.agent_id = agent_id
        self.spans: list[AgentState] = []
        self._current: tuple[int, str, str] | None = None  # since, state, reason; None: logged out
        self._login_spans = 0  # how many spans were closed before the current login

    def login(self, when: int) -> None:
        self._login_spans = len(self.spans)
        self._current = (when, "idle", "")

    def enter(self, when: int, state: str, reason: str = "") -> None:
        """From `when` on (not before the current span began) the agent is in `state`."""
        self._close(when)
        since = when
        if len(self.spans) > self._login_spans:
            last = self.spans[-1]
            if (last.end_epoch, last.state, last.pause_reason) == (when, state, reason):
                since = self.spans.pop().start_epoch
        self._current = (since, state, reason)

    def logout(self, when: int) -> None:
        self._close(when)

    def _close(self, when: int) -> None:
        if self._current is None:
            raise ValueError(f"agent {self.agent_id}: a state change at {when} while logged out")
        since, state, reason = self._current
        if when < since:
            raise ValueError(f"agent {self.agent_id}: {state} at {when} before its start {since}")
        if when > since:
            self.spans.append(AgentState(self.agent_id, state, reason, since, when))
        self._current = None
