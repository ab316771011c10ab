"""Superset settings for the warehouse's local BI layer (loaded through SUPERSET_CONFIG_PATH).

All state lives under $SUPERSET_HOME; the secret key comes from $SUPERSET_SECRET_KEY, which
superset/bootstrap.py generates once per install (never committed). Serves 127.0.0.1 only and
contacts no outside host.
"""

from __future__ import annotations

import os
from pathlib import Path

SUPERSET_HOME = Path(os.environ["SUPERSET_HOME"]).resolve()

# Superset refuses to start with its placeholder key; a KeyError here names the missing env var.
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

# SQLite is enough for a single-user demo; check_same_thread=false because gunicorn's gthread
# workers share the engine across threads.
SQLALCHEMY_DATABASE_URI = f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false"

# Superset's default CSP allows telemetry images and map/font hosts; keep everything local.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False
# Superset's default CORS allows map tile hosts; nothing cross-origin calls this server.
ENABLE_CORS = False
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []

# The demo center may be Chinese-speaking; Superset ships zh translations.
LANGUAGES = {
    "en": {"flag": "us", "name": "English"},
    "zh": {"flag": "cn", "name": "Chinese"},
}

# CSRF stays on: /api/v1/security/login needs no token, and REST writes (e.g. POST
# /api/v1/assets/import/) send X-CSRFToken from /api/v1/security/csrf_token/ (checked here).
WTF_CSRF_ENABLED = True

# Local demo: no thumbnails or alerts (they need Celery and a browser worker), no rate-limit
# storage. Example data is never loaded: bootstrap only imports our own bundle.
RATELIMIT_ENABLED = False
# Jinja in SQL: the row-level security clauses of access.yaml name {{ current_username() }}.
# DASHBOARD_RBAC: a dashboard with roles is listed to those roles only (access.yaml gives each
# of ours its roles); without it, anyone who can read one of its datasets would list it.
FEATURE_FLAGS = {
    "DASHBOARD_RBAC": True,
    "THUMBNAILS": False,
    "ALERT_REPORTS": False,
    "ENABLE_TEMPLATE_PROCESSING": True,
    "DRILL_TO_DETAIL": True,
    "DRILL_BY": True,
}

# No chart-data cache: a newly published serving file shows up on the next query.
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}

LOG_LEVEL = "INFO"
