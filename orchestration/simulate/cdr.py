"""Writes the simulated CDR legs as Asterisk's cdr_csv does (Master.csv with loguniqueid,
loguserfield and newcdrcolumns: linkedid, peeraccount, sequence), times on the PBX's wall
clock.

Callers come in on a few SIP trunks; the dialplan answers before Queue(), so every caller leg
is ANSWERED and bills its wait too. A consult leg of an attended transfer starts on the agent's
phone and carries the caller's call as linkedid, which is how fct_calls ties the legs. Some
callers have Chinese names, and their lines are written in GBK while the rest of the file is
UTF-8, as Chinese deployments do.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from orchestration.simulate.inbound import CdrLeg

TRUNKS = ("trunk-a", "trunk-b", "trunk-c")
LATIN_NAMES = ("Ann Lee", "Bob Smith", "Carla Diaz", "Dan O'Neil", "Eve Brown", "Farid Haddad")
CHINESE_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def cdr_lines(legs: list[CdrLeg], pbx_zone: str, gbk_name_share: float, seed: int) -> list[bytes]:
    """One Master.csv line per leg, in the order the legs ended (as Asterisk appends them)."""
    rng = random.Random(seed)
    zone = ZoneInfo(pbx_zone)
    names: dict[str, tuple[str, bool]] = {}
    lines = []
    for sequence, leg in enumerate(sorted(legs, key=lambda leg: (leg.end, leg.uniqueid))):
        if leg.src not in names:
            chinese = rng.random() < gbk_name_share
            names[leg.src] = (rng.choice(CHINESE_NAMES if chinese else LATIN_NAMES), chinese)
        name, chinese = names[leg.src]
        line = _render(leg, name, sequence, zone, rng)
        lines.append(line.encode("gbk" if chinese else "utf-8"))
    return lines


def _render(leg: CdrLeg, name: str, sequence: int, zone: ZoneInfo, rng: random.Random) -> str:
    channel_id = f"{sequence:08x}"
    if leg.is_consult:
        channel, dstchannel, context = f"{leg.agent}-{channel_id}", "", "from-internal"
    else:
        channel = f"PJSIP/{rng.choice(TRUNKS)}-{channel_id}"
        dstchannel = f"{leg.agent}-{channel_id}" if leg.agent else ""
        context = "from-trunk"
    start, end = _wall_clock(leg.start, zone), _wall_clock(leg.end, zone)
    seconds = leg.end - leg.start
    quoted = [
        "", leg.src, leg.queue, context, f'"{name}" <{leg.src}>', channel, dstchannel,
        "Queue", f"{leg.queue},t", start, start, end,
    ]  # fmt: skip
    fields = [_quote(v) for v in quoted] + [str(seconds), str(seconds)]
    fields += [_quote(v) for v in ("ANSWERED", "DOCUMENTATION", leg.uniqueid, "", "")]
    fields += [_quote(leg.linkedid), str(sequence)]
    return ",".join(fields)


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _wall_clock(epoch: int, zone: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(epoch, zone).strftime(_TIME_FORMAT)
