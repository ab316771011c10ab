"""Writes the simulated CDR legs as Asterisk's cdr_csv does (Master.csv with loguniqueid,
loguserfield and newcdrcolumns: linkedid, peeraccount, sequence), times on the PBX's wall
clock.

Callers come in on a few SIP trunks (channel PJSIP/<trunk>-<sequence>, one trunk per call,
routed by simulate/outbound.py); the dialplan answers before Queue(), so every caller leg is
ANSWERED and bills its wait too. A consult leg of an attended transfer starts on the agent's
phone and carries the caller's call as linkedid, which is how fct_calls ties the legs. Some
callers have Chinese names, and their lines are written in GBK while the rest of the file is
UTF-8, as Chinese deployments do.

A telesales dial is one row: accountcode = the campaign, src = the agent's extension, clid
"<Agent Name>" <extension>, dst = the dialled 10 digits, dcontext from-internal, channel the
agent's phone, dstchannel the trunk's channel (empty only when every trunk was full), lastapp
Dial; answer is empty unless answered; userfield AMD=MACHINE when a machine answered.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from zoneinfo import ZoneInfo

from orchestration.simulate.inbound import CdrLeg
from orchestration.simulate.outbound import (
    DEFAULT_TRUNKS,
    MACHINE_USERFIELD,
    OutboundCall,
    SimulatedOutbound,
)

DIAL_TIMEOUT_SECONDS = 30
LATIN_NAMES = ("Ann Lee", "Bob Smith", "Carla Diaz", "Dan O'Neil", "Eve Brown", "Farid Haddad")
CHINESE_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def cdr_lines(
    legs: list[CdrLeg],
    pbx_zone: str,
    gbk_name_share: float,
    seed: int,
    outbound: SimulatedOutbound | None = None,
) -> list[bytes]:
    """One Master.csv line per leg and per dial, in the order they ended (as Asterisk appends
    them)."""
    rng = random.Random(seed)
    zone = ZoneInfo(pbx_zone)
    names: dict[str, tuple[str, bool]] = {}
    records: list[tuple[int, str, CdrLeg | OutboundCall]] = [
        (leg.end, leg.uniqueid, leg) for leg in legs
    ]
    dials = outbound.calls if outbound else []
    records += [(call.attempt.end_epoch, call.attempt.uniqueid, call) for call in dials]
    lines = []
    for sequence, (_, _, record) in enumerate(sorted(records, key=lambda r: (r[0], r[1]))):
        if isinstance(record, OutboundCall):
            assert outbound is not None
            name = outbound.agent_names[record.attempt.agent_id]
            line = _render_dial(record, name, outbound.dial_context, sequence, zone)
            lines.append(line.encode("utf-8"))
            continue
        if record.src not in names:
            chinese = rng.random() < gbk_name_share
            names[record.src] = (rng.choice(CHINESE_NAMES if chinese else LATIN_NAMES), chinese)
        name, chinese = names[record.src]
        line = _render(record, name, sequence, zone)
        lines.append(line.encode("gbk" if chinese else "utf-8"))
    return lines


def _render(leg: CdrLeg, name: str, sequence: int, zone: ZoneInfo) -> str:
    channel_id = f"{sequence:08x}"
    if leg.is_consult:
        channel, dstchannel, context = f"{leg.agent}-{channel_id}", "", "from-internal"
    else:
        channel = f"PJSIP/{leg.trunk or _unrouted_trunk(leg.uniqueid)}-{channel_id}"
        dstchannel = f"{leg.agent}-{channel_id}" if leg.agent else ""
        context = "from-trunk"
    start, end = _wall_clock(leg.start, zone), _wall_clock(leg.end, zone)
    seconds = leg.end - leg.start
    return _row(
        ["", leg.src, leg.queue, context, f'"{name}" <{leg.src}>', channel, dstchannel,
         "Queue", f"{leg.queue},t", start, start, end],
        seconds, seconds, "ANSWERED", leg.uniqueid, "", leg.linkedid, sequence,
    )  # fmt: skip


def _render_dial(call: OutboundCall, name: str, context: str, sequence: int, zone: ZoneInfo) -> str:
    attempt = call.attempt
    channel_id = f"{sequence:08x}"
    trunk = attempt.trunk
    dstchannel = f"PJSIP/{trunk}-{channel_id}" if trunk else ""
    answer = _wall_clock(attempt.answer_epoch, zone) if attempt.answer_epoch is not None else ""
    return _row(
        [attempt.campaign, attempt.agent_id, call.number, context,
         f'"{name}" <{attempt.agent_id}>', f"PJSIP/{attempt.agent_id}-{channel_id}", dstchannel,
         "Dial", f"PJSIP/{call.number}@{trunk or ''},{DIAL_TIMEOUT_SECONDS}",
         _wall_clock(attempt.start_epoch, zone), answer, _wall_clock(attempt.end_epoch, zone)],
        attempt.end_epoch - attempt.start_epoch, attempt.billsec, attempt.disposition,
        attempt.uniqueid, MACHINE_USERFIELD if attempt.is_machine else "", attempt.uniqueid,
        sequence,
    )  # fmt: skip


def _row(
    head: list[str],
    duration: int,
    billsec: int,
    disposition: str,
    uniqueid: str,
    userfield: str,
    linkedid: str,
    sequence: int,
) -> str:
    """accountcode ... end (quoted), then duration, billsec, disposition, amaflags, uniqueid,
    userfield, peeraccount, linkedid and sequence, as cdr_csv writes them."""
    fields = [_quote(v) for v in head] + [str(duration), str(billsec)]
    fields += [_quote(v) for v in (disposition, "DOCUMENTATION", uniqueid, userfield, "")]
    fields += [_quote(linkedid), str(sequence)]
    return ",".join(fields)


def _unrouted_trunk(uniqueid: str) -> str:
    """A trunk for a leg of an inbound-only center (no routing): the same for every line of
    the call."""
    return DEFAULT_TRUNKS[zlib.crc32(uniqueid.encode()) % len(DEFAULT_TRUNKS)]


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _wall_clock(epoch: int, zone: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(epoch, zone).strftime(_TIME_FORMAT)
