# Maillage — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
MANAGE := .venv/bin/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install system-deps browser-deps messages lint format clean

# Front-end packages (Leaflet for the map) come from npm, exactly as package-lock.json
# says; `npm ci` runs again only when package.json or the lock file is newer than
# node_modules/ (npm writes node_modules/.package-lock.json on each install).
NODE_PACKAGES := $(if $(wildcard package.json),node_modules/.package-lock.json)

## Install Python dependencies (uv, locked), front-end packages (npm, locked), system
## tools, compiled translations.
install: system-deps $(NODE_PACKAGES)
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	$(MANAGE) compilemessages --ignore=.venv -v0

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund
	@touch $@

# gettext compiles the translations; Pango is what WeasyPrint lays PDFs out with.
system-deps:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext; }
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

browser-deps:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }

## Install, migrate, load the demo network, serve the site and run the task worker.
run: install
	mkdir -p var
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_territories --if-missing
	$(MANAGE) demo_network
	@echo
	@echo "  Maillage : http://$(HOST):$(PORT)/"
	@$(MANAGE) demo_logins
	@echo "  (Ctrl+C arrête le site et le travailleur de tâches)"
	@echo
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker & \
	  $(MANAGE) runserver $(HOST):$(PORT)

## Install everything and run the whole suite: first one worker per core (pytest-xdist;
## PYTEST_WORKERS=0 for a single process), then the browser journeys one at a time.
## DATABASE_URL=postgres://… make test runs the same suite on PostgreSQL. With
## PYTEST_ARGS (a folder, -k…), a run that selects no browser test is not an error.
PYTEST_WORKERS ?= auto
test: install browser-deps
	mkdir -p var/screenshots
	.venv/bin/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)
	.venv/bin/pytest -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

messages:
	$(MANAGE) makemessages -l fr -l en --ignore=.venv --ignore=var --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf .venv var
