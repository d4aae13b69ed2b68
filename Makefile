# Enforcement Lab: the two set-up commands are `make test` and `make paper`.
# Both create .venv when it is missing and install the project pinned by constraints.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt
PYTEST_ARGS ?= -n auto

.PHONY: test paper lab lint format bench docs clean help

help:
	@echo "make test   - create .venv if needed, install [dev], run the whole test suite"
	@echo "make paper  - create .venv if needed, install [notebooks], regenerate every table and figure"
	@echo "make lab    - create .venv if needed, install [notebooks], start JupyterLab (paper notebooks open as notebooks)"
	@echo "make lint   - ruff check and format check; deptry (imports vs declared dependencies); mypy"
	@echo "make docs   - build the HTML documentation in docs/_build/html (tutorials executed)"
	@echo "make bench  - run the speed benchmarks in benchmarks/ (ratios) and write their record into the docs"

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

# JupyterLab on the repository; jupytext's contents manager opens the paper's and the
# docs' percent-format .py files as notebooks (the override makes that the default viewer).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
lab: $(VENV)/.installed-notebooks
	@mkdir -p $(LAB_SETTINGS)
	@cp papers/jupyterlab-overrides.json $(LAB_SETTINGS)/overrides.json
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/papers/enforcement/01_games.py \
		$(if $(filter 0,$(shell id -u)),--allow-root)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/deptry gametheory econometrics enforcement_lab
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

docs: $(VENV)/.installed-dev
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html
	@echo "open docs/_build/html/index.html"

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build dist .pytest_cache .ruff_cache
