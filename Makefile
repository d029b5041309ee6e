# Rathaus: `make run` serves the demo, `make test` runs the whole suite (on PostgreSQL when DATABASE_URL is set).
PYTHON ?= python3
PORT ?= 8000
OIDC_PORT ?= 8001
# The simulated identity provider of the demo (rathaus/testing/oidc_provider); a demo value, not a secret.
DEMO_OIDC_SECRET := demo-identity-provider-not-secret
REDIRECTS := $(foreach host,127.0.0.1 localhost musterstadt.localhost beispielhausen.localhost,http://$(host):$(PORT)/konto/oidc/rueckkehr/)
VENV := .venv
BIN := $(VENV)/bin
DEV := DEBUG=1 RATHAUS_SITE_PORT=$(PORT)

.PHONY: run test install lint format messages browser clean

run: install
	@echo "==> Static files"
	@$(DEV) $(BIN)/rathaus collectstatic --noinput -v0
	@echo "==> Database (SQLite under var/ unless DATABASE_URL is set)"
	@$(DEV) $(BIN)/rathaus migrate --noinput -v1
	@echo "==> Demo municipalities"
	@$(DEV) $(BIN)/rathaus load_demo --port $(PORT) --oidc-port $(OIDC_PORT)
	@echo ""
	@echo "Rathaus runs on http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	@echo "  Catalogue:  http://127.0.0.1:$(PORT)/leistungen/"
	@echo "  API docs:   http://127.0.0.1:$(PORT)/api/v1/docs"
	@echo "  Admin:      http://127.0.0.1:$(PORT)/admin/"
	@echo "  Back office: http://127.0.0.1:$(PORT)/verwaltung/  (task worker log: var/task-worker.log)"
	@OIDC_REDIRECT_URIS="$(shell echo $(REDIRECTS) | tr ' ' ',')" OIDC_CLIENT_SECRET=$(DEMO_OIDC_SECRET) \
	  OIDC_ACCOUNTS_FILE=rathaus/testing/oidc_provider/demo-accounts.json \
	  node rathaus/testing/oidc_provider/server.mjs $(OIDC_PORT) > var/demo-identity-provider.log 2>&1 & \
	  idp=$$!; \
	  $(DEV) $(BIN)/rathaus db_worker --no-startup-delay > var/task-worker.log 2>&1 & \
	  worker=$$!; \
	  trap "kill $$idp $$worker 2>/dev/null" EXIT INT TERM; \
	  $(DEV) RATHAUS_DEMO_OIDC_SECRET=$(DEMO_OIDC_SECRET) $(BIN)/rathaus runserver 127.0.0.1:$(PORT)

# The booking race needs a database that lets many writers in at once: it runs on PostgreSQL (CI) and is
# deselected, with a note, on SQLite.
test: install
	$(BIN)/ruff check --quiet .
	$(BIN)/mypy rathaus
	@case "$$DATABASE_URL" in postgres*) $(BIN)/pytest ;; \
	  *) echo "SQLite: the booking_race tests need PostgreSQL (DATABASE_URL=postgres://...) and are left out"; \
	     $(BIN)/pytest -m "not booking_race" ;; esac

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rathaus needs Python 3.11 or newer: set PYTHON=python3.11")'
	@echo "==> Python packages into $(VENV)"
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip
	@$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 (apt-get install nodejs npm)"; exit 1; }
	@echo "==> Front-end packages (npm)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy rathaus

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Update the gettext catalogues after changing texts; translate in rathaus/locale/*/LC_MESSAGES/django.po.
messages: install
	cd rathaus && ../$(BIN)/rathaus makemessages -l de -l en --no-obsolete --no-location
	cd rathaus && ../$(BIN)/rathaus compilemessages

# Debian's Chromium for the browser tests (needs root; CI runs it through .ci/run).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

clean:
	rm -rf $(VENV) node_modules var
