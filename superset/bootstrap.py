"""Set up (or update) a Superset home serving the warehouse: one process, one app start.

    .venv/bin/python superset/bootstrap.py --home var/superset --serving warehouse/serving.duckdb

Steps: metadata DB upgrade, roles and permissions, the `admin` user, import of the assets
bundle in superset/assets (overwriting databases, datasets, charts and dashboards; money
metrics in the currency of the center config, `$CENTER_CONFIG`), the
warehouse database pointed at the serving file, read-only, and the datasets' columns synced
from it (columns the center config adds, such as CRM custom fields), then the roles and
row-level security of access.yaml, and with --demo-users a user per role (superset/access.py).
Safe to re-run: it updates.

Doing all of it in one process with create_app() avoids the 11-16 s app start that each
`superset` CLI call pays. Run as a script: the folder name shadows the `superset` package.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import access  # superset/access.py: this folder is on sys.path when run as a script

HERE = Path(__file__).resolve().parent
CONFIG_PATH = HERE / "superset_config.py"
ASSETS_DIR = HERE / "assets"
DATABASE_FILE = ASSETS_DIR / "databases" / "warehouse.yaml"
ADMIN_USERNAME = "admin"
PASSWORD_ENV = "SUPERSET_ADMIN_PASSWORD"
SECRET_KEY_FILE = "secret_key"
ADMIN_PASSWORD_FILE = "admin_password"
DEMO_PASSWORD_ENV = "SUPERSET_DEMO_PASSWORD"
DEMO_PASSWORD_FILE = "demo_users_password"
DEFAULT_PORT = 8088


@dataclass(frozen=True)
class BootstrapResult:
    home: Path
    serving_uri: str
    admin_password_file: Path | None  # None when the password came from the environment
    seconds: float


def serving_uri(serving: Path) -> str:
    """Read-only, so Superset never takes DuckDB's writer lock on the serving file."""
    return f"duckdb:///{serving.resolve()}?access_mode=read_only"


def _write_private(path: Path, text: str) -> None:
    """Creates `path` readable by its owner only (0600 from creation, no umask window)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")


def secret_key(home: Path) -> str:
    """The install's secret key: generated on first use, kept in HOME/secret_key (0600)."""
    path = home / SECRET_KEY_FILE
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        _write_private(path, secrets.token_urlsafe(48))
    return path.read_text().strip()


def superset_env(home: Path) -> dict[str, str]:
    """Environment under which Superset (bootstrap or gunicorn) uses this home."""
    home = home.resolve()
    return {
        "SUPERSET_HOME": str(home),
        "SUPERSET_CONFIG_PATH": str(CONFIG_PATH),
        "SUPERSET_SECRET_KEY": secret_key(home),
    }


def read_bundle(assets_dir: Path = ASSETS_DIR, currency: str | None = None) -> dict[str, str]:
    """The bundle as ImportAssetsCommand expects it: bundle-relative path -> YAML text; with
    `currency` (an ISO 4217 code, the center config's), the money metrics of its datasets
    carry that currency instead of the bundle's default."""
    bundle = {
        path.relative_to(assets_dir).as_posix(): path.read_text()
        for path in sorted(assets_dir.rglob("*.yaml"))
    }
    if currency is not None:
        for name, text in bundle.items():
            if name.startswith("datasets/"):
                bundle[name] = _with_currency(text, currency)
    return bundle


def _with_currency(dataset_yaml: str, currency: str) -> str:
    import yaml

    config = yaml.safe_load(dataset_yaml)
    money = [metric for metric in config["metrics"] if metric.get("currency")]
    if not money:
        return dataset_yaml
    for metric in money:
        metric["currency"] = {**metric["currency"], "symbol": currency}
    return yaml.safe_dump(config, sort_keys=True, allow_unicode=True, width=100, indent=2)


def center_currency() -> str:
    """The currency of the center config the pipeline reads (`$CENTER_CONFIG`, else the
    demo's)."""
    from orchestration.resources import center_warehouse_from_env

    return center_warehouse_from_env().center_config().center.currency


def _database_uuid() -> str:
    import yaml

    return str(yaml.safe_load(DATABASE_FILE.read_text())["uuid"])


def _log(message: str) -> None:
    print(f"[superset bootstrap] {message}", flush=True)


@contextmanager
def _app_context(home: Path) -> Iterator[Any]:
    """A Superset app for this home; env is set first because Superset reads its config at
    import time."""
    os.environ.update(superset_env(home))
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        yield app


def _upgrade_metadata_db() -> None:
    from flask_migrate import upgrade

    upgrade()  # Superset registered its migrations folder with Flask-Migrate


def _sync_roles() -> None:
    """What `superset init` does: permissions for every view, then the built-in roles."""
    from superset.extensions import appbuilder, security_manager

    appbuilder.add_permissions(update_perms=True)
    security_manager.sync_role_definitions()


def _password(
    home: Path, env: str, file_name: str, user_exists: bool
) -> tuple[str | None, Path | None]:
    """(password to set or None to keep the current one, file holding it): from the
    environment variable `env`, else HOME/file_name, generated once (0600)."""
    if password := os.environ.get(env):
        return password, None
    path = home / file_name
    if path.exists():
        return (None if user_exists else path.read_text().strip()), path
    password = secrets.token_urlsafe(16)
    _write_private(path, password)
    # Printed once, at creation; afterwards it is only in the 0600 file.
    _log(f"{file_name.replace('_', ' ')} (also in {path}): {password}")
    return password, path


