# tfp: `make run` for a local server with demo data, `make test` for the whole suite.
# Needs only Python 3.11+ and Node 20+; everything else goes into .venv and node_modules.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Where `make stack` serves; gunicorn also reads WEB_CONCURRENCY for its worker count.
BIND ?= 127.0.0.1:8000
# Extra pytest arguments, e.g. `make test ARGS="tests/accounts -x"`.
ARGS ?=

# One stamp per database, so pointing DATABASE_URL somewhere new seeds that database too.
SEED_STAMP = var/demo-seeded-$(if $(DATABASE_URL),$(shell printf '%s' "$$DATABASE_URL" | cksum | cut -d' ' -f1),embedded)

.PHONY: install run test stack lint stop-db

install: $(VENV)/.requirements-installed node_modules/.package-lock-installed

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "tfp needs Python 3.11 or newer; set PYTHON=python3.x" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Stamps make pip and npm run only when their lock files change.
$(VENV)/.requirements-installed: requirements.txt | $(PY)
	$(BIN)/pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $@

node_modules/.package-lock-installed: package-lock.json
	@command -v npm >/dev/null || { echo "tfp needs Node.js 20+ (npm) for GOV.UK Frontend" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# `make run` is the demo: its data are set in the programme's years, on this service day
# (README, "The demo authority"). SERVICE_DATE=... make run picks another.
run: export DEBUG = true
run: export SERVICE_DATE ?= 2014-10-31
run: install
	$(PY) manage.py migrate
	@mkdir -p var
	@if [ ! -f $(SEED_STAMP) ]; then \
		$(PY) manage.py seed_demo && touch $(SEED_STAMP); \
	fi
	@# The web server, a Celery worker and beat, with the database as the broker (DEBUG and no
	@# CELERY_BROKER_URL). Ctrl-C, or any one of them stopping, stops all three: each gets
	@# SIGTERM and stops its own children (the worker's pool, runserver's reloader). set -m
	@# keeps the terminal's Ctrl-C away from them, so each is stopped once, by the trap.
	@set -m; stop() { trap - EXIT; kill -TERM $$(jobs -p) 2>/dev/null; wait; }; \
	trap 'stop; exit 0' INT TERM; trap stop EXIT; \
	$(BIN)/celery -A tfp worker --loglevel=INFO & \
	$(BIN)/celery -A tfp beat --loglevel=INFO & \
	$(PY) manage.py runserver 127.0.0.1:8000 & \
	wait -n

test: install
	DEBUG=$${DEBUG:-true} $(BIN)/pytest $(ARGS)

# What `docker compose up` runs, without Docker: the web server, a Celery worker and beat.
stack: install
	@[ -n "$$DATABASE_URL" ] || { echo "make stack needs DATABASE_URL," \
		"e.g. postgres://postgres@127.0.0.1:5432/tfp" >&2; exit 1; }
	@[ -n "$$CELERY_BROKER_URL" ] || { echo "make stack needs CELERY_BROKER_URL," \
		"e.g. redis://127.0.0.1:6379/0" >&2; exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@# If any of the three stops, stop the others too: half a stack is worse than none.
	@trap 'trap - EXIT; kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	$(BIN)/gunicorn tfp.wsgi --bind $(BIND) --access-logfile - & \
	$(BIN)/celery -A tfp worker --loglevel=INFO & \
	$(BIN)/celery -A tfp beat --loglevel=INFO & \
	wait -n

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The embedded PostgreSQL keeps running after the commands that started it, like any local
# database service; this stops it (SIGINT is PostgreSQL's "fast shutdown").
stop-db:
	@pidfile=var/postgres/postmaster.pid; \
	if [ -f $$pidfile ] && pid=$$(head -1 $$pidfile) && kill -0 $$pid 2>/dev/null; then \
		kill -INT $$pid; \
		for _ in $$(seq 60); do kill -0 $$pid 2>/dev/null || break; sleep 0.5; done; \
		if kill -0 $$pid 2>/dev/null; then echo "PostgreSQL (pid $$pid) did not stop" >&2; exit 1; fi; \
		echo "Stopped the embedded PostgreSQL (pid $$pid)."; \
	else \
		echo "The embedded PostgreSQL is not running."; \
	fi
