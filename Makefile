# CareerPath: `make run` to start the app, `make test` to run the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run serve setup test lint bench mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
	mkdir -p var/celery/queue var/celery/processed var/celery/control
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data

## Start web (gunicorn on http://127.0.0.1:$(PORT)), Celery worker and beat together.
run: setup
	@echo "CareerPath on http://127.0.0.1:$(PORT)  (Ctrl-C stops web, worker and beat)"
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile -p $(PORT)

## Production-shaped: gunicorn (2 x cores + 1 workers), a Celery worker and one beat against
## DATABASE_URL and CELERY_BROKER_URL, DEBUG off, static files from whitenoise, JSON logs.
## Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL in the environment.
serve: $(VENV)/.installed
	@for name in SECRET_KEY ALLOWED_HOSTS DATABASE_URL CELERY_BROKER_URL; do \
	  if [ -z "$$(printenv $$name)" ]; then echo "make serve: set $$name (see README, Deploying)"; exit 1; fi; \
	done
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=0 LOG_FORMAT=json WEB_CONCURRENCY=$${WEB_CONCURRENCY:-$$(( 2 * $$(nproc) + 1 ))} \
	  CELERY_CONCURRENCY=$${CELERY_CONCURRENCY:-$$(( 2 * $$(nproc) ))} \
	  PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.serve -p $(PORT)

## Run the whole test suite and say how long it took, with its 30 slowest tests. Tests run on one
## pytest-xdist worker per core (TEST_WORKERS=auto; TEST_WORKERS=0 runs them in this one process),
## handed out in chunks, a worker that runs out taking half of another's (--dist worksteal), so
## both finish together; no test relies on sharing a worker with another.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	@start=$$(date +%s); \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=30 $(PYTEST_ARGS); status=$$?; \
	echo "make test: finished in $$(( $$(date +%s) - start )) s (exit $$status)"; \
	exit $$status

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

## Benchmarks, figures and ratios from one run: bench/run.py on SQLite (seconds);
## bench/reminders.py: the reminder sweep and digest sending, PostgreSQL and Redis (about three minutes).
## bench/pages.py: the pages under wrk load through gunicorn, PostgreSQL and Redis (about six minutes).
## bench/serve_load.py: 60 s at 50 connections on make serve, zero errors expected (about two minutes).
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/serve_load.py

## Mutation testing, slow and not in CI: make mutate MODULES="goals/reminders/schedule.py plans/sharing/throttle.py"
## mutates those modules and runs the tests tools/mutate.py lists for them (or TESTS="tests/…"; only
## the mutants MUTANTS="name or glob …" names, e.g. an earlier run's survivors against new tests),
## then prints the score per module and the mutants that survived (docs/mutation-testing.md).
mutate: $(VENV)/.installed-dev
	@if [ -z "$(MODULES)" ]; then echo 'make mutate: name the modules, e.g. MODULES="goals/reminders/schedule.py"'; exit 2; fi
	$(BIN)/python tools/mutate.py $(if $(TESTS),--tests "$(TESTS)") $(if $(MUTANTS),--mutants "$(MUTANTS)") $(MODULES)

clean:
	rm -rf $(VENV) var staticfiles
