"""The simulated center's CRM, exported as Salesforce's bulk export writes it (one CSV per
object, field API names as the header, ISO 8601 UTC times such as 2026-10-12T13:05:00.000Z,
booleans true/false), consistent with the simulated calls.

- User: a team lead (no extension) per team and one User per agent (Extension = agent id,
  Department = team, Division = site, CreatedDate = hire date); an agent who moves team gets
  a new version in `User_<date>.csv`, stamped at local midnight of the move.
- Account and Contact: one account per CRM contact among the callers; phones as people type
  them into a CRM ((555) 123-4567, 555-123-4567, +1 555 123 4567, 555.123.4567).
- Case: one per answered call of a contact (Origin Phone, created at the answer), plus cases
  by e-mail, web, chat and social media; Task: one call activity per answered call
  (CallType Inbound, CallObject = the caller's uniqueid, WhatId = its case), then one per
  connected telesales dial (CallType Outbound, CallObject = the dial's uniqueid, WhoId = the
  contact dialled if known, WhatId = the opportunity of an intent call).
- Telesales (simulate/outbound.py): their agents and team leads are Users after the inbound
  ones; Campaign: one per campaign, named by its CDR accountcode; Opportunity: one per intent
  call, as it stands at the end of the period (Closed Won, Closed Lost, or still open with its
  expected CloseDate), with the contact's account (none for a number the CRM did not know)
  and the campaign's Id.

Drift and faults, each recorded as a `CrmFault`: an incremental Contact export with its
columns reordered, an unknown column and changed records; an incremental Account export
without the optional Industry; an incremental Case export deleting a few cases (one a
complaint linked to a call); and an Opportunity export without its required Id, which the
parser quarantines whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from orchestration.lib.center_config import CenterConfig
from orchestration.simulate.config import Simulation, StaffMember
from orchestration.simulate.inbound import CallTruth, Customer, SimulatedCenter
from orchestration.sources.crm import CRM_OBJECTS

FIRST_NAMES = (
    "Ava", "Ben", "Chloe", "Diego", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jamal", "Kira",
    "Liam", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Yara", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Baker", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jones",
    "Kowalski", "Lopez", "Murphy", "Nguyen", "O'Brien", "Patel", "Rossi", "Silva", "Taylor",
    "Walsh", "Young",
)  # fmt: skip
INDUSTRIES = ("Retail", "Healthcare", "Finance", "Education", "Manufacturing", "Hospitality")
ACCOUNT_TYPES = ("Customer - Direct", "Customer - Channel")
# Values of the custom fields a center config may declare; any other gets generic values.
CUSTOM_FIELD_VALUES = {
    "Tier__c": ("Gold", "Silver", "Bronze"),
    "Risk_Level__c": ("Low", "Medium", "High"),
    "Member_Level__c": ("Basic", "Plus", "Premium"),
}
GENERIC_CUSTOM_VALUES = ("A", "B", "C")
# Case types but Complaint (whose share the config sets), most common first, and reasons.
CASE_TYPES = {
    "Billing": (30, ("Invoice question", "Payment failed", "Refund request")),
    "Technical": (22, ("Cannot log in", "Error message", "Setup help")),
    "Order": (14, ("Order status", "Change order")),
    "Delivery": (11, ("Late delivery", "Wrong address")),
    "Account": (8, ("Update details", "Password reset")),
    "Returns": (6, ("Return label", "Damaged item")),
    "Warranty": (4, ("Repair", "Replacement")),
    "Cancellation": (3, ("Too expensive", "Moving to a competitor")),
}
COMPLAINT = "Complaint"
COMPLAINT_REASONS = ("Agent behaviour", "Long wait", "Product quality")
PRIORITIES = (("Low", 25), ("Medium", 55), ("High", 20))
OTHER_ORIGINS = (("Email", 45), ("Web", 30), ("Chat", 20), ("Social", 5))
LANGUAGES = ("English", "Spanish", "French", "Chinese")
# Phone formats CRM users type.
PHONE_FORMATS: tuple[Callable[[str], str], ...] = (
    lambda n: f"({n[:3]}) {n[3:6]}-{n[6:]}",
    lambda n: f"{n[:3]}-{n[3:6]}-{n[6:]}",
    lambda n: f"+1 {n[:3]} {n[3:6]} {n[6:]}",
    lambda n: f"{n[:3]}.{n[3:6]}.{n[6:]}",
)
UNKNOWN_COLUMN = "Preferred_Language__c"
QUARANTINED_FILE = "Opportunity_bad.csv"
DELETED_CASE_COUNT = 3
_AUDIT = ("CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted")


@dataclass(frozen=True)
class CrmFault:
    """One thing the CRM export breaks on purpose: per kind, the file and the record (or the
    column, in `detail`) concerned."""

    # reordered_columns | unknown_column | changed_record | missing_optional_column |
    # deleted_record | missing_required_column | quarantined_record
    kind: str
    file: str
    record_id: str  # empty when the fault is the file's (a column)
    detail: str  # the column, the changed field, or the quarantined line ("line 3")


@dataclass(frozen=True)
class CrmFaults:
    rows: tuple[CrmFault, ...] = ()

    def of_kind(self, kind: str) -> list[CrmFault]:
        return [row for row in self.rows if row.kind == kind]

    @property
    def quarantined_files(self) -> dict[str, int]:
        """Files missing a required column, and how many records each (all quarantined)."""
        return dict(Counter(row.file for row in self.of_kind("quarantined_record")))

    @property
    def unknown_columns(self) -> set[str]:
        """As `<Object>.<column>`, the way the ingest reports them."""
        return {f"{r.file.split('_')[0]}.{r.detail}" for r in self.of_kind("unknown_column")}

    @property
    def deleted_record_ids(self) -> set[str]:
        return {row.record_id for row in self.of_kind("deleted_record")}


@dataclass(frozen=True)
class CaseTruth:
    case_id: str
    call_id: str | None  # the answered call it was opened on; None for other channels
    contact_id: str
    type: str
    reason: str
    origin: str
    created_epoch: int
    is_deleted: bool  # final state


@dataclass(frozen=True)
class AgentVersion:
    """An agent's team from a local day on (the first version from the hire date)."""

    agent_id: str
    user_id: str
    team: str
    site: str
    hired: dt.date
    valid_from: dt.date