def _ensure_admin(home: Path) -> Path | None:
    from superset.extensions import db, security_manager

    user = security_manager.find_user(username=ADMIN_USERNAME)
    password, path = _password(home, PASSWORD_ENV, ADMIN_PASSWORD_FILE, user is not None)
    if user is None:
        created = security_manager.add_user(
            ADMIN_USERNAME,
            "Superset",
            "Admin",
            "admin@localhost",
            security_manager.find_role("Admin"),
            password=password,
        )
        if not created:
            raise RuntimeError("could not create the Superset admin user")
    elif password is not None:
        security_manager.reset_password(user.id, password)
    db.session.commit()
    return path


def _import_assets(dashboards_zip: Path | None, currency: str) -> None:
    """Our bundle through ImportAssetsCommand, which overwrites every asset in it, datasets
    included (the dashboard importer would leave datasets stale); or a dashboard export
    (Superset's "Export" of dashboards, a backup or another instance's) through the dashboard
    importer, as the UI imports it."""
    from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand
    from superset.commands.importers.v1.assets import ImportAssetsCommand
    from superset.commands.importers.v1.utils import get_contents_from_bundle
    from superset.extensions import security_manager
    from superset.utils.core import override_user

    with override_user(security_manager.find_user(username=ADMIN_USERNAME)):
        if dashboards_zip is None:
            ImportAssetsCommand(read_bundle(currency=currency)).run()
        else:
            with zipfile.ZipFile(dashboards_zip) as bundle:
                contents = get_contents_from_bundle(bundle)
            ImportDashboardsCommand(contents, overwrite=True).run()


def _point_database_at(uri: str) -> None:
    """The import resets the URI to the bundle's placeholder; set the real one after it."""
    from superset.commands.database.utils import add_permissions
    from superset.extensions import db
    from superset.models.core import Database

    database = db.session.query(Database).filter_by(uuid=_database_uuid()).one()
    database.set_sqlalchemy_uri(uri)
    add_permissions(database)  # schema_access permissions of the real file, for later roles
    db.session.commit()


def synced_column_label(column_name: str) -> str:
    """The label of a column only the warehouse knows: a CRM custom field the center config
    declares, named <object>_<field> by dbt (account_risk_level from Account Risk_Level__c),
    read as words ("Account risk level"). Every other column has its label from dbt."""
    return column_name.replace("_", " ").capitalize()


def _sync_dataset_columns() -> None:
    """Adds the columns the warehouse has and the generated YAML cannot know: the CRM custom
    fields the center config declares (mart_cx_customers_daily, dim_customers), labelled as
    words. Declared columns keep their descriptions and labels; Superset's own 'sync columns
    from source'."""
    from superset.connectors.sqla.models import SqlaTable
    from superset.extensions import db
    from superset.models.core import Database

    database = db.session.query(Database).filter_by(uuid=_database_uuid()).one()
    for dataset in db.session.query(SqlaTable).filter_by(database_id=database.id):
        dataset.fetch_metadata()
        for column in dataset.columns:
            if not column.verbose_name:
                column.verbose_name = synced_column_label(column.column_name)
    db.session.commit()


def _demo_users(home: Path, serving: Path) -> None:
    """The demo's users, one or more per role (access.demo_users), sharing one password."""
    password, path = _password(home, DEMO_PASSWORD_ENV, DEMO_PASSWORD_FILE, user_exists=False)
    users = access.demo_users(serving)
    access.ensure_users(users, password)
    _log(f"{len(users)} demo users (password in {path or '$' + DEMO_PASSWORD_ENV})")


def bootstrap(
    home: Path, serving: Path, demo_users: bool = False, dashboards_zip: Path | None = None
) -> BootstrapResult:
    """Creates or updates the Superset home `home` serving `serving`. Call it from a fresh
    process (a subprocess in tests): Superset reads its config once, at import."""
    started = time.monotonic()
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)  # holds the secret key, the admin password and the metadata DB
    if not serving.exists():
        raise FileNotFoundError(f"serving warehouse not found: {serving} (publish first)")
    uri = serving_uri(serving)
    with _app_context(home):
        steps = [
            ("metadata database upgrade", _upgrade_metadata_db),
            ("roles and permissions", _sync_roles),
        ]
        for label, step in steps:
            step_started = time.monotonic()
            step()
            _log(f"{label}: {time.monotonic() - step_started:.1f} s")
        password_file = _ensure_admin(home)
        _import_assets(dashboards_zip, center_currency())
        _point_database_at(uri)
        _sync_dataset_columns()
        _log(f"assets imported, database -> {uri}, columns synced")
        access.apply_roles(access.read_roles())
        if demo_users:
            _demo_users(home, serving)
    return BootstrapResult(home, uri, password_file, time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create or update a Superset home.")
    parser.add_argument("--home", type=Path, required=True, help="folder holding Superset state")
    parser.add_argument("--serving", type=Path, required=True, help="published serving.duckdb")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="only for the URL shown")
    parser.add_argument(
        "--demo-users", action="store_true", help="a user per role, from the agent dimension"
    )
    parser.add_argument(
        "--import-dashboards",
        type=Path,
        metavar="ZIP",
        help="import this dashboard export instead of superset/assets (e.g. a backup)",
    )
    args = parser.parse_args(argv)
    result = bootstrap(args.home, args.serving, args.demo_users, args.import_dashboards)
    where = result.admin_password_file or f"${PASSWORD_ENV}"
    _log(
        f"done in {result.seconds:.0f} s; start: .venv/bin/python superset/server.py start "
        f"--home {args.home} --port {args.port}; then "
        f"http://127.0.0.1:{args.port}/superset/dashboard/operations/ "
        f"(login {ADMIN_USERNAME}, password in {where})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
