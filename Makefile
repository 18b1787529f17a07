# The README's two commands: `make demo` (set up, load Chengdu and a synthetic
# population, serve on 127.0.0.1:8000) and `make test` (set up, run every test on
# SQLite, then on PostgreSQL when one is reachable).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.linli-installed

.PHONY: setup demo test bench lint

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Linli needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	$(BIN)/linli i18n
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/linli demo

test: setup
	scripts/test.sh

bench: setup
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python -m bench $(BENCH)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
