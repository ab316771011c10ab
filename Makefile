# The two set-up commands of the README: `make demo` and `make test`. Both work on a fresh
# machine with Python 3.11 and pip: uv, the locked environment and Chromium are installed here.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
VENV := .venv
PY := $(VENV)/bin/python
# The Dagster UI's port and instance folder (run history, schedule and sensor state).
DAGSTER_PORT ?= 3000
DAGSTER_HOME ?= $(CURDIR)/var/dagster

.PHONY: demo test unit realdata setup browser manifest stop dagster lint

demo: setup manifest  ## simulate the demo center, build, check, publish, serve Superset
	@$(PY) -m orchestration.demo

# The real-sample test (one pipeline run per sample and config, about a minute each) runs on
# both cores at once (pytest-xdist); the rest shares session fixtures and servers, so it runs in
# one process. `make test` runs its CI set (CI_RUNS there, ~9 min), `make
# realdata` every sample under both configs (106 runs, about an hour).
REAL_SAMPLES := tests/integration/test_real_samples.py

test: setup browser manifest lint  ## lint and the whole test suite (what CI runs)
	$(PY) -m pytest --ignore=$(REAL_SAMPLES)
	$(PY) -m pytest -n 2 -m "not matrix" $(REAL_SAMPLES)

realdata: setup manifest  ## every real sample alone, under both configs
	$(PY) -m pytest -n 2 $(REAL_SAMPLES)

# The fast layer: unmarked tests only (no pipeline run, no server, no root), in under a minute.
# Collecting the tests imports the Dagster definitions, which read dbt's manifest, so it is built
# first by `manifest` (dbt parse, ~10 s), not by a test fixture.
unit: setup manifest  ## the fast tests
	$(PY) -m pytest -m "not slow and not e2e"

setup:  ## uv (if missing) and the locked environment in .venv
	@command -v uv >/dev/null || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet "uv==0.13.8"
	@$(UV) sync --frozen --quiet

# The CJK font renders the Chinese dashboards in browser tests and screenshots (no tofu boxes).
browser:  ## Debian's Chromium and a CJK font for the browser tests (never a downloaded browser)
	@test -x /usr/bin/chromium && test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium fonts-wqy-microhei; }

manifest: dbt_project/target/manifest.json  ## dbt's manifest, from which Dagster builds the asset graph

# Re-parsed only when the dbt project or the config schema (the vars' defaults) changed.
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests -type f) \
	dbt_project/dbt_project.yml orchestration/lib/center_config.py
dbt_project/target/manifest.json: $(DBT_SOURCES) | setup
	cd dbt_project && ../$(VENV)/bin/dbt parse --quiet --profiles-dir . \
		--vars "$$(../$(PY) -m orchestration.lib.center_config)"
	@touch $@

stop:  ## stop the demo's Superset
	$(PY) superset/server.py stop --home var/superset

# The venv on PATH: dagster-dbt re-parses the project under `dagster dev` with the `dbt` it
# finds there.
dagster:  ## the Dagster UI over the demo's run history
	mkdir -p $(DAGSTER_HOME) && touch $(DAGSTER_HOME)/dagster.yaml
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH DAGSTER_HOME=$(DAGSTER_HOME) \
		$(VENV)/bin/dagster dev -m orchestration.definitions -h 127.0.0.1 -p $(DAGSTER_PORT)

# sqlfluff's dbt templater compiles every model, so every dbt var needs a value: the center
# config's defaults, in a pyproject.toml read on top of ours (--config reads TOML only under
# that name). Macros are linted inside the models that call them (the templater skips them).
SQLFLUFF_VARS := var/sqlfluff/pyproject.toml

lint:  ## ruff and sqlfluff (generated files are checked fresh by tests/unit)
	$(VENV)/bin/ruff check orchestration tests superset expectations benchmarks
	$(VENV)/bin/ruff format --check orchestration tests superset expectations benchmarks
	@mkdir -p $(dir $(SQLFLUFF_VARS))
	@$(PY) -m orchestration.lib.center_config --sqlfluff > $(SQLFLUFF_VARS)
	$(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests --config $(SQLFLUFF_VARS)
