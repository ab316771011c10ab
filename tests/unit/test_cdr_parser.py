"""CDR parsing on real lines: layouts, typed fields, what is quarantined and why, duplicates."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import pytest

from orchestration.sources.cdr import CdrRecord, parse_cdr
from orchestration.sources.parsed import line_hash
from tests.support import REALDATA

STADION = "asterisk-cdr-stadion/Master.csv"
LAB = "asterisk-cdr-custom-lab/Master.csv"
PBXWARE = "pbxware-voipoffice/cdr.original.csv"


def _real_lines(sample: str) -> list[bytes]:
    return (REALDATA / sample).read_bytes().splitlines()


def _real_line(sample: str, line_number: int) -> bytes:
    return _real_lines(sample)[line_number - 1]


def _only_record(lines: list[bytes]) -> CdrRecord:
    parsed = parse_cdr(lines)
    assert not parsed.quarantined, parsed.quarantined
    (record,) = parsed.events
    return record


def test_stadion_cdr_csv_line_parses_into_every_field() -> None:
    # cdr_csv with loguniqueid, loguserfield and newcdrcolumns: 21 fields, numbers unquoted.
    record = _only_record([_real_line(STADION, 1)])
    assert record == CdrRecord(
        line_number=1,
        line_hash=line_hash(_real_line(STADION, 1).decode()),
        accountcode=None,
        src="59998476430",
        dst="211474",
        dcontext="stadion-pstn",
        clid='"Caller 315" <59998476430>',
        channel="SIP/211474-00000000",
        dstchannel=None,
        lastapp="Hangup",
        lastdata=None,
        start=datetime(2024, 1, 27, 15, 7, 24),
        answer=datetime(2024, 1, 27, 15, 7, 24),
        end=datetime(2024, 1, 27, 15, 7, 51),
        duration_seconds=27,
        billsec_seconds=27,
        disposition="ANSWERED",
        amaflags="DOCUMENTATION",
        uniqueid="1706368044.0",
        userfield=None,
        linkedid="1706368044.0",
        peeraccount=None,
        sequence=0,
        extra=None,
    )


def test_lab_cdr_custom_line_parses_into_every_field() -> None:
    # Same file name, cdr_custom sample order: clid first, accountcode after amaflags, 19 fields.
    record = _only_record([_real_line(LAB, 1)])
    assert asdict(record) | {"line_hash": None} == {
        "line_number": 1,
        "line_hash": None,
        "accountcode": None,
        "src": "client1",
        "dst": "6789",
        "dcontext": "default",
        "clid": '"" <client1>',
        "channel": "PJSIP/client1-00000002",
        "dstchannel": "PJSIP/client2-00000003",
        "lastapp": "Dial",
        "lastdata": "PJSIP/client2",
        "start": datetime(2023, 7, 26, 1, 51, 32),
        "answer": datetime(2023, 7, 26, 1, 51, 50),
        "end": datetime(2023, 7, 26, 1, 52, 4),
        "duration_seconds": 31,
        "billsec_seconds": 13,
        "disposition": "ANSWERED",
        "amaflags": "DOCUMENTATION",
        "uniqueid": "1690325492.2",
        "userfield": None,
        "linkedid": None,
        "peeraccount": None,
        "sequence": 2,
        "extra": None,
    }


def test_pbxware_header_file_maps_by_name_and_keeps_unknown_columns() -> None:
    # 26 columns in the export's own order; calldate is the start (local time, no answer/end).
    parsed = parse_cdr([_real_line(PBXWARE, 1), _real_line(PBXWARE, 2)])
    assert (parsed.header_line_count, parsed.layout and parsed.layout.name) == (1, "header row")
    (record,) = parsed.events
    assert asdict(record) | {"line_hash": None} == {
        "line_number": 2,
        "line_hash": None,
        "accountcode": "1115",
        "src": "1115",
        "dst": "5358780685",
        "dcontext": "default",
        "clid": 'Caller 1" <1115>"',  # broken quoting `""Caller 1" <1115>"`, kept as csv reads it
        "channel": "PJSIP/1115-00000000",
        "dstchannel": None,  # NULL literal
        "lastapp": "AGI",
        "lastdata": "agi://127.0.0.1",
        "start": datetime(2018, 11, 29, 20, 19, 34),
        "answer": None,
        "end": None,
        "duration_seconds": 37,
        "billsec_seconds": 32,
        "disposition": "ANSWERED",
        "amaflags": "3",
        "uniqueid": "1543540774.0",
        "userfield": "6000",
        "linkedid": "1543540774.0",
        "peeraccount": None,
        "sequence": 0,
        "extra": {
            "AcctId": "1",
            "tenant": None,
            "billamount": None,
            "agiuniqueid": "1543540774.0",
            "trunk": None,
            "did": "5358780685",
            "sipcallid": None,
            "inboundsipcallid": None,
        },
    }


@pytest.mark.parametrize(
    ("sample", "line_number", "expected"),
    [
        # Unquoted empty answer (`,,`); uniqueid differs from linkedid, which proves the
        # newcdrcolumns order peeraccount, linkedid, sequence; a comma inside quoted lastdata.
        (
            STADION,
            7,
            {
                "lastdata": "SIP/301,15",
                "answer": None,
                "end": datetime(2024, 1, 27, 16, 16, 51),
                "duration_seconds": 15,
                "billsec_seconds": 0,
                "disposition": "NO ANSWER",
                "uniqueid": "1706372196.14",
                "peeraccount": None,
                "linkedid": "1706372196.12",
                "sequence": 10,
            },
        ),
        # System-name-prefixed uniqueid after the PBX restart; the sequence restarted at 0.
        (
            STADION,
            43,
            {
                "start": datetime(2024, 1, 28, 5, 38, 20),
                "answer": datetime(2024, 1, 28, 5, 38, 24),
                "uniqueid": "mainserverdss-1706420300.0",
                "linkedid": "mainserverdss-1706420300.0",
                "sequence": 0,
            },
        ),
        (
            STADION,
            83,
            {
                "lastdata": "SIP/301&SIP/200@stadionpbx,60,t",
                "answer": None,
                "duration_seconds": 0,
                "disposition": "BUSY",
                "uniqueid": "mainserverdss-1706443058.100",
                "sequence": 80,
            },
        ),
        # cdr_custom quotes everything: a quoted empty answer and quoted numbers.
        (
            LAB,
            2,
            {
                "clid": '"" <client2>',
                "start": datetime(2023, 7, 26, 1, 52, 11),
                "answer": None,
                "end": datetime(2023, 7, 26, 1, 52, 42),
                "duration_seconds": 30,
                "billsec_seconds": 0,
                "disposition": "NO ANSWER",
                "uniqueid": "1690325531.5",
                "sequence": 4,
            },
        ),
        # Unquoted lastdata is quoted here because it holds commas; disposition is quoted.
        (
            PBXWARE,
            6,
            {
                "dst": "50835194880",
                "lastdata": (
                    "PJSIP/50835194880@VIOrig,,XL(59655335:60000:15000)b(gosub-predial^s^1)"
                ),
                "start": datetime(2018, 11, 30, 11, 48, 41),
                "disposition": "NO ANSWER",
                "sequence": 9,
                "uniqueid": "1543596521.9",
            },
        ),
        (PBXWARE, 9, {"disposition": "FAILED", "dstchannel": "PJSIP/VIOrig-00000001"}),
    ],
)
def test_real_lines_parse_into_fields(sample: str, line_number: int, expected: dict) -> None:
    header = [_real_line(sample, 1)] if sample == PBXWARE else []
    parsed = parse_cdr([*header, _real_line(sample, line_number)])
    (record,) = parsed.events
    assert {name: getattr(record, name) for name in expected} == expected


def test_non_utf8_clid_keeps_its_text() -> None:
    # The stadion PBX wrote 0xA5 into CLID names (the published sample has them anonymised away).
    line = _real_line(STADION, 1).replace(b"Caller 315", b"Caller 315\xa5")
    assert _only_record([line]).clid == '"Caller 315\xa5" <59998476430>'


def test_gbk_clid_decodes_without_loss() -> None:
    line = _real_line(STADION, 1).replace(b"Caller 315", "客服一组".encode("gbk"))
    assert _only_record([line]).clid == '"客服一组" <59998476430>'


def _drop_fields(line: bytes, *positions: int) -> bytes:
    fields = line.decode().split(",")  # the stadion line 1 has no comma inside a field
    return ",".join(f for n, f in enumerate(fields) if n not in positions).encode()


@pytest.mark.parametrize(
    ("line", "layout_width", "uniqueid", "sequence", "extra"),
    [
        (_real_line(STADION, 1), 21, "1706368044.0", 0, None),
        # The same line as cdr_csv writes it with some of the [csv] options off.
        (_drop_fields(_real_line(STADION, 1), 18, 19, 20), 18, "1706368044.0", None, None),
        (_drop_fields(_real_line(STADION, 1), 16, 17), 19, None, 0, None),
        (_drop_fields(_real_line(STADION, 1), 16, 17, 18, 19, 20), 16, None, None, None),
        (_real_line(LAB, 1), 19, "1690325492.2", 2, None),
        # A cdr_custom mapping that appends its own columns after the sample's.
        (
            _real_line(LAB, 1) + b',"a1b2@10.0.0.1","ssrc=1"',
            21,
            "1690325492.2",
            2,
            {"column_20": "a1b2@10.0.0.1", "column_21": "ssrc=1"},
        ),
    ],
)
def test_headerless_layout_is_detected_from_the_data(
    line: bytes, layout_width: int, uniqueid: str | None, sequence: int | None, extra: dict | None
) -> None:
    parsed = parse_cdr([line])
    (record,) = parsed.events
    assert parsed.layout is not None and parsed.layout.width == layout_width
    assert (record.uniqueid, record.sequence, record.extra) == (uniqueid, sequence, extra)


def _stadion_line(**changes: str) -> bytes:
    """Stadion line 1 (21 fields) with some fields replaced, written the way cdr_csv writes."""
    names = (
        "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
        "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
        "uniqueid", "userfield", "peeraccount", "linkedid", "sequence",
    )  # fmt: skip
    values = dict(zip(names, _real_line(STADION, 1).decode().split(","), strict=True))
    values |= changes
    return ",".join(values.values()).encode()


FAULTY_FILE = [
    _stadion_line(start="junk"),  # waits for the layout, then is read with it
    _stadion_line(),
    b"",
    _stadion_line(sequence="0,1"),
    _stadion_line(start=""),
    _stadion_line(start='"2024-01-27 15:07"'),
    _stadion_line(start='"2024-02-30 15:07:24"'),
    _stadion_line(answer='"yesterday"'),
    _stadion_line(duration="27.5"),
    _stadion_line(billsec="-1"),
    _stadion_line(duration=""),
    _stadion_line(answer='"2024-01-27 15:07:23"'),
    _stadion_line(answer='"2024-01-27 15:07:52"'),
    _stadion_line(answer="", end='"2024-01-27 15:07:20"'),
    _stadion_line(billsec="28"),
    _stadion_line(disposition='""'),
    _stadion_line(sequence="x"),
    b'"' + b"x" * 200_000 + b'"',
    _stadion_line(),  # exact duplicate of line 2
    _stadion_line(start=""),  # exact duplicate of a quarantined line
]


def test_faulty_lines_are_quarantined_with_exact_reasons() -> None:
    parsed = parse_cdr(FAULTY_FILE)
    assert [record.line_number for record in parsed.events] == [2]
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [
        (1, "start time 'junk' is not a YYYY-MM-DD HH:MM:SS time"),
        (3, "empty line"),
        (4, "expected 21 fields for the cdr_csv layout, found 22"),
        (5, "start time is missing"),
        (6, "start time '2024-01-27 15:07' is not a YYYY-MM-DD HH:MM:SS time"),
        (7, "start time '2024-02-30 15:07:24' is not a YYYY-MM-DD HH:MM:SS time"),
        (8, "answer time 'yesterday' is not a YYYY-MM-DD HH:MM:SS time"),
        (9, "duration '27.5' is not a whole number of seconds"),
        (10, "billsec -1 is negative"),
        (11, "duration is missing"),
        (12, "answer 2024-01-27 15:07:23 is before start 2024-01-27 15:07:24"),
        (13, "end 2024-01-27 15:07:51 is before answer 2024-01-27 15:07:52"),
        (14, "end 2024-01-27 15:07:20 is before start 2024-01-27 15:07:24"),
        (15, "billsec 28 is longer than duration 27"),
        (16, "disposition is missing"),
        (17, "sequence 'x' is not an integer"),
        (18, "not a CSV record: field larger than field limit (131072)"),
    ]
    assert parsed.quarantined[1].raw_text == ""
    assert parsed.duplicate_count == 2
    assert parsed.lines_read == len(FAULTY_FILE)


def test_unrecognised_layout_quarantines_every_line_saying_so() -> None:
    lines = [b"2024-01-27 15:07:24,1001,2000,ANSWERED,27", b"", b"1001;2000;27"]
    parsed = parse_cdr(lines)
    assert parsed.layout is None
    assert [q.reason for q in parsed.quarantined] == [
        "file layout not recognised: no header row names the columns and no line has its start "
        "time and disposition where cdr_csv or cdr_custom put them",
        "empty line",
        "file layout not recognised: no header row names the columns and no line has its start "
        "time and disposition where cdr_csv or cdr_custom put them",
    ]
    assert parsed.lines_read == len(lines)


def test_exact_duplicate_lines_are_counted_once() -> None:
    line = _real_line(STADION, 1)
    parsed = parse_cdr([line + b"\n", line, line + b"\r\n", _real_line(STADION, 2)])
    assert (len(parsed.events), parsed.duplicate_count, parsed.lines_read) == (2, 2, 4)


def test_lines_read_is_loaded_plus_quarantined_plus_duplicates_plus_headers() -> None:
    header = _real_line(PBXWARE, 1)
    lines = [header, _real_line(PBXWARE, 2), _real_line(PBXWARE, 2), _real_line(PBXWARE, 5)]
    parsed = parse_cdr([*lines, header])  # a second export appended with its own header
    assert (
        len(parsed.events),
        len(parsed.quarantined),
        parsed.duplicate_count,
        parsed.header_line_count,
    ) == (1, 1, 1, 2)
    assert parsed.lines_read == 5


def _real_cdr_files() -> list[Path]:
    return sorted(
        path
        for path in REALDATA.rglob("*")
        if path.is_file() and ("cdr" in path.parent.name or path.name.startswith("cdr"))
    )


def test_the_real_cdr_samples_are_the_three_known_files() -> None:
    # A new sample must be added to the accounting test below, with its expected counts.
    assert _real_cdr_files() == sorted(REALDATA / s for s in (STADION, LAB, PBXWARE))


@pytest.mark.parametrize(
    ("sample", "layout", "loaded", "quarantined", "duplicates", "headers"),
    [
        (STADION, "cdr_csv", 84, 0, 0, 0),
        (LAB, "cdr_custom", 14, 0, 0, 0),
        # 96 physical lines of the export are rows glued together with parts of them lost
        # (34 to 170 fields): no way to tell which field belongs to which row, so quarantined.
        (PBXWARE, "header row", 677, 96, 0, 1),
    ],
)
def test_every_line_of_every_real_cdr_sample_is_accounted_for(
    sample: str, layout: str, loaded: int, quarantined: int, duplicates: int, headers: int
) -> None:
    raw_lines = _real_lines(sample)
    parsed = parse_cdr(raw_lines)
    assert parsed.layout is not None and parsed.layout.name == layout
    counts = (len(parsed.events), len(parsed.quarantined), parsed.duplicate_count)
    assert (*counts, parsed.header_line_count) == (loaded, quarantined, duplicates, headers)
    assert parsed.lines_read == len(raw_lines)


def test_pbxware_quarantine_is_only_its_glued_rows() -> None:
    parsed = parse_cdr(_real_lines(PBXWARE))
    found = Counter(int(q.reason.rsplit(" ", 1)[1]) for q in parsed.quarantined)
    assert {q.reason.rsplit(" ", 1)[0] for q in parsed.quarantined} == {
        "expected 26 fields for the header row layout, found"
    }
    assert min(found) == 34 and max(found) == 170
    assert [q.line_number for q in parsed.quarantined[:3]] == [5, 50, 90]
    assert Counter(r.disposition for r in parsed.events) == {
        "ANSWERED": 479,
        "NO ANSWER": 156,
        "FAILED": 40,
        "BUSY": 2,
    }


def test_stadion_keeps_its_unanswered_legs_and_prefixed_uniqueids() -> None:
    records = parse_cdr(_real_lines(STADION)).events
    assert sum(r.answer is None for r in records) == 45  # the unquoted empty answers
    prefixed = [r.line_number for r in records if r.uniqueid.startswith("mainserverdss-")]
    assert (len(prefixed), prefixed[0]) == (42, 43)
