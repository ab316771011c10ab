"""Parser for CRM exports in the shape of a Salesforce bulk export: one CSV per object (User,
Account, Contact, Case, Task, Opportunity, Campaign) with Salesforce field API names as the
header, full or incremental (records with a newer SystemModstamp).

Schema drift is normal and never loses data: columns may come in any order, a known optional
column may be missing (its field is null), and a column we do not know is kept with the
record and reported. A file that lacks a required column cannot be read safely: every record
of it is quarantined with a reason naming the column, and nothing of it loads. Deletes arrive
as records with IsDeleted = true; the latest version of a record wins downstream (dbt).

A CSV record can span several physical lines (a quoted newline in a case description): the
ledger counts records, the header line included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from orchestration.sources.csv_export import iso_utc, parse_csv_export
from orchestration.sources.parsed import ParsedFile

# The version of a record: Salesforce's SystemModstamp, else LastModifiedDate.
VERSION_COLUMNS = ("SystemModstamp", "LastModifiedDate")


@dataclass(frozen=True)
class CrmObject:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def known(self) -> frozenset[str]:
        audit = ("IsDeleted", "CreatedDate", *VERSION_COLUMNS)
        return frozenset((*self.required, *self.optional, *audit))


# Per object, the columns the warehouse reads (custom fields such as Tier__c are declared in
# the center config and read from the kept unknown columns).
CRM_OBJECTS = {
    o.name.lower(): o
    for o in (
        CrmObject(
            "User",
            ("Id", "Name"),
            ("Username", "Extension", "ManagerId", "Department", "Division", "IsActive"),
        ),
        CrmObject("Account", ("Id", "Name"), ("Type", "Industry")),
        CrmObject("Contact", ("Id",), ("AccountId", "Name", "Phone", "MobilePhone")),
        CrmObject(
            "Case",
            ("Id", "CreatedDate"),
            (
                "ContactId",
                "AccountId",
                "Origin",
                "Type",
                "Reason",
                "Status",
                "Priority",
                "ClosedDate",
                "OwnerId",
            ),
        ),  # fmt: skip
        CrmObject(
            "Task",
            ("Id",),
            (
                "WhoId",
                "WhatId",
                "OwnerId",
                "CallObject",
                "CallType",
                "CallDisposition",
                "CallDurationInSeconds",
                "ActivityDate",
            ),
        ),  # fmt: skip
        CrmObject(
            "Opportunity",
            ("Id", "StageName"),
            ("AccountId", "OwnerId", "Amount", "IsWon", "CloseDate", "CampaignId"),
        ),
        CrmObject("Campaign", ("Id", "Name"), ("Type", "Status", "StartDate", "EndDate")),
    )
}


@dataclass(frozen=True)
class CrmRecord:
    record_hash: str
    line_number: int
    object_name: str
    record_id: str
    version_at: dt.datetime  # UTC, naive
    is_deleted: bool
    fields: str  # JSON object: every non-empty column of the record, known or not
    unknown_columns: str | None  # JSON array of the columns this object does not know


ParsedCrm = ParsedFile[CrmRecord]


def crm_object_of(file_name: str) -> CrmObject | str:
    """The object a file holds, by the one object name among the words of its name
    (`Case.csv`, `case_20261101.csv`, `Opportunity-incremental.csv`, a browser's
    `Contact (1).csv`), or why it holds none. A whole word only: `CaseComment.csv` is
    another Salesforce object, not Case."""
    words = re.split(r"[^0-9a-z]+", file_name.lower().removesuffix(".gz").removesuffix(".csv"))
    named = sorted({CRM_OBJECTS[w].name for w in words if w in CRM_OBJECTS})
    known = ", ".join(o.name for o in CRM_OBJECTS.values())
    if not named:
        return f"file name {file_name!r} names no CRM object ({known})"
    if len(named) > 1:
        return f"file name {file_name!r} names more than one CRM object ({', '.join(named)})"
    return CRM_OBJECTS[named[0].lower()]


def parse_crm_export(lines: list[bytes], file_name: str) -> ParsedCrm:
    """Parses one export file (its header first) into records, quarantine and duplicates."""
    crm_object = crm_object_of(file_name)
    if isinstance(crm_object, str):  # no object: the file is quarantined with this reason
        what, objects = "CRM export", list(CRM_OBJECTS.values())
    else:
        what, objects = f"{crm_object.name} export", [crm_object]
    return parse_csv_export(
        lines,
        what=what,
        columns=frozenset(column.lower() for o in objects for column in o.known),
        file_problem=lambda header: _file_problem(crm_object, header),
        to_row=lambda header, values, number: _record(objects[0], header, values, number),
        identity=lambda record: record.record_hash,
    )


def _file_problem(crm_object: CrmObject | str, header: list[str]) -> str | None:
    """Why no record of the file can load, or None."""
    if isinstance(crm_object, str):
        return crm_object
    columns = set(header)
    missing = [c for c in crm_object.required if c not in columns]
    if not columns & set(VERSION_COLUMNS):
        missing.append(" or ".join(VERSION_COLUMNS))
    if missing:
        return f"{crm_object.name} export lacks required column {', '.join(missing)}"
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        return f"{crm_object.name} export has duplicated column {', '.join(duplicated)}"
    return None


def _record(
    crm_object: CrmObject, header: list[str], values: list[str], line_number: int
) -> CrmRecord | str:
    """The record, or the reason it is quarantined (it has the header's field count)."""
    fields = {column: value for column, value in zip(header, values, strict=True) if value != ""}
    record_id = fields.get("Id")
    if record_id is None:
        return "empty Id"
    version_text = next((fields[c] for c in VERSION_COLUMNS if c in fields), None)
    if version_text is None:
        return f"empty {' and '.join(VERSION_COLUMNS)}"
    version_at = iso_utc(version_text)
    if version_at is None:
        return f"version time {version_text!r} is not an ISO 8601 date-time"
    is_deleted = fields.get("IsDeleted", "false").lower()
    if is_deleted not in ("true", "false", "1", "0"):
        return f"IsDeleted {fields['IsDeleted']!r} is not a boolean"
    unknown = sorted(set(header) - crm_object.known)
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return CrmRecord(
        # Same record in another export (other column order): same hash, a duplicate.
        record_hash=hashlib.sha1(f"{crm_object.name}|{canonical}".encode()).hexdigest(),
        line_number=line_number,
        object_name=crm_object.name,
        record_id=record_id,
        version_at=version_at,
        is_deleted=is_deleted in ("true", "1"),
        fields=canonical,
        unknown_columns=json.dumps(unknown) if unknown else None,
    )
