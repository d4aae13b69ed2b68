# Enforcement Lab: the two set-up commands are `make test` and `make paper`.
# Both create .venv when it is missing and install the project pinned by constraints.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt
PYTEST_ARGS ?= -n auto

.PHONY: test paper lint format bench docs clean help

help:
	@echo "make test   - create .venv if needed, install [dev], run the whole test suite"
	@echo "make paper  - create .venv if needed, install [notebooks], regenerate every table and figure"
	@echo "make lint   - ruff check and format check; deptry (imports vs declared dependencies)"
	@echo "make docs   - build the HTML documentation in docs/_build/html (tutorials executed)"
	@echo "make bench  - run the speed benchmarks in benchmarks/ (ratios, not absolute times)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q --upgrade pip

# One stamp per extra: re-install only when the dependency pins change.
$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e ".[dev]"
	@touch $@

$(VENV)/.installed-notebooks: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e ".[notebooks]"
	@touch $@

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

paper: $(VENV)/.installed-notebooks
	$(BIN)/enforcement-lab paper build papers

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/deptry gametheory econometrics enforcement_lab

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

docs: $(VENV)/.installed-dev
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html
	@echo "open docs/_build/html/index.html"

bench: $(VENV)/.installed-dev
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf build dist .pytest_cache .ruff_cache
