# Thuis — set-up and everyday commands. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STATIC_STAMP := src/thuis/static/vendor/.built
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check install static migrate seed lint types schema bench mutants clean

$(STAMP): requirements/base.txt requirements/dev.txt requirements/constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt -c requirements/constraints.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) $(STATIC_STAMP)

# NL Design System CSS, design tokens, htmx and axe-core come from npm (versions in package.json).
$(STATIC_STAMP): package.json package-lock.json bin/build-static
	bin/build-static
	touch $(STATIC_STAMP)

static: $(STATIC_STAMP)

migrate: install
	mkdir -p var
	$(BIN)/thuis migrate --noinput

seed: migrate
	$(BIN)/thuis seed --demo

## make run: install, migrate, seed the demo gemeente and serve on http://127.0.0.1:8000
## (with the local DUO simulator on 127.0.0.1:8765, stopped when the server stops)
run: seed
	$(BIN)/thuis demo_logins
	BIN=$(BIN) bin/run-demo

## make test: install and run the whole suite (PostgreSQL when DATABASE_URL points there)
test: install
	$(BIN)/pytest -q -n $${PYTEST_WORKERS:-2} --maxfail=50

lint: install
	$(BIN)/ruff format --check src tests
	$(BIN)/ruff check src tests

types: install
	$(BIN)/mypy src/thuis

# The committed schema is generated against the embedded default (SQLite): integer bounds in the
# schema follow the database backend, so CI's DATABASE_URL (PostgreSQL) is left out here.
schema: install
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=thuis.conf.test $(BIN)/thuis spectacular --validate --fail-on-warn --file src/thuis/api/openapi.yaml

## make check: lint, types, import layers, bandit, migrations and the OpenAPI schema diff
check: lint types schema
	PYTHONPATH=src $(BIN)/lint-imports --no-cache
	$(BIN)/bandit -ll -q -r src/thuis -x '*/tests/*'
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=thuis.conf.test $(BIN)/thuis makemigrations --check --dry-run
	git diff --exit-code -- src/thuis/api/openapi.yaml

## make bench: the monitoring benchmark on PostgreSQL (docs/performance.md); national scale with
## make bench BENCH_ARGS="--gemeenten 345 --personen 300000 --perioden 3000000"
bench: install
	$(BIN)/pip install --quiet -r requirements/bench.txt -c requirements/constraints.txt
	$(BIN)/python bench/run_monitoring.py $(BENCH_ARGS)

## make mutants: mutation testing of cases/rules.py and core/disclosure.py with mutmut
## ([tool.mutmut] in pyproject.toml; result and survivors in docs/quality.md). About 15 minutes on 2 cores.
mutants: install
	rm -rf mutants
	nice -n 10 $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut export-cicd-stats
	cat mutants/mutmut-cicd-stats.json
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) var node_modules src/thuis/static/vendor
