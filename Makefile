# Belong: `make run` sets up and serves the site; `make test` sets up and runs the whole suite;
# `make dev` serves with the auto-reloading development server.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test lint format bench install migrate content messages clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Belong needs $(PYTHON) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var/static
	BELONG_DEBUG=1 $(BIN)/python manage.py migrate --noinput

content: migrate
	BELONG_DEBUG=1 BELONG_DEMO=1 $(BIN)/python manage.py load_content
	BELONG_DEBUG=1 BELONG_DEMO=1 $(BIN)/python manage.py load_demo

# The site as production runs it, on one machine: gunicorn (several processes), the task worker
# and the scheduled jobs, debug off, demo data, mail written to var/mail; `manage.py serve`
# migrates and loads the content first. DATABASE_URL and REDIS_URL switch to PostgreSQL and
# Redis. Ctrl-C stops everything. (tests/home/test_serve.py runs this very line.)
run: install
	BELONG_DEBUG=0 BELONG_DEMO=1 BELONG_EMAIL=file BELONG_SITE_URL="$${BELONG_SITE_URL:-http://$(HOST):$(PORT)}" $(BIN)/python manage.py serve $(HOST):$(PORT)

# Django's auto-reloading development server (debug on) with the task worker and the jobs.
dev: install
	BELONG_DEBUG=1 BELONG_DEMO=1 BELONG_SITE_URL="$${BELONG_SITE_URL:-http://$(HOST):$(PORT)}" $(BIN)/python manage.py rundev $(HOST):$(PORT)

test: install
	@mkdir -p "$${BELONG_VAR_DIR:-var}/static"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench

messages: install
	cd belong && ../$(BIN)/python ../manage.py makemessages -l es --no-obsolete --no-location
	cd belong && ../$(BIN)/python ../manage.py compilemessages -l es

clean:
	rm -rf $(VENV) var staticfiles
