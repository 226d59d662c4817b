# The two commands of the README: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DO_NOT_TRACK := true
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup run test lint bench test-llm

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $@

run: setup
	$(BIN)/medic up

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/train.py

# Opt-in and slow (a ~55-minute runtime build on 2 busy cores, once: the wheel is kept in
# .medic/llm-wheels; then seconds to minutes per model call): medic eval against a real
# small model (Gemma 3 270M on llama.cpp) served on loopback. Knobs: seconds per call and
# tokens per call, e.g. `make test-llm LLM_TIMEOUT=300 LLM_MAX_TOKENS=64`.
LLM_TIMEOUT ?= 600
LLM_MAX_TOKENS ?= 128
test-llm: setup
	MEDIC_PY=$(BIN)/python LLM_TIMEOUT=$(LLM_TIMEOUT) LLM_MAX_TOKENS=$(LLM_MAX_TOKENS) \
		bash scripts/llm_real.sh
