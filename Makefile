# `make` lists the targets. Every target sets up .venv itself, so each works on a fresh clone.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
MODEL_DIR ?= models/default
# `make data` copies the corpora from this folder when set, instead of downloading them.
CORPORA_MIRROR ?= $(or $(SENSATION_CORPORA_MIRROR),$(wildcard ../shared/corpora))
export HOST PORT

MODEL_INPUTS := $(shell find sensational datasets training -type f \( -name '*.py' -o -name '*.tsv' -o -name '*.toml' -o -name '*.jsonl' -o -name '*.json' -o -name '*.pickle' \) 2>/dev/null)

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## install: create .venv and install the pinned requirements
install: $(VENV)/.installed

$(MODEL_DIR)/model.joblib: $(VENV)/.installed $(MODEL_INPUTS)
	$(PY) -m training train --config training/configs/default.toml --output $(MODEL_DIR)

## model: train the default model unless it is up to date
model: $(MODEL_DIR)/model.joblib

## run: serve the API with the default model on $HOST:$PORT (trains it first if needed)
run: model
	SENSATION_MODEL_PATH=$(MODEL_DIR) $(PY) -m service

## test: run the whole test suite, the import contracts and a dry run of the model CI (installs chromium for the browser tests and PostgreSQL for the report-store tests where it can)
test: model
	sh scripts/ensure-chromium.sh
	sh scripts/ensure-postgresql.sh
	$(PY) -m pytest

## train: retrain the default model from training/configs/default.toml
train: install
	$(PY) -m training train --config training/configs/default.toml --output $(MODEL_DIR)

## eval: evaluate the default model against the gates in training/thresholds.toml
eval: model
	$(PY) -m training evaluate --model $(MODEL_DIR) --thresholds training/thresholds.toml --report-dir reports/eval

## data: fetch every public corpus of datasets/manifest.toml (or copy it from $$SENSATION_CORPORA_MIRROR)
data: install
	SENSATION_CORPORA_MIRROR=$(CORPORA_MIRROR) $(PY) -m training fetch --all

## bench: measure quality, speed and scaling, and rewrite docs/benchmarks.md and docs/scaling.md
bench: model
	$(PY) -m benchmarks.run --model $(MODEL_DIR) --output docs/benchmarks.md
	$(PY) -m benchmarks.scale --model $(MODEL_DIR) --output docs/scaling.md

## bench-extraction: article extraction quality and time beside trafilatura's; rewrite docs/extraction.md
bench-extraction: install
	$(PY) -m benchmarks.extraction --output docs/extraction.md

## loadtest: several minutes of concurrent scoring on loopback, with a reload in the middle
loadtest: model
	$(PY) -m tests.load.run --model $(MODEL_DIR)

## lint: ruff over the code
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## clean: remove the virtual environment, models and caches
clean:
	rm -rf $(VENV) models .pytest_cache .ruff_cache

.PHONY: help install model run test train eval data bench bench-extraction loadtest lint clean
