"""queue_log parsing on real lines: what loads, what is quarantined and why, duplicates."""

from __future__ import annotations

import pytest

from orchestration.sources.queue_log import parse_queue_log
from tests.support import REALDATA


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Asterisk 20 ENTERQUEUE with url|callerid|position (asterisk-issue-759)
        (
            "1717397259|1717397243.239826|1501|NONE|ENTERQUEUE||5249111054|1",
            (
                "1717397243.239826",
                "1501",
                "NONE",
                "ENTERQUEUE",
                ("", "5249111054", "1", None, None),
            ),
        ),
        # CONNECT holdtime|bridged uniqueid|ringtime
        (
            "1717397271|1717397243.239826|1501|PJSIP/7009|CONNECT|12|1717397259.239827|11",
            (
                "1717397243.239826",
                "1501",
                "PJSIP/7009",
                "CONNECT",
                ("12", "1717397259.239827", "11", None, None),
            ),
        ),
        # Wazo ABANDON with no data fields at all (xivo-dao fixture E)
        (
            "1708045500|1708045200.000|q1|NONE|ABANDON",
            ("1708045200.000", "q1", "NONE", "ABANDON", (None, None, None, None, None)),
        ),
        # Housekeeping line with callid NONE (PBXware)
        (
            "1543527289|NONE|NONE|NONE|QUEUESTART",
            ("NONE", "NONE", "NONE", "QUEUESTART", (None, None, None, None, None)),
        ),
    ],
)
def test_real_lines_parse_into_fields(line: str, expected: tuple) -> None:
    parsed = parse_queue_log([line.encode() + b"\n"])
    (event,) = parsed.events
    assert (event.callid, event.queuename, event.agent, event.event, event.data) == expected


def test_attended_transfer_keeps_sixth_data_field() -> None:
    line = b"1717397391|1717397390.239830|1501|PJSIP/7009|ATTENDEDTRANSFER|LINK|a|b|12|120|1"
    (event,) = parse_queue_log([line]).events
    assert event.data == ("LINK", "a", "b", "12", "120")
    assert event.data_extra == "1"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"", "empty line"),
        (
            b"1708045500|1708045200.000|q1|NONE",
            "expected at least 5 '|'-separated fields (time|callid|queue|agent|event), found 4",
        ),
        (b"yesterday|1708045200.000|q1|NONE|ABANDON", "time field 'yesterday' is not a Unix epoch"),
        (b"1708045500|1708045200.000|q1|NONE||1|2|3", "event name is empty"),
    ],
)
def test_malformed_lines_are_quarantined_with_reason(line: bytes, reason: str) -> None:
    parsed = parse_queue_log([b"1543527289|NONE|NONE|NONE|QUEUESTART\n", line + b"\n"])
    assert len(parsed.events) == 1
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [(2, reason)]
    assert parsed.quarantined[0].raw_text == line.decode()


def test_exact_duplicate_lines_are_counted_once() -> None:
    line = b"1717397259|1717397243.239826|1501|NONE|ENTERQUEUE||5249111054|1\n"
    parsed = parse_queue_log([line, line, line.rstrip(b"\n")])
    assert (len(parsed.events), parsed.duplicate_count, parsed.lines_read) == (1, 2, 3)


def test_gbk_bytes_decode_without_loss() -> None:
    name = "客服一组"
    parsed = parse_queue_log([f"1717397259|1.1|{name}|NONE|ENTERQUEUE||1|1".encode("gbk")])
    assert parsed.events[0].queuename == name


def test_every_real_queue_log_line_is_accounted_for() -> None:
    files = sorted(REALDATA.glob("**/*queue_log*"))
    files = [f for f in files if f.suffix != ".csv"]  # the CSV table export is another format
    assert len(files) >= 40
    for path in files:
        raw_lines = path.read_bytes().splitlines()
        parsed = parse_queue_log(raw_lines)
        assert parsed.lines_read == len(raw_lines), path
        assert not parsed.quarantined, (path, parsed.quarantined[:3])


def test_pbxware_rebuilt_log_has_its_known_duplicates() -> None:
    parsed = parse_queue_log(
        (REALDATA / "pbxware-voipoffice" / "queue_log.rebuilt").read_bytes().splitlines()
    )
    # 1 000 exported rows; 12 are byte-identical repeats of an earlier row.
    assert (len(parsed.events), parsed.duplicate_count) == (988, 12)