@dataclass
class CrmExport:
    # File name (under crm/) -> header and rows, in writing order.
    files: dict[str, tuple[list[str], list[list[str]]]] = field(default_factory=dict)
    cases: list[CaseTruth] = field(default_factory=list)
    agents: list[AgentVersion] = field(default_factory=list)
    faults: CrmFaults = CrmFaults()


def contact_id(customer: Customer) -> str:
    return f"003SIM{customer.number:09d}"


def account_id(customer: Customer) -> str:
    return f"001SIM{customer.number:09d}"


def user_id(agent_id: str) -> str:
    """An agent's User Id, from its id (the queue_log interface is PJSIP/<agent_id>)."""
    return f"005SIM{agent_id:0>7}"


def iso_utc(epoch: float) -> str:
    """Salesforce's form: 2026-10-12T13:05:00.000Z."""
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="milliseconds") + "Z"


def crm_export(center: SimulatedCenter, config: CenterConfig) -> CrmExport:
    """The CRM files of the simulated center, its cases and agents' versions, and faults."""
    simulation = config.simulation
    assert simulation is not None
    return _CrmWriter(center, config, simulation).run()


class _CrmWriter:
    def __init__(self, center: SimulatedCenter, config: CenterConfig, sim: Simulation) -> None:
        self.center, self.config, self.sim = center, config, sim
        self.rng = random.Random(sim.seed + 3)
        self.zone = ZoneInfo(config.center.timezone)
        self.out = CrmExport()
        self.faults: list[CrmFault] = []
        self.contacts = sorted(
            {c.customer for c in center.calls if c.customer and c.customer.is_crm_contact},
            key=lambda customer: customer.number,
        )
        self.start = self._local_midnight(sim.day)
        self.case_count = 0

    def run(self) -> CrmExport:
        self._users()
        self._accounts_and_contacts()
        case_of_call = self._cases()
        self._tasks(case_of_call)
        self._campaigns_and_opportunities()
        self._quarantined_opportunities()
        self.out.faults = CrmFaults(tuple(self.faults))
        return self.out

    # ---------- helpers
    def _local_midnight(self, day: dt.date) -> int:
        return int(dt.datetime.combine(day, dt.time(), tzinfo=self.zone).timestamp())

    def _file(self, name: str, header: list[str], rows: list[dict[str, str]]) -> None:
        self.out.files[name] = (header, [[row.get(c, "") for c in header] for row in rows])

    def _header(self, crm_object: str) -> list[str]:
        """The object's columns as the parser knows them, its custom fields in the config,
        then the audit columns."""
        known = CRM_OBJECTS[crm_object.lower()]
        columns = [c for c in (*known.required, *known.optional) if c not in _AUDIT]
        custom = self.config.crm.custom_fields.get(crm_object, [])
        return [*columns, *custom, *_AUDIT]

    def _name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def _custom_fields(self, crm_object: str) -> dict[str, str]:
        return {
            name: self.rng.choice(CUSTOM_FIELD_VALUES.get(name, GENERIC_CUSTOM_VALUES))
            for name in self.config.crm.custom_fields.get(crm_object, [])
        }

    def _versions(self, created: int, modified: int | None = None) -> dict[str, str]:
        stamp = iso_utc(created if modified is None else modified)
        return {
            "CreatedDate": iso_utc(created),
            "LastModifiedDate": stamp,
            "SystemModstamp": stamp,
            "IsDeleted": "false",
        }

    def _weighted(self, choices: Iterable[tuple[str, float]]) -> str:
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights)[0]

    # ---------- objects
    def _users(self) -> None:
        """Team leads and agents (full export), and a new version per team move: the inbound
        teams, then the telesales teams (their own random stream and the names the dials
        carry in the CDR, so the inbound export stays as it was)."""
        leads: dict[str, str] = {}
        users, moves = self._staff_users(self.sim.agents, self.rng, leads)
        outbound = self.center.outbound
        if self.sim.outbound is not None and outbound is not None:
            rng = random.Random(self.sim.seed + 13)
            more, more_moves = self._staff_users(
                self.sim.outbound.agents, rng, leads, outbound.agent_names
            )
            users += more
            for day, changed in more_moves.items():
                moves.setdefault(day, []).extend(changed)
        header = self._header("User")
        self._file("User.csv", header, users)
        for day, changed in sorted(moves.items()):
            self._file(f"User_{day.isoformat()}.csv", header, changed)

    def _staff_users(
        self,
        agents: Sequence[StaffMember],
        rng: random.Random,
        leads: dict[str, str],
        names: dict[str, str] | None = None,
    ) -> tuple[list[dict[str, str]], dict[dt.date, list[dict[str, str]]]]:
        """Users of a lead per new team and of the agents, and the agents' team moves by day;
        `leads` (team -> lead Id) gains the new teams' leads."""
        teams = list(dict.fromkeys(t for a in agents for t in [a.team, *(m.team for m in a.moves)]))
        site_of_team = {a.team: a.site for a in reversed(agents)}
        users = []
        lead_created = self._local_midnight(self.sim.day.replace(year=self.sim.day.year - 6))
        for team in (t for t in teams if t not in leads):
            leads[team] = lead_id = f"005SIML{len(leads) + 1:06d}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            users.append(
                {
                    "Id": lead_id,
                    "Name": f"{first} {last}",
                    "Department": team,
                    "Username": f"{first}.{last}.lead@demo-center.example".lower(),
                    "Division": site_of_team.get(team, agents[0].site),
                    "IsActive": "true",
                    **self._versions(lead_created),
                }
            )
        moves: dict[dt.date, list[dict[str, str]]] = {}
        for agent in agents:
            if names is None:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            else:
                first, last = names[agent.agent_id].split(" ", 1)
            hired = agent.hire_date(self.sim.day)
            user = {
                "Id": user_id(agent.agent_id),
                "Name": f"{first} {last}",
                "Username": f"{first}.{last}.{agent.agent_id}@demo-center.example".lower(),
                "Extension": agent.agent_id,
                "ManagerId": leads[agent.team],
                "Department": agent.team,
                "Division": agent.site,
                "IsActive": "true",
                **self._versions(self._local_midnight(hired)),
            }
            users.append(user)
            self.out.agents.append(
                AgentVersion(agent.agent_id, user["Id"], agent.team, agent.site, hired, hired)
            )
            for move in agent.moves:
                stamp = self._local_midnight(move.on)
                user = {
                    **user,
                    "Department": move.team,
                    "ManagerId": leads[move.team],
                    **self._versions(self._local_midnight(hired), stamp),
                }
                moves.setdefault(move.on, []).append(user)
                self.out.agents.append(
                    AgentVersion(agent.agent_id, user["Id"], move.team, agent.site, hired, move.on)
                )
        return users, moves

    def _accounts_and_contacts(self) -> None:
        """One account per contact, created before the period; then drift: contacts changed
        mid-period in a reordered export with an unknown column, accounts changed in an
        export without Industry."""
        account_header = self._header("Account")
        contact_custom = self.config.crm.custom_fields.get("Contact", [])
        contact_header = self._header("Contact")
        accounts, contacts = [], []
        for customer in self.contacts:
            first, last = self._name()
            created = self.start - self.rng.randrange(30 * 86400, 3 * 365 * 86400)
            company = self.rng.random() < 0.3
            accounts.append(
                {
                    "Id": account_id(customer),
                    "Type": self.rng.choice(ACCOUNT_TYPES),
                    "Name": f"{last} {self.rng.choice(INDUSTRIES)} Ltd"
                    if company
                    else f"{last} Household",
                    "Industry": self.rng.choice(INDUSTRIES),
                    **self._custom_fields("Account"),
                    **self._versions(created),
                }
            )
            phone_format = self.rng.choice(PHONE_FORMATS)
            contacts.append(
                {
                    "Id": contact_id(customer),
                    "AccountId": account_id(customer),
                    "Name": f"{first} {last}",
                    "Phone": phone_format(customer.phone),
                    "MobilePhone": phone_format(customer.mobile) if customer.mobile else "",
                    **self._custom_fields("Contact"),
                    **self._versions(created),
                }
            )
        self._file("Account.csv", account_header, accounts)
        self._file("Contact.csv", contact_header, contacts)
        if not self.contacts:
            return
        self._changed_contacts(contacts, contact_header, contact_custom)
        self._accounts_without_industry(accounts, account_header)

    def _changed_contacts(
        self, contacts: list[dict[str, str]], header: list[str], custom: list[str]
    ) -> None:
        """Mid-period: some contacts' phones retyped in another format (the same number) or
        their first custom field changed, exported with the columns reordered and a column
        the warehouse does not know."""
        day = self.sim.day + dt.timedelta(days=self.sim.days // 2)
        name = f"Contact_{day.isoformat()}.csv"
        stamp = self._local_midnight(day) + 2 * 3600
        changed = []
        for contact in self.rng.sample(contacts, max(1, len(contacts) // 50)):
            new = {**contact, **self._versions(0, stamp), UNKNOWN_COLUMN: "English"}
            new["CreatedDate"] = contact["CreatedDate"]
            if custom and self.rng.random() < 0.5:
                values = CUSTOM_FIELD_VALUES.get(custom[0], GENERIC_CUSTOM_VALUES)
                new[custom[0]] = next(v for v in values if v != contact.get(custom[0]))
                changed_field = custom[0]
            else:
                digits = "".join(ch for ch in contact["Phone"] if ch.isdigit())[-10:]
                formats = [f(digits) for f in PHONE_FORMATS]
                new["Phone"] = next(p for p in formats if p != contact["Phone"])
                changed_field = "Phone"
            new[UNKNOWN_COLUMN] = self.rng.choice(LANGUAGES)
            changed.append(new)
            self.faults.append(CrmFault("changed_record", name, new["Id"], changed_field))
        reordered = [header[-3], *reversed(header[:-3]), UNKNOWN_COLUMN, *header[-2:]]
        self._file(name, reordered, changed)
        self.faults += [
            CrmFault("reordered_columns", name, "", ",".join(reordered)),
            CrmFault("unknown_column", name, "", UNKNOWN_COLUMN),
        ]

    def _accounts_without_industry(self, accounts: list[dict[str, str]], header: list[str]) -> None:
        """A week in: some accounts change type, in an export that lacks the optional
        Industry column (their newest version has no industry)."""
        day = self.sim.day + dt.timedelta(days=min(7, self.sim.days - 1))
        name = f"Account_{day.isoformat()}.csv"
        stamp = self._local_midnight(day) + 3 * 3600
        changed = []
        for account in self.rng.sample(accounts, max(1, len(accounts) // 100)):
            new = {**account, **self._versions(0, stamp), "CreatedDate": account["CreatedDate"]}
            new["Type"] = next(t for t in ACCOUNT_TYPES if t != account["Type"])
            changed.append(new)
            self.faults.append(CrmFault("changed_record", name, new["Id"], "Type"))
        self._file(name, [c for c in header if c != "Industry"], changed)
        self.faults.append(CrmFault("missing_optional_column", name, "", "Industry"))

    def _case_type(self) -> tuple[str, str]:
        if self.rng.random() < self.sim.customers.complaint_share:
            return COMPLAINT, self.rng.choice(COMPLAINT_REASONS)
        case_type = self._weighted((t, w) for t, (w, _) in CASE_TYPES.items())
        return case_type, self.rng.choice(CASE_TYPES[case_type][1])

    def _cases(self) -> dict[str, str]:
        """A phone case per answered call of a contact, cases of the other channels each day,
        and the deleted cases' export; returns the case id per call id."""
        header = self._header("Case")
        cases: list[tuple[dict[str, str], CaseTruth]] = []
        case_of_call: dict[str, str] = {}
        for call in self.center.calls:
            customer = call.customer
            if customer is None or not customer.is_crm_contact or call.answered_epoch is None:
                continue
            assert call.agent is not None and call.is_resolved is not None
            case = self._case(
                customer,
                "Phone",
                call.answered_epoch,
                call.ended_epoch,
                call.is_resolved,
                user_id(call.agent.split("/")[-1]),
                call,
            )
            case_of_call[call.call_id] = case[0]["Id"]
            cases.append(case)
        cases += self._other_channel_cases()
        cases.sort(key=lambda case: (case[1].created_epoch, case[1].case_id))
        self._file("Case.csv", header, [row for row, _ in cases])
        deleted = self._deleted_cases(header, cases)
        self.out.cases = [
            dataclasses.replace(truth, is_deleted=truth.case_id in deleted) for _, truth in cases
        ]
        return case_of_call

    def _case(
        self,
        customer: Customer,
        origin: str,
        created: int,
        modified: int,
        is_closed: bool,
        owner: str,
        call: CallTruth | None = None,
    ) -> tuple[dict[str, str], CaseTruth]:
        self.case_count += 1
        case_id = f"500SIM{self.case_count:09d}"
        case_type, reason = self._case_type()
        priority = "High" if case_type == COMPLAINT else self._weighted(PRIORITIES)
        row = {
            "Id": case_id,
            "ContactId": contact_id(customer),
            "AccountId": account_id(customer),
            "Origin": origin,
            "Type": case_type,
            "Reason": reason,
            "Status": "Closed" if is_closed else "Escalated",
            "Priority": priority,
            "ClosedDate": iso_utc(modified) if is_closed else "",
            "OwnerId": owner,
            **self._versions(created, modified),
        }
        truth = CaseTruth(
            case_id,
            call.call_id if call else None,
            contact_id(customer),
            case_type,
            reason,
            origin,
            created,
            False,
        )
        return row, truth

    def _other_channel_cases(self) -> list[tuple[dict[str, str], CaseTruth]]:
        """Cases opened by e-mail, web, chat or social media, at any hour of each day."""
        cases = []
        for offset in range(self.sim.days):
            day = self.sim.day + dt.timedelta(days=offset)
            factor = self.sim.weekend_factor if day.weekday() >= 5 else 1.0
            midnight = self._local_midnight(day)
            length = self._local_midnight(day + dt.timedelta(days=1)) - midnight
            for _ in range(round(self.sim.customers.other_channel_cases_per_day * factor)):
                if not self.contacts:
                    break
                created = midnight + self.rng.randrange(length)
                agent = self.rng.choice(self.sim.agents)
                cases.append(
                    self._case(
                        self.rng.choice(self.contacts),
                        self._weighted(OTHER_ORIGINS),
                        created,
                        created + self.rng.randrange(600, 2 * 86400),
                        self.rng.random() < 0.8,
                        user_id(agent.agent_id),
                    )
                )
        return cases

    def _deleted_cases(
        self, header: list[str], cases: list[tuple[dict[str, str], CaseTruth]]
    ) -> set[str]:
        """The last day's incremental export deletes a few cases created before it, one of
        them a complaint opened on a call (so the delete changes the complaint rate)."""
        day = self.sim.day + dt.timedelta(days=self.sim.days - 1)
        name = f"Case_{day.isoformat()}.csv"
        stamp = self._local_midnight(day) + 6 * 3600
        before = [case for case in cases if case[1].created_epoch < stamp - 3600]
        complaints = [c for c in before if c[1].type == COMPLAINT and c[1].call_id is not None]
        chosen = self.rng.sample(complaints, min(1, len(complaints)))
        others = [case for case in before if case not in chosen]
        chosen += self.rng.sample(others, min(DELETED_CASE_COUNT - len(chosen), len(others)))
        rows = []
        for row, truth in sorted(chosen, key=lambda case: case[1].case_id):
            rows.append({**row, **self._versions(truth.created_epoch, stamp), "IsDeleted": "true"})
            self.faults.append(CrmFault("deleted_record", name, truth.case_id, truth.type))
        self._file(name, header, rows)
        return {truth.case_id for _, truth in chosen}

    def _tasks(self, case_of_call: dict[str, str]) -> None:
        """A call activity per answered call (test calls aside), by its last agent."""
        header = self._header("Task")
        tasks = []
        for call in self.center.calls:
            if call.answered_epoch is None or call.is_test_call:
                continue
            assert call.agent is not None
            customer = call.customer
            is_contact = customer is not None and customer.is_crm_contact
            local_day = dt.datetime.fromtimestamp(call.answered_epoch, self.zone).date()
            tasks.append(
                {
                    "Id": f"00TSIM{len(tasks) + 1:09d}",
                    "WhoId": contact_id(customer) if customer and is_contact else "",
                    "WhatId": case_of_call.get(call.call_id, ""),
                    "OwnerId": user_id(call.agent.split("/")[-1]),
                    "CallObject": call.call_id,
                    "CallType": "Inbound",
                    "CallDisposition": "Resolved" if call.is_resolved else "Follow-up",
                    "CallDurationInSeconds": str(call.talk_seconds),
                    "ActivityDate": local_day.isoformat(),
                    **self._versions(call.answered_epoch, call.ended_epoch),
                }
            )
        tasks += self._outbound_tasks(len(tasks))
        self._file("Task.csv", header, tasks)

    def _outbound_tasks(self, numbered: int) -> list[dict[str, str]]:
        """A call activity per connected dial, after the inbound ones (`numbered` of them)."""
        outbound = self.center.outbound
        tasks: list[dict[str, str]] = []
        for call in outbound.calls if outbound else []:
            attempt = call.attempt
            if not attempt.is_connect:
                continue
            assert attempt.answer_epoch is not None and attempt.disposition_crm is not None
            tasks.append(
                {
                    "Id": f"00TSIM{numbered + len(tasks) + 1:09d}",
                    "WhoId": contact_id(call.customer) if call.customer else "",
                    "WhatId": attempt.opportunity_id or "",
                    "OwnerId": user_id(attempt.agent_id),
                    "CallObject": attempt.uniqueid,
                    "CallType": "Outbound",
                    "CallDisposition": attempt.disposition_crm,
                    "CallDurationInSeconds": str(attempt.billsec),
                    "ActivityDate": attempt.local_date.isoformat(),
                    **self._versions(attempt.answer_epoch, attempt.end_epoch),
                }
            )
        return tasks

    def _campaigns_and_opportunities(self) -> None:
        """The telesales campaigns (named by their CDR accountcode), running from two weeks
        before the period to a month after it, and the intent calls' opportunities as they
        stand when the export is taken, at the end of the period."""
        outbound, telesales = self.center.outbound, self.sim.outbound
        if outbound is None or telesales is None:
            return
        first, last = self.sim.day, self.sim.day + dt.timedelta(days=self.sim.days - 1)
        starts = first - dt.timedelta(days=14)
        campaigns = [
            {
                "Id": outbound.campaign_ids[campaign.accountcode],
                "Name": campaign.accountcode,
                "Type": "Telemarketing",
                "Status": "In Progress",
                "StartDate": starts.isoformat(),
                "EndDate": (last + dt.timedelta(days=30)).isoformat(),
                **self._versions(self._local_midnight(starts)),
            }
            for campaign in telesales.campaigns
        ]
        self._file("Campaign.csv", self._header("Campaign"), campaigns)
        opportunities = []
        for call in outbound.calls:
            opportunity, attempt = call.opportunity, call.attempt
            if opportunity is None:
                continue
            opportunities.append(
                {
                    "Id": opportunity.opportunity_id,
                    "StageName": opportunity.stage,
                    "AccountId": account_id(call.customer) if call.customer else "",
                    "OwnerId": user_id(attempt.agent_id),
                    "Amount": str(opportunity.amount),
                    "IsWon": str(opportunity.stage == "Closed Won").lower(),
                    "CloseDate": opportunity.close_date.isoformat(),
                    "CampaignId": outbound.campaign_ids[attempt.campaign],
                    **self._versions(opportunity.created_epoch, opportunity.modified_epoch),
                }
            )
        self._file("Opportunity.csv", self._header("Opportunity"), opportunities)

    def _quarantined_opportunities(self) -> None:
        """An Opportunity export that lost its Id column: the parser quarantines it whole."""
        header = ["Name", "StageName", "Amount", "CloseDate", "AccountId", "SystemModstamp"]
        rows = []
        for index, customer in enumerate(self.contacts[:5]):
            rows.append(
                {
                    "Name": f"Renewal {index + 1}",
                    "StageName": "Prospecting",
                    "Amount": str(self.rng.randrange(100, 5000)),
                    "CloseDate": (self.sim.day + dt.timedelta(days=30)).isoformat(),
                    "AccountId": account_id(customer),
                    "SystemModstamp": iso_utc(self.start),
                }
            )
        self._file(QUARANTINED_FILE, header, rows)
        self.faults.append(CrmFault("missing_required_column", QUARANTINED_FILE, "", "Id"))
        self.faults += [
            CrmFault("quarantined_record", QUARANTINED_FILE, "", f"line {line}")
            for line in range(2, len(rows) + 2)
        ]
