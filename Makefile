# Set-up is implicit: `make run` and `make test` each build .venv first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export PREFECT_HOME := $(CURDIR)/data/prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120
export DO_NOT_TRACK := 1
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: setup run test test-unit bench lint docs golden real-corpus clean

setup: $(STAMP)

$(STAMP): pyproject.toml overrides.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode \
		--override overrides.txt -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/coopwatch run --source bundled

test: setup
	$(BIN)/python -m pytest

# The tests that need no Prefect harness, server, subprocess, cluster, browser or calibration
# bench over ../shared, spread over the machine's cores.
test-unit: setup
	$(BIN)/python -m pytest -m "not integration" -n auto

bench: setup
	$(BIN)/python -m bench

real-corpus: setup
	$(BIN)/python bench/real_corpus.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

docs: setup
	$(BIN)/coopwatch schema --markdown > docs/warehouse.md

# Rewrite tests/golden/row_counts.csv from the bundled run into a temporary warehouse, on
# purpose: review the diff it makes (tests/test_golden_row_counts.py compares).
golden: setup
	tmp=$$(mktemp -d) && \
	env -u COOPWATCH_SUBSCRIPTIONS -u COOPWATCH_CALENDAR -u COOPWATCH_CORPUS \
		COOPWATCH_REPORTS=$$tmp/reports $(BIN)/coopwatch run --source bundled \
		--db $$tmp/cw.duckdb --data-dir $$tmp --outbox $$tmp/outbox > $$tmp/run.log && \
	$(BIN)/python -m warehouse.db.row_counts $$tmp/cw.duckdb > tests/golden/row_counts.csv && \
	rm -rf $$tmp

clean:
	rm -rf $(VENV) data outbox reports
