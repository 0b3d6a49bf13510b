# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: install run test lint format messages clean bench e2e faults

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres]"
	touch $@

# compilemessages needs GNU gettext's msgfmt; install it where the system allows.
install: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { \
	  echo "Installing gettext (msgfmt) to compile the translation catalogues"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext; \
	  else sudo apt-get install -y gettext; fi; }
	$(MANAGE) compilemessages --ignore=.venv --verbosity 0

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_sample_content
	$(MANAGE) create_demo_accounts
	$(MANAGE) runserver 127.0.0.1:8000

# On every core: each worker has its own test database with the sample content.
test: install
	$(BIN)/pytest -n auto

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djhtml --check templates services/templates
	$(BIN)/mypy
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml templates services/templates

# Refresh the catalogues after changing translatable text in code or templates.
messages: install
	$(MANAGE) makemessages --all --ignore=.venv --ignore=staticfiles --no-obsolete

# Figures, not a test: throughput, bytes, queries and memory against gunicorn
# (tests/bench/bench.py). wrk generates the load; install it where the system allows.
bench: install
	@command -v wrk >/dev/null || { \
	  echo "Installing wrk (HTTP benchmarking tool) for the benchmark"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else sudo apt-get update -qq && sudo apt-get install -y wrk; fi; }
	$(BIN)/python -m tests.bench.bench

# Browser tests (tests/e2e, not part of `make test`): Playwright drives Debian's
# chromium at a phone's size; axe-core and the Nu HTML Checker (vnu.jar, run with
# Java) come from npm (tests/e2e/package-lock.json). Installs what is missing, then
# runs tests/e2e only. Screenshots and handout PDFs go to var/screenshots/.
E2E_PACKAGES := chromium fonts-noto-core fonts-noto-cjk nginx-light openssl

e2e: install
	@missing="$$(for package in $(E2E_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' \
	  || echo $$package; done)"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing" $$missing "for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y $$missing; fi; fi
	@[ $(VENV)/.e2e-installed -nt pyproject.toml ] || { \
	  $(BIN)/python -m pip install --quiet -e ".[dev,postgres,e2e]" && touch $(VENV)/.e2e-installed; }
	@[ tests/e2e/node_modules/.installed -nt tests/e2e/package-lock.json ] || { \
	  cd tests/e2e && npm ci --ignore-scripts --no-audit --no-fund && touch node_modules/.installed; }
	GUIDE_E2E=1 $(BIN)/pytest tests/e2e

# Fault tests (tests/faults, not part of `make test`): a cache that hangs or stops
# under load on two hosts, a database cut through a proxy, slow clients behind
# nginx as config/nginx.conf sets it up. They start their own Redis, nginx and
# gunicorn; PostgreSQL must run at 127.0.0.1:5432 (user postgres, trust).
FAULT_PACKAGES := nginx-light redis-server openssl

faults: install
	@missing="$$(for package in $(FAULT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' \
	  || echo $$package; done)"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing" $$missing "for the fault tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y $$missing; fi; fi
	GUIDE_FAULTS=1 $(BIN)/pytest tests/faults

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
	find services -name '*.mo' -delete
