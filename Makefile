# kopi — two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test lint migrate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "kopi needs Python 3.11 or newer (set PYTHON=python3.12 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## run: install, migrate, start the bot (the offline demo when TELEGRAM_BOT_TOKEN is not set)
run: $(STAMP)
	$(BIN)/kopi

## demo: the offline terminal demo, token or not
demo: $(STAMP)
	$(BIN)/kopi demo

## test: the test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
test: $(STAMP)
	$(BIN)/pytest

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## migrate: apply every database migration to DATABASE_URL
migrate: $(STAMP)
	$(BIN)/kopi db upgrade

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
