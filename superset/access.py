"""Roles, row-level security and the demo's users, as access.yaml describes them.

One table, role -> dashboards (spec names): each role reads every dataset behind the charts
and filters of its dashboards (role_datasets, from the specs) plus the extra datasets it lists,
and each dashboard the bundle renders from a spec, in every language, carries the roles given
that spec (DASHBOARD_RBAC), so a role lists exactly its dashboards.

Called by bootstrap.py inside a Superset app context, after the assets are imported (the
datasets and dashboards must exist). Each bootstrap rebuilds our roles' permissions, row
filters and dashboard roles from the file, so an edit to it takes effect at the next bootstrap.
A dataset's grant and row filter follow its mart: the Chinese dashboards' copy
(mart_cx_daily_zh) with mart_cx_daily.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
# Sibling modules: on sys.path when bootstrap.py runs as a script, and put there when loaded
# by path.
sys.path.insert(0, str(HERE))
import build_assets  # noqa: E402
import languages  # noqa: E402
from dashboard_bundle import read_specs  # noqa: E402

ACCESS_FILE = HERE / "access.yaml"
RENDERED_DASHBOARDS_DIR = HERE / "assets" / "dashboards"
CENTER_MANAGER, QA, SHARED_ANALYST = "Center manager", "QA", "Shared analyst"
SUPPORT_LEAD, TELESALES_LEAD = "Support team lead", "Telesales team lead"
AGENT, TELESALES_AGENT = "Agent", "Telesales agent"
# A telesales team is one whose agents dial the outbound campaigns: it has funnel rows.
TELESALES_TEAMS = "select team_name from marts.mart_outbound_funnel_daily"

Spec = Mapping[str, Any]


def read_roles(path: Path = ACCESS_FILE) -> dict[str, dict[str, Any]]:
    return yaml.safe_load(path.read_text())["roles"]


def dashboard_datasets(spec: Spec) -> set[str]:
    """The datasets a dashboard spec reads: those of its charts and of its native filters."""
    charts = {chart["dataset"] for chart in spec["charts"].values()}
    return charts | {f["dataset"] for f in spec.get("filters", []) if "dataset" in f}


def role_dashboards(role: Spec, specs: Mapping[str, Spec]) -> list[str]:
    """The spec names a role's `dashboards` match; a name (or glob) matching no spec is an
    error, so a renamed or missing dashboard cannot silently drop out of a role."""
    unmatched = [p for p in role["dashboards"] if not any(_matches(n, [p]) for n in specs)]
    if unmatched:
        raise ValueError(f"access.yaml names no dashboard spec {unmatched}: see {sorted(specs)}")
    return [name for name in specs if _matches(name, role["dashboards"])]


def role_datasets(role: Spec, specs: Mapping[str, Spec], tables: Iterable[str]) -> set[str]:
    """Every dataset behind the role's dashboards, and the `tables` its `datasets` match."""
    behind = set().union(*(dashboard_datasets(specs[n]) for n in role_dashboards(role, specs)))
    patterns = [*role.get("datasets", []), *behind]  # a language's copy matches as its mart
    return behind | {table for table in tables if _matches(table, patterns)}


def rendered_dashboards(folder: Path = RENDERED_DASHBOARDS_DIR) -> dict[str, str]:
    """Dashboard uuid -> the spec it is rendered from, for every dashboard of the bundle (each
    language version of a spec names the spec in its generated header)."""
    rendered = {}
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text()
        rendered[str(yaml.safe_load(text)["uuid"])] = Path(build_assets.generated_from(text)).stem
    return rendered


def apply_roles(roles: dict[str, dict[str, Any]]) -> None:
    """Creates or rebuilds each role: base permissions, dataset access, its row filter; then
    gives every dashboard of the bundle the roles whose table names its spec."""
    from superset.connectors.sqla.models import RowLevelSecurityFilter, SqlaTable
    from superset.extensions import db, security_manager
    from superset.models.dashboard import Dashboard
    from superset.utils.core import RowLevelSecurityFilterType

    specs = read_specs()
    datasets = {d.table_name: d for d in db.session.query(SqlaTable)}
    for name, spec in roles.items():
        role = security_manager.find_role(name) or security_manager.add_role(name)
        names = role_datasets(spec, specs, datasets)
        if missing := names - set(datasets):
            raise RuntimeError(f"{name}: dashboards read datasets not imported: {missing}")
        granted = [datasets[table] for table in sorted(names)]
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
                        if filters_rows(
                            row_filter, d.table_name, [c.column_name for c in d.columns]
                        )
                    ],
                )
            )
    readers: dict[str, list[Any]] = {spec: [] for spec in specs}
    for name, spec in roles.items():
        for dashboard in role_dashboards(spec, specs):
            readers[dashboard].append(security_manager.find_role(name))
    # Every dashboard of ours gets roles: Superset then shows it to those roles only (with
    # none, it would show it to anyone reading one of its datasets).
    rendered = rendered_dashboards()
    for dashboard in db.session.query(Dashboard):
        if (spec_name := rendered.get(str(dashboard.uuid))) is not None:
            dashboard.roles = readers[spec_name]
    db.session.commit()


def filters_rows(row_filter: Spec, table: str, columns: Iterable[str]) -> bool:
    """Whether a role's row filter applies to a dataset: it has the column, and no `except`
    glob names it."""
    return row_filter["column"] in columns and not _matches(table, row_filter.get("except", []))


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
    the agent dimension every current team lead and every current agent in the CRM, in the
    telesales role when their team dials the outbound campaigns (TELESALES_TEAMS)."""
    import duckdb

    with duckdb.connect(str(serving), read_only=True) as con:
        leads = con.execute(
            "select manager_user_id, min(manager_name),"
            f" bool_or(team_name in ({TELESALES_TEAMS})) from marts.dim_agents"
            " where is_current and manager_user_id is not null group by 1 order by 1"
        ).fetchall()
        agents = con.execute(
            f"select crm_user_id, agent_name, coalesce(team_name in ({TELESALES_TEAMS}), false)"
            " from marts.dim_agents where is_current and crm_user_id is not null order by 1"
        ).fetchall()
    users = [
        DemoUser("manager", "Center", "Manager", CENTER_MANAGER),
        DemoUser("qa", "Quality", "Analyst", QA),
        DemoUser("analyst", "Shared", "Analyst", SHARED_ANALYST),
    ]
    for (support, telesales), people in (
        ((SUPPORT_LEAD, TELESALES_LEAD), leads),
        ((AGENT, TELESALES_AGENT), agents),
    ):
        for user_id, full_name, sells in people:
            first, _, last = full_name.partition(" ")
            users.append(DemoUser(user_id, first, last or first, telesales if sells else support))
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
