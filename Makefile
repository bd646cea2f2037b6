# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here is what those two need on a fresh machine.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
HOST ?= 127.0.0.1:8000

.PHONY: run test setup browser lint worker beat bench

## make run: create the virtualenv, install, migrate, load the demo, serve on http://127.0.0.1:8000
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST)

## make test: the whole test suite (browser tests included; installs Debian's Chromium if missing)
test: setup browser
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser:
	./scripts/ensure-system-packages.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

worker: setup
	$(VENV)/bin/celery -A oems_portal worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A oems_portal beat --loglevel=INFO

## make bench PROVIDERS=20000: every benchmark against DATABASE_URL (PostgreSQL), seeded to
## PROVIDERS generated providers; figures in benchmarks/results/ (see docs/performance.md)
PROVIDERS ?= 20000
bench: setup
	$(PY) benchmarks/run.py --providers $(PROVIDERS)
