# DFSP — two commands: `make run` and `make test`. Everything they need is installed from the
# project's own files (requirements/lock.txt, package-lock.json) into .venv and node_modules.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/1

.PHONY: run test setup lint test-production-stack messages makemessages assets clean help

help:
	@echo "make run    - set up and start DFSP on http://127.0.0.1:$(PORT) (embedded mode, demo data)"
	@echo "make test   - set up, lint and run the whole test suite"

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "DFSP needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.deps-ok: $(VENV)/.python-ok requirements/lock.txt
	$(PY) -m pip install --quiet -r requirements/lock.txt
	@touch $@

node_modules/.deps-ok: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

static_vendor/.ok: node_modules/.deps-ok scripts/vendor_assets.py
	$(PY) scripts/vendor_assets.py
	@touch $@

assets: static_vendor/.ok

messages: $(VENV)/.deps-ok
	$(PY) scripts/compile_messages.py

setup: $(VENV)/.deps-ok assets messages

run: setup
	$(PY) manage.py migrate --no-input
	DFSP_DEMO=1 $(PY) manage.py seed_demo --if-empty
	$(PY) manage.py collectstatic --no-input --verbosity 0
	DFSP_DEMO=1 $(PY) manage.py demo_accounts
	@echo "DFSP is starting on http://127.0.0.1:$(PORT)  (Ctrl-C stops web server, worker and scheduler)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" DFSP_DEMO=1 DFSP_PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

lint: $(VENV)/.deps-ok
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

test: setup lint
	bash scripts/ensure_test_tools.sh
	$(VENV)/bin/pytest -m "not redis and not postgresql" -n 2 --dist loadgroup

# The production stack: PostgreSQL + Redis (cache and Celery broker), as .ci/run runs it.
test-production-stack: setup
	bash scripts/ensure_test_tools.sh
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) SECRET_KEY=ci-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz \
	ALLOWED_HOSTS=testserver,127.0.0.1,localhost DFSP_HTTPS=0 \
	$(VENV)/bin/pytest -m "not browser" -n 2 --dist loadgroup

makemessages: $(VENV)/.deps-ok
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=node_modules --ignore=.venv --ignore=static_vendor --ignore=var

clean:
	rm -rf $(VENV) node_modules static_vendor var
