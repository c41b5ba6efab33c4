# The README's commands. `make run` and `make test` set everything up themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
MANAGE      := $(PY) manage.py
PIP         := $(PY) -m pip --disable-pip-version-check
STAMP       := $(VENV)/.installed
LOCK        := requirements/lock.txt
RUNTIME_LOCK := requirements/runtime.txt
PIP_TOOLS_VERSION := 7.6.2
ASSETS      := static/build/portal.css static/build/govuk-frontend.min.js
PORT        ?= 8000
# make test: pytest-xdist processes (each with its own test database and broker database)
TEST_PROCESSES ?= 2
# Coverage costs the suite about 40% more time: CI measures it (.ci/run), `make test
# COVERAGE=1` does here too.
COVERAGE ?=
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run test lint lock format bench collectstatic setup services services-stop migrate seed assets clean check-deploy

help:
	@echo "make run     set up and serve the portal with demo data, worker and beat"
	@echo "make test    set up and run the whole suite (browser tests included)"
	@echo "make lint    ruff, import contracts, mypy, lock freshness, migrations check"
	@echo "make lock    recompile requirements/*.txt from pyproject.toml's pins"
	@echo "make bench   benchmarks: print figures, never fail on speed"

# --- Setup ---------------------------------------------------------------------------

# requirements/lock.txt holds every package, direct and transitive, with its hashes: pip
# installs exactly that (--require-hashes; --no-deps as the lock is the whole resolved set),
# then the project itself, then removes what the lock no longer names and checks the result.
$(STAMP): $(LOCK) $(RUNTIME_LOCK) pyproject.toml
	@PYBIN=$$(scripts/find-python.sh) || exit 1; \
	"$$PYBIN" scripts/lock.py check || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$PYBIN"; "$$PYBIN" -m venv $(VENV) || exit 1; \
	fi
	@echo "Installing the locked dependencies into $(VENV) (log: $(VENV)/pip.log)"
	@{ $(PIP) install --require-hashes --no-deps -r $(LOCK) && \
	   $(PIP) install --no-deps --no-build-isolation -e . && \
	   extra=$$($(PY) scripts/lock.py extraneous) && \
	   if [ -n "$$extra" ]; then $(PIP) uninstall -y $$extra; fi && \
	   $(PIP) check; } > $(VENV)/pip.log 2>&1 \
	  || { tail -40 $(VENV)/pip.log; exit 1; }
	@touch $@

# Recompile both locks from pyproject.toml with pip-tools in a throwaway venv. Pins already in
# the lock are kept; to move them: make lock LOCK_ARGS=--upgrade (or --upgrade-package NAME).
lock:
	@PYBIN=$$(scripts/find-python.sh) || exit 1; \
	tools=$$(mktemp -d) && trap 'rm -rf "$$tools"' EXIT && \
	"$$PYBIN" -m venv "$$tools" && \
	"$$tools/bin/python" -m pip install --quiet --disable-pip-version-check pip-tools==$(PIP_TOOLS_VERSION) && \
	compile="$$tools/bin/pip-compile --quiet --no-header --generate-hashes --allow-unsafe --strip-extras \
	  --build-deps-for=wheel --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)" && \
	$$compile --extra=dev -o $(LOCK) pyproject.toml && \
	$$compile --constraint=$(LOCK) -o $(RUNTIME_LOCK) pyproject.toml && \
	"$$PYBIN" scripts/lock.py stamp $(LOCK) $(RUNTIME_LOCK)

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install -y nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

static/build/portal.css: node_modules/.package-lock.json $(wildcard static/src/*.scss)
	@mkdir -p static/build
	npx --no-install sass --pkg-importer=node --style=compressed --no-source-map static/src/portal.scss $@

static/build/govuk-frontend.min.js: node_modules/.package-lock.json
	@mkdir -p static/build
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

assets: $(ASSETS)
	@mkdir -p staticfiles

services: $(STAMP)
	@$(PY) scripts/ensure_services.py

services-stop: $(STAMP)
	@$(PY) scripts/ensure_services.py stop

migrate: services
	$(MANAGE) migrate --noinput

seed: migrate
	DEBUG=true $(MANAGE) seed_demo

setup: $(STAMP) assets services

# --- The two commands ----------------------------------------------------------------

run: setup seed
	@echo
	@echo "  Portal:         http://localhost:$(PORT)/"
	@echo "  Caseworker admin: http://localhost:$(PORT)/admin/"
	@echo "  Health:         http://localhost:$(PORT)/readyz"
	@DEBUG=true $(MANAGE) demo_signins
	@echo "  Ctrl-C stops the web server, the worker and beat together."
	@echo
	DEBUG=true PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

test: setup
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadgroup $(if $(COVERAGE),--cov --cov-report=term) $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) scripts/lock.py check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy
	$(MAKE) --no-print-directory services
	$(MANAGE) makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

collectstatic: setup
	$(MANAGE) collectstatic --noinput --verbosity 0

# Production-like: DEBUG off, hashed static files from collectstatic.
bench: setup migrate collectstatic
	$(PY) -m bench

check-deploy: $(STAMP)
	DEBUG=false SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=portal.example.org \
	  EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
	  PORTAL_UPLOAD_SCANNER=benefits.evidence.scanning.ClamdScan \
	  $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .pytest_cache .ruff_cache .coverage
