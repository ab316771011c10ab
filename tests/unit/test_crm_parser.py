"""CRM exports: every drift kind has one exact outcome, and no record is lost."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from orchestration.sources.crm import CrmObject, crm_object_of, parse_crm_export

CASES = (
    "Id,ContactId,Type,Status,CreatedDate,SystemModstamp,IsDeleted\n"
    "500A1,003C1,Complaint,Closed,2026-11-02T14:00:00.000Z,2026-11-02T15:30:00.000Z,false\n"
    "500A2,003C2,Question,New,2026-11-02T16:00:00.000Z,2026-11-02T16:00:00.000+0000,false\n"
)


def _parse(text: str, name: str = "Case.csv"):
    return parse_crm_export(text.encode("utf-8").splitlines(), name)


def test_a_full_export_loads_every_record_with_its_version() -> None:
    parsed = _parse(CASES)
    assert (parsed.lines_read, parsed.header_line_count, parsed.quarantined) == (3, 1, [])
    first, second = parsed.events
    assert (first.object_name, first.record_id, first.is_deleted) == ("Case", "500A1", False)
    assert first.version_at == dt.datetime(2026, 11, 2, 15, 30)
    assert second.version_at == dt.datetime(2026, 11, 2, 16, 0)
    assert json.loads(first.fields)["Type"] == "Complaint"
    assert first.unknown_columns is None


def test_a_new_column_is_kept_and_reported() -> None:
    parsed = _parse(
        "Id,CreatedDate,SystemModstamp,Sentiment__c\n"
        "500A1,2026-11-02T14:00:00Z,2026-11-02T15:30:00Z,negative\n"
    )
    (record,) = parsed.events
    assert json.loads(record.fields)["Sentiment__c"] == "negative"
    assert json.loads(record.unknown_columns) == ["Sentiment__c"]


def test_a_missing_optional_column_loads_without_the_field() -> None:
    parsed = _parse(
        "Id,CreatedDate,SystemModstamp\n500A1,2026-11-02T14:00:00Z,2026-11-02T15:30:00Z\n"
    )
    (record,) = parsed.events
    assert "Status" not in json.loads(record.fields)


def test_a_missing_required_column_quarantines_the_whole_file() -> None:
    parsed = _parse("Id,Status,SystemModstamp\n500A1,New,2026-11-02T15:30:00Z\n500A2,New,x\n")
    assert parsed.events == []
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [
        (2, "Case export lacks required column CreatedDate"),
        (3, "Case export lacks required column CreatedDate"),
    ]
    assert parsed.lines_read == 3


def test_reordered_columns_make_the_same_record() -> None:
    header, *rows = CASES.splitlines()
    order = [6, 5, 4, 3, 2, 1, 0]
    reordered = "\n".join(",".join(line.split(",")[i] for i in order) for line in [header, *rows])
    assert [r.record_hash for r in _parse(reordered).events] == [
        r.record_hash for r in _parse(CASES).events
    ]


def test_a_deleted_record_arrives_flagged() -> None:
    parsed = _parse(
        "Id,CreatedDate,SystemModstamp,IsDeleted\n"
        "500A1,2026-11-02T14:00:00Z,2026-11-03T09:00:00Z,true\n"
    )
    assert [(r.record_id, r.is_deleted) for r in parsed.events] == [("500A1", True)]


def test_bad_records_are_quarantined_and_duplicates_counted() -> None:
    parsed = _parse(
        CASES
        + "500A3,003C3,Question,New,2026-11-02T16:00:00Z,yesterday,false\n"
        + "500A4,too,few\n"
        + CASES.splitlines()[1]
        + "\n"
    )
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [
        (4, "version time 'yesterday' is not an ISO 8601 date-time"),
        (5, "expected 7 fields as in the header, found 3"),
    ]
    assert (len(parsed.events), parsed.duplicate_count, parsed.lines_read) == (2, 1, 6)


def test_a_quoted_newline_stays_inside_its_record() -> None:
    parsed = _parse(
        "Id,CreatedDate,SystemModstamp,Reason\n"
        '500A1,2026-11-02T14:00:00Z,2026-11-02T15:30:00Z,"line one\nline two, ""quoted"""\n'
        "500A2,2026-11-02T14:00:00Z,2026-11-02T15:30:00Z,\n"
    )
    assert [json.loads(r.fields).get("Reason") for r in parsed.events] == [
        'line one\nline two, "quoted"',
        None,
    ]
    assert [r.line_number for r in parsed.events] == [2, 4]


@pytest.mark.parametrize(
    ("file_name", "object_name"),
    [
        ("Opportunity.csv", "Opportunity"),
        ("case_20261101.csv", "Case"),
        ("User-incremental.csv.gz", "User"),
        # A browser's second download and a dated export (issue 18: 253 contacts were lost).
        ("Contact (1).csv", "Contact"),
        ("Contact_2026-11-08.csv", "Contact"),
        ("export of ACCOUNT.csv", "Account"),
    ],
)
def test_the_object_comes_from_a_whole_word_of_the_file_name(
    file_name: str, object_name: str
) -> None:
    crm_object = crm_object_of(file_name)
    assert isinstance(crm_object, CrmObject) and crm_object.name == object_name


@pytest.mark.parametrize(
    ("file_name", "reason"),
    [
        ("Lead.csv", "file name 'Lead.csv' names no CRM object (User, Account, Contact, Case, "
                     "Task, Opportunity, Campaign)"),
        # Other Salesforce objects whose names contain a known one.
        ("CaseComment.csv", "file name 'CaseComment.csv' names no CRM object (User, Account, "
                            "Contact, Case, Task, Opportunity, Campaign)"),
        ("Account_Contact.csv", "file name 'Account_Contact.csv' names more than one CRM "
                                "object (Account, Contact)"),
    ],
)  # fmt: skip
def test_a_file_naming_no_object_or_two_is_quarantined_whole(file_name: str, reason: str) -> None:
    assert crm_object_of(file_name) == reason
    parsed = _parse(CASES, file_name)
    assert parsed.events == []
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [(2, reason), (3, reason)]
    assert parsed.header_line_count == 1


def test_a_malformed_record_is_quarantined_and_the_rest_of_the_file_loads() -> None:
    # The reader is the survey exports' (test_csv_export.py); here in a CRM file with a
    # browser's download name, which used to be quarantined whole (issue 18).
    parsed = _parse(
        "Id,Name,Phone,SystemModstamp\n"
        '003C1,"Ana Silva,+15551234567,2026-11-02T15:30:00Z\n'
        "003C2,Ben Okafor,+15559876543,2026-11-02T15:31:00Z\n"
        "003C3,Caro Diaz,+15550001111,2026-11-02T15:32:00Z,extra\n",
        "Contact (1).csv",
    )
    assert [(r.object_name, r.record_id, r.line_number) for r in parsed.events] == [
        ("Contact", "003C2", 3)
    ]
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [
        (2, "unbalanced quote: a quoted field opens on this line and never closes"),
        (4, "expected 4 fields as in the header, found 5"),
    ]
    assert parsed.lines_read == 4
