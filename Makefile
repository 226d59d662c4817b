# The two commands of the README: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SOURCES := core ml tools agent_graph services api cli ui prompts configs tests bench scripts
export DO_NOT_TRACK := true
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup bytecode run test lint bench test-llm

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $@

# Bytecode for Medic's own modules, refreshed for what changed since: with PYTHONDONTWRITEBYTECODE
# set (as the Dockerfile and many CI images do) Python would otherwise compile every imported
# module from source in every process. The installed packages are compiled by uv above.
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q -j 0 $(SOURCES)

run: bytecode
	$(BIN)/medic up

# The docs site must build with no warning (broken links, missing anchors, pages left out of
# the nav). No --quiet: with it mkdocs stops counting warnings and --strict passes anything.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir $(VENV)/site

# Test files run on TEST_JOBS workers (pytest-xdist), each file whole on one worker so its
# module fixtures (a running server, a browser) are built once; the trained home is made once
# per run. Most tests wait on real servers and subprocesses, so four workers keep two cores
# busy (three left a quarter of them idle: 149 % of CPU, 854 s; four: 167 %, 525 s). Files are handed out in collection order, which puts the files holding `slow` tests
# first (tests/conftest.py): xdist's own reordering (most tests first) would start the
# minutes-long single-test files last. The slowest tests are listed at the end.
TEST_JOBS ?= 4

test: lint bytecode
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder --durations=15

bench: setup
	$(BIN)/python bench/train.py

# Opt-in and slow (a 45–55-minute runtime build on 2 busy cores, once: the wheel is kept in
# .medic/llm-wheels; then seconds to minutes per model call): medic eval against a real
# small model (Gemma 3 270M on llama.cpp) served on loopback. Knobs: seconds per call and
# tokens per call, e.g. `make test-llm LLM_TIMEOUT=300 LLM_MAX_TOKENS=64`.
LLM_TIMEOUT ?= 600
LLM_MAX_TOKENS ?= 128
test-llm: setup
	MEDIC_PY=$(BIN)/python LLM_TIMEOUT=$(LLM_TIMEOUT) LLM_MAX_TOKENS=$(LLM_MAX_TOKENS) \
		bash scripts/llm_real.sh
