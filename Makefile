# The two commands: `make run` (the demo, with web + worker + beat) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate seed lint messages clean mutate

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

# DEBUG=1 for the local demo: plain HTTP on 127.0.0.1 and a development secret key.
run: export DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "TựQuản is starting at http://127.0.0.1:$${WEB_PORT:-8000}/  (web + Celery worker + Celery beat; Ctrl+C stops all)"
	@echo "Broker: $${REDIS_URL:-embedded SQLite queue in var/}   Database: $${DATABASE_URL:-SQLite in var/}"
	@echo "Mail is written to var/mail/ unless EMAIL_HOST is set."
	@echo ""
	$(BIN)/honcho start -f Procfile

test: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.test_settings
	$(BIN)/python -m pytest

# Mutation testing of the rule modules (setup.cfg lists them; README "Mutation testing"). Not part of `make test`:
# it takes tens of minutes. On PostgreSQL when DATABASE_URL is set (as in CI), else SQLite.
MUTATION_STAMP := $(VENV)/.installed-mutation
$(MUTATION_STAMP): requirements-mutation.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-mutation.txt
	touch $(MUTATION_STAMP)

# Each test process takes a test database of its own and reuses it from run to run (tests/conftest.py).
mutate: export TEST_DATABASE_SLOTS = $(CURDIR)/var/mutation
mutate: $(MUTATION_STAMP)
	mkdir -p var
	rm -rf mutants
	$(BIN)/python mutation_testing/fresh_databases.py
	$(BIN)/python mutation_testing/mutmut_decorated.py run --max-children $${MUTATION_JOBS:-2}
	$(BIN)/python mutation_testing/report.py; functions=$$?; \
	$(BIN)/python mutation_testing/tables.py --jobs $${MUTATION_JOBS:-2}; tables=$$?; \
	exit $$((functions || tables))

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Needs GNU gettext (only for whoever edits translations; the .mo files are committed).
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=var --ignore=bench --ignore=mutants --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/
