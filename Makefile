# Fazhi — two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FAZHI := $(BIN)/fazhi
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test lint test-postgres test-browser bench assets venv demo check-deploy clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*##/ —/'

$(BIN)/fazhi: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "需要 Python ≥ 3.11 / Python ≥ 3.11 is required" && exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -C editable_mode=compat -e .
	@touch $(BIN)/fazhi

venv: $(BIN)/fazhi  ## install the locked Python dependencies into .venv

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	cp node_modules/echarts/dist/echarts.min.js static/vendor/
	@touch $@

assets: static/vendor/.installed  ## install htmx and ECharts from the npm registry

run: venv assets  ## migrate, build the demo county if empty, serve http://127.0.0.1:8000
	$(FAZHI) migrate --no-input
	$(FAZHI) demo --if-empty
	$(FAZHI) demo --logins
	@echo "法治平台已启动 / Fazhi is serving: http://127.0.0.1:8000"
	$(FAZHI) runserver 127.0.0.1:8000

demo: venv  ## rebuild nothing; print the demo logins
	$(FAZHI) demo --logins

lint: venv  ## ruff, ruff format, mypy, import-linter, migrations, deploy check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy fazhi config bench tests
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(FAZHI) makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy

check-deploy: venv
	DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_SECRET_KEY="$$(openssl rand -hex 40)" \
		DJANGO_ALLOWED_HOSTS=fazhi.example.gov.cn DATABASE_URL=sqlite:///:memory: \
		$(FAZHI) check --deploy --fail-level WARNING

# The suite runs on both cores (pytest-xdist, one test database per worker, a module's tests
# on one worker). The API fuzz test runs on its own: under xdist, schemathesis folds all its
# operations into a single test.
FUZZ_TEST = fazhi/api/tests/test_schemathesis.py
SUITE = $(BIN)/pytest -m "not browser" -q -n 2 --dist loadscope --ignore=$(FUZZ_TEST)

test: venv assets lint  ## the lint gates and the whole suite (SQLite)
	DJANGO_SETTINGS_MODULE=config.settings.test $(SUITE)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -q $(FUZZ_TEST)

test-postgres: venv assets  ## the suite's database tests again on PostgreSQL (DATABASE_URL or 127.0.0.1:5432)
	DJANGO_SETTINGS_MODULE=config.settings.test FAZHI_DB_TESTS_ONLY=1 \
		DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fazhi} $(SUITE)
	DJANGO_SETTINGS_MODULE=config.settings.test \
		DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fazhi} \
		$(BIN)/pytest -q $(FUZZ_TEST)

test-browser: venv assets  ## browser tests in headless Chromium (installs Debian's chromium if missing)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m browser -q

bench: venv  ## ledger, draws, catalog Excel import and lenience-rules benchmarks (printed figures)
	$(BIN)/python -m bench.ledger --db sqlite
	$(BIN)/python -m bench.ledger --db postgres
	$(BIN)/python -m bench.draws --db sqlite
	$(BIN)/python -m bench.draws --db postgres
	$(BIN)/python -m bench.catalog_import --db sqlite
	$(BIN)/python -m bench.catalog_import --db postgres
	$(BIN)/python -m bench.rules_eval --db sqlite
	$(BIN)/python -m bench.cases_data --db sqlite
	$(BIN)/python -m bench.cases_data --db postgres
	$(BIN)/python -m bench.cases_load --db sqlite
	$(BIN)/python -m bench.cases_load --db postgres
	$(BIN)/python -m bench.cases_export --db sqlite
	$(BIN)/python -m bench.cases_export --db postgres
	$(BIN)/python -m bench.cases_documents --db sqlite
	$(BIN)/python -m bench.cases_documents --db postgres

clean:  ## remove the virtualenv, assets and local data
	rm -rf $(VENV) node_modules static/vendor var
