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

# Opt-in and slow (a ~15-minute runtime build once, then 5-20 s per model call): medic eval
# against a real small model (Gemma 3 270M on llama.cpp) served on loopback.
test-llm: setup
	MEDIC_PY=$(BIN)/python bash scripts/llm_real.sh
