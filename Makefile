# `make run`: set up everything and serve the site on SQLite.  `make test`: set up and run every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# `make test` reads no .env: a developer's settings there must not change what the tests run against.
TEST_ENV := DEBUG=1 ENV_FILE=
# The Nu HTML Checker (vnu.jar) the tests run on every public page: the npm package pinned in package.json.
NODE_TOOLS := node_modules/.installed

# The first Python >= 3.12 found: on PATH, then among pyenv's installed versions.
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 python3 \
	$(sort $(wildcard $(PYENV_ROOT)/versions/3.1[2-9]*/bin/python3))
PYTHON ?= $(firstword $(foreach candidate,$(PYTHON_CANDIDATES),$(shell \
	$(candidate) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(candidate))))

.PHONY: help run test browser lint bench soak messages clean

help:
	@echo "make run    set up (venv, requirements, database, demo content, admin login) and serve on :8000"
	@echo "make test   set up and run ruff, Django checks, migration check and the whole test suite"
	@echo "make browser run the browser tests alone (Chromium at /usr/bin/chromium); screenshots in test-artifacts/"
	@echo "make bench  load benchmark against PostgreSQL + Redis (see bench/README.md)"

$(VENV)/.python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12 or newer found (tried: $(PYTHON_CANDIDATES))."; \
		echo "Install one (e.g. 'pyenv install 3.12' or your system's python3.12 package) and run make again,"; \
		echo "or name it: make PYTHON=/path/to/python3.12 ..."; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -c 'import sys; print(sys.version.split()[0])' > $@

$(VENV)/.runtime: $(VENV)/.python requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# --ignore-scripts: the package's install script would download a Java runtime; the system's Java runs it.
$(NODE_TOOLS): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: the HTML check will be skipped (install Node.js and npm)"; fi

# Settings for local development, read by every manage.py command; written once, never overwritten.
.env: | $(VENV)/.python
	@$(PY) -c 'import secrets; print("# Local development settings (see README, Configuration); the environment wins over this file."); print("DEBUG=1"); print("SECRET_KEY=" + secrets.token_urlsafe(50))' > $@
	@echo "Wrote .env (DEBUG=1 and a new SECRET_KEY)."

run: $(VENV)/.runtime .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@$(PY) manage.py ensure_admin
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint $(NODE_TOOLS)
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

browser: $(VENV)/.dev
	$(TEST_ENV) $(VENV)/bin/pytest tests/browser $(PYTEST_ARGS)

# Rebuild the translation catalogues after changing interface strings; commit the .po and .mo files.
messages: $(VENV)/.dev .env
	$(PY) manage.py makemessages --locale zh_Hans --locale zh_Hant --locale en --no-obsolete \
		--ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

bench: $(VENV)/.dev
	bench/run

soak: $(VENV)/.dev
	bench/soak

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache test-artifacts
