# Chinese government yearly reports (PDF) → queryable tables.
# `make run` sets up .venv and processes data/raw; `make test` runs the tests.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

RAW ?= data/raw
OUT ?= data/processed
WORK ?= data/interim
JOBS ?=
TIMEOUT ?=
SCHEDULER ?=
REPLACE ?=
BENCH_DOCS ?= 200
PYTHON ?= python3
VENV ?= .venv
PIPELINE := $(VENV)/bin/pipeline
PIPELINE_ARGS := $(RAW) --out $(OUT) --work $(WORK) $(if $(JOBS),--jobs $(JOBS)) \
	$(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(SCHEDULER),--scheduler $(SCHEDULER)) \
	$(if $(REPLACE),--replace)
STAMP := $(VENV)/.installed

## help: list the targets
.PHONY: help
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /' -e 's/: /\t/' | expand -t 18

## setup: create .venv and install the project with its pinned dependencies
.PHONY: setup
setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev,cluster]'
	touch $@

## run: process every PDF in RAW through all stages into OUT (cached per document)
.PHONY: run
run: $(STAMP)
	$(PIPELINE) run $(PIPELINE_ARGS)

## extract: rerun text extraction for every document, then the later stages
## segment: rerun segmentation (paragraphs, sentences, tokens), then the later stages
## figures: rerun figure finding, then the facts and the tables
## facts: rerun the document facts (identity, metrics, checks, tasks, indicators) and the tables
## load: rewrite the tables from the stage outputs (computing any that are missing)
.PHONY: extract segment figures facts load
extract segment figures facts load: $(STAMP)
	$(PIPELINE) $@ $(PIPELINE_ARGS)

## test: run the test suite (sets up .venv first when needed)
.PHONY: test
test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

## test-hostile: the slow hostile inputs too (a 2 GiB deflate bomb, 10 MB of text, 300 scans)
.PHONY: test-hostile
test-hostile: $(STAMP)
	$(VENV)/bin/python -m pytest -q -m hostile_slow tests/test_hostile.py

## bench: BENCH_DOCS generated reports cold (1, 2 jobs), cached, after a figure or metric change
.PHONY: bench
bench: $(STAMP)
	$(VENV)/bin/python scripts/bench_pipeline.py --docs $(BENCH_DOCS)

## bench-stages: extract beside plain pdfplumber on the real PDFs; figure stage chars/s
.PHONY: bench-stages
bench-stages: $(STAMP)
	$(VENV)/bin/python scripts/bench_extract.py
	$(VENV)/bin/python scripts/bench_figures.py

## audit: read AUDIT_INPUTS (../shared/corpus, ../shared/real-pdfs) and print each one's self-checks
AUDIT_INPUTS ?= ../shared/corpus ../shared/real-pdfs
AUDIT_DIR ?= data/audit
.PHONY: audit
audit: $(STAMP)
	@for input in $(AUDIT_INPUTS); do \
		if [ ! -e "$$input" ]; then echo "skipped $$input: absent"; continue; fi; \
		name=$$(basename "$$input"); \
		$(PIPELINE) --quiet audit "$$input" --out $(AUDIT_DIR)/$$name/processed \
			--work $(AUDIT_DIR)/$$name/interim $(if $(JOBS),--jobs $(JOBS)); \
		echo; \
	done

## review: write the review site of OUT into OUT/review/ (open the index.html it prints)
.PHONY: review
review: $(STAMP)
	$(PIPELINE) review --out $(OUT)

## screenshots: docs/review-index.png and docs/review-document.png (needs chromium)
CHROMIUM_SHOT = chromium --headless $(if $(filter 0,$(shell id -u)),--no-sandbox) --disable-gpu \
	--hide-scrollbars --window-size=1280,900
.PHONY: screenshots
screenshots: $(STAMP)
	$(PIPELINE) --quiet run $(PIPELINE_ARGS)
	$(PIPELINE) review --out $(OUT)
	doc=$$($(PIPELINE) query "SELECT doc_id FROM documents WHERE status = 'ok' \
		ORDER BY n_figures DESC, doc_id LIMIT 1" --out $(OUT) --format csv | tail -n 1); \
	$(CHROMIUM_SHOT) --screenshot=docs/review-index.png "file://$(abspath $(OUT))/review/index.html"; \
	$(CHROMIUM_SHOT) --screenshot=docs/review-document.png \
		"file://$(abspath $(OUT))/review/doc/$$doc.html"

## lint: check style with ruff
.PHONY: lint
lint: $(STAMP)
	$(VENV)/bin/ruff check pipeline tests scripts

## samples: regenerate the sample PDFs and test fixtures (the scanned one needs fonts-wqy-zenhei)
.PHONY: samples
samples: $(STAMP)
	$(VENV)/bin/python scripts/make_samples.py

## clean-data: remove WORK and OUT (never RAW)
.PHONY: clean-data
clean-data:
	rm -rf -- $(WORK) $(OUT)
