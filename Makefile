# The README's two commands, `make demo` and `make test`, each set everything up on a
# fresh machine (only Python 3.11 and the package registries) and are fast on a rerun.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Every package a fresh install gets is pinned here (`make lock` regenerates it); installs use it as
# constraints, so an upstream release changes nothing until the lock is refreshed and tested.
LOCK   := requirements/lock.txt
PIP    := $(BIN)/python -m pip install -q -c $(LOCK)
# torch is installed first and alone: the lock names the CPU build (2.13.0+cpu, a file on this
# machine's disk); resolved together with the rest, pip could fall back to a CUDA build of several GB.
TORCH  := torch==2.13.0

.PHONY: install demo test test-all lint bench clean sample lock browser

$(STAMP): setup.py $(LOCK) requirements/tools.in
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements/tools.in
	$(PIP) $(TORCH)
	$(PIP) -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Regenerate the lock from setup.py (every extra: the Dataflow image installs from it too), then run
# `make test` and commit both. Needs the package registries.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	    --extra dev --extra dask --extra dataflow -o $(LOCK) setup.py requirements/tools.in

demo: $(STAMP)
	$(BIN)/corpusforge demo

# Headless Chromium for tests/test_report_browser.py (Debian's package; the test fails without it
# when CORPUSFORGE_REQUIRE_BROWSER=1, which `make test` sets).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# `slow` tests stay out of the default run; `make test-all` runs them too. Most tests use one core,
# so they run in one pytest-xdist worker per core, a test file per worker (module fixtures built once).
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

test: $(STAMP) browser
	CORPUSFORGE_REQUIRE_BROWSER=1 $(PYTEST) -m "not slow"

test-all: $(STAMP) browser
	CORPUSFORGE_REQUIRE_BROWSER=1 $(PYTEST)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Regenerate the sample corpus shipped in corpus/sample/data.
sample: $(STAMP)
	$(BIN)/python scripts/make_sample_corpus.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
