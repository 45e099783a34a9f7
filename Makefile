# The README's two commands, `make demo` and `make test`, each set everything up on a
# fresh machine (only Python 3.11 and the package registries) and are fast on a rerun.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# torch is pinned first: an unpinned torch pulls several GB of CUDA packages.
TORCH  := torch==2.13.0

.PHONY: install demo test test-all lint bench clean sample

$(STAMP): setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/corpusforge demo

# `slow` tests stay out of the default run; `make test-all` runs them too.
test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

test-all: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Regenerate the sample corpus shipped in corpus/sample/data.
sample: $(STAMP)
	$(BIN)/python scripts/make_sample_corpus.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
