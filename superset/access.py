"""Roles, row-level security and the demo's users, as access.yaml describes them.

Called by bootstrap.py inside a Superset app context, after the assets are imported (the
datasets must exist). Each bootstrap rebuilds our roles' permissions and row filters from the
file, so an edit to it takes effect at the next bootstrap. A dataset's grant and row filter
follow its mart: the Chinese dashboards' copy (mart_cx_daily_zh) with mart_cx_daily.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import languages  # superset/languages.py: this folder is on sys.path (bootstrap runs as a script)
import yaml

ACCESS_FILE = Path(__file__).resolve().parent / "access.yaml"
CENTER_MANAGER, TEAM_LEAD, AGENT, QA, SHARED_ANALYST = (
    "Center manager", "Team lead", "Agent", "QA", "Shared analyst",
)  # fmt: skip


def read_roles(path: Path = ACCESS_FILE) -> dict[str, dict[str, Any]]:
    return yaml.safe_load(path.read_text())["roles"]


def apply_roles(roles: dict[str, dict[str, Any]]) -> None:
    """Creates or rebuilds each role: base permissions, dataset access, its row filter."""
    from superset.connectors.sqla.models import RowLevelSecurityFilter, SqlaTable
    from superset.extensions import db, security_manager
    from superset.utils.core import RowLevelSecurityFilterType

    datasets = db.session.query(SqlaTable).all()
    for name, spec in roles.items():
        role = security_manager.find_role(name) or security_manager.add_role(name)
        granted = [d for d in datasets if _matches(d.table_name, spec["datasets"])]
        permissions = {
            p for base in spec["base"] for p in security_manager.find_role(base).permissions
        }
        for dataset in granted:
            permissions.add(
                security_manager.add_permission_view_menu("datasource_access", dataset.get_perm())
            )
        role.permissions = sorted(permissions, key=lambda p: p.id)
        rule_name = f"{name}: own rows"
        # One by one: the ORM then drops the rule's role and table links too (a bulk delete
        # leaves them, and SQLite refuses it on a second bootstrap of the same home).
        for rule in db.session.query(RowLevelSecurityFilter).filter_by(name=rule_name):
            db.session.delete(rule)
        db.session.flush()
        if row_filter := spec.get("row_filter"):
            db.session.add(
                RowLevelSecurityFilter(
                    name=rule_name,
                    description=spec["description"],
                    filter_type=RowLevelSecurityFilterType.REGULAR.value,
                    clause=" ".join(row_filter["clause"].split()),
                    roles=[role],
                    tables=[
                        d
                        for d in granted
                        if row_filter["column"] in {c.column_name for c in d.columns}
                    ],
                )
            )
    db.session.commit()


def _matches(table: str, patterns: list[str]) -> bool:
    """A dataset matches by its mart's name: a dashboard language's copy with its mart."""
    return any(fnmatch.fnmatchcase(languages.english_name(table), p) for p in patterns)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str


def demo_users(serving: Path) -> list[DemoUser]:
    """One user per role for the demo: the center manager, QA and a shared analyst, and from
    the agent dimension every current team lead and every current agent in the CRM."""
    import duckdb

    with duckdb.connect(str(serving), read_only=True) as con:
        leads = con.execute(
            "select distinct manager_user_id, manager_name from marts.dim_agents"
            " where is_current and manager_user_id is not null order by 1"
        ).fetchall()
        agents = con.execute(
            "select crm_user_id, agent_name from marts.dim_agents"
            " where is_current and crm_user_id is not null order by 1"
        ).fetchall()
    users = [
        DemoUser("manager", "Center", "Manager", CENTER_MANAGER),
        DemoUser("qa", "Quality", "Analyst", QA),
        DemoUser("analyst", "Shared", "Analyst", SHARED_ANALYST),
    ]
    for role, people in ((TEAM_LEAD, leads), (AGENT, agents)):
        for user_id, full_name in people:
            first, _, last = full_name.partition(" ")
            users.append(DemoUser(user_id, first, last or first, role))
    return users


def ensure_users(users: list[DemoUser], password: str | None) -> None:
    """Creates missing users with `password`; existing users keep theirs but get their role."""
    from superset.extensions import db, security_manager

    for user in users:
        role = security_manager.find_role(user.role)
        existing = security_manager.find_user(username=user.username)
        if existing is None:
            created = security_manager.add_user(
                user.username, user.first_name, user.last_name,
                f"{user.username.lower()}@users.localhost", role, password=password,
            )  # fmt: skip
            if not created:
                raise RuntimeError(f"could not create the Superset user {user.username}")
        else:
            existing.roles = [role]
    db.session.commit()
