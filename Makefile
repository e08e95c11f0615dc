# The two commands of the README. Both install into .venv first (from pyproject.toml's pins).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test lint ui clean

$(BIN)/homeless-monitor: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The test extra (pytest, Hypothesis, pgserver, ruff, sqlfluff) on top of the runtime set.
$(VENV)/.test-extra: pyproject.toml $(BIN)/homeless-monitor
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/homeless-monitor

## First command: install, then run the whole pipeline on the default synthetic national set.
run: install
	$(BIN)/homeless-monitor run

## Second command: install (with the test extra), then run the tests (pytest's exit 5 = no tests collected: a failure here).
test: $(VENV)/.test-extra lint
	@$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is missing" >&2; exit 1; fi; \
	exit $$status

## The lint gate (make test runs it first): ruff on the Python, sqlfluff (dbt templater, DuckDB) on the models.
lint: $(VENV)/.test-extra
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	HOMELESS_MONITOR_WAREHOUSE=$$(mktemp -d)/lint.duckdb $(BIN)/sqlfluff lint dbt/models --processes 2

ui: install
	$(BIN)/homeless-monitor ui

clean:
	rm -rf data dbt/target dbt/logs
