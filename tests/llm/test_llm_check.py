"""`medic llm-check` against a real HTTP server on 127.0.0.1: two real calls, timed, warned."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.llm.replay import LLAMA_CPP_PYTHON_REFUSAL, check_answer


class _Server(BaseHTTPRequestHandler):
    """An OpenAI-format server: models, and chat completions with a set speed and status."""

    posts: list[dict] = []
    delay, tokens, status = 0.0, 10, 200
    llama_cpp_python = False  # refuse `json_schema` as that server does

    def do_GET(self):  # noqa: N802 (http.server's name)
        self._send(200, {"object": "list", "data": [{"id": "gemma", "object": "model",
                                                     "created": 0, "owned_by": "me"}]})

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Server.posts.append(body)
        time.sleep(_Server.delay)
        if _Server.llama_cpp_python and \
                body.get("response_format", {}).get("type") == "json_schema":
            self._send(500, LLAMA_CPP_PYTHON_REFUSAL)
        elif _Server.status != 200:
            self._send(_Server.status, {"error": {"message": "internal error"}})
        else:
            self._send(200, check_answer(body, _Server.tokens))

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    _Server.posts, _Server.delay, _Server.tokens, _Server.status = [], 0.0, 10, 200
    _Server.llama_cpp_python = False
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("MEDIC_LLM_PROVIDER", "openai")
    monkeypatch.setenv("MEDIC_LLM_MODEL", "gemma")
    monkeypatch.setenv("MEDIC_LLM_BASE_URL", f"http://127.0.0.1:{httpd.server_address[1]}/v1")
    monkeypatch.setenv("MEDIC_LLM_MAX_TOKENS", "16")
    monkeypatch.setenv("MEDIC_LLM_TIMEOUT", "600")
    yield _Server
    httpd.shutdown()
    httpd.server_close()


def test_llm_check_makes_a_tiny_completion_and_a_structured_call(server):
    result = CliRunner().invoke(app, ["llm-check", "--json"])
    assert result.exit_code == 0, result.output
    checked = json.loads(result.output)
    assert checked["ok"] is True and checked["warnings"] == []
    assert [c["name"] for c in checked["calls"]] == ["completion", "structured"]
    for call in checked["calls"]:
        assert call["ok"] and call["tokens"] == 10 and call["tokens_per_second"] > 0
    tiny, structured = server.posts
    assert "response_format" not in tiny and tiny["max_tokens"] <= 16
    assert structured["response_format"]["type"] == "json_schema"
    assert structured["max_tokens"] == 16
    shown = CliRunner().invoke(app, ["llm-check"])
    assert shown.exit_code == 0 and "structured call:" in shown.output
    assert "tokens/s" in shown.output


def test_llm_check_warns_when_max_tokens_at_the_measured_speed_outlasts_the_timeout(
        server, monkeypatch):
    server.delay, server.tokens = 0.05, 1  # at least 0.05 s per token
    monkeypatch.setenv("MEDIC_LLM_MAX_TOKENS", "32768")  # × 0.05 s ≥ 1,638 s
    monkeypatch.setenv("MEDIC_LLM_TIMEOUT", "30")
    result = CliRunner().invoke(app, ["llm-check", "--json"])
    assert result.exit_code == 0, result.output  # a warning, not a failure
    [warning] = json.loads(result.output)["warnings"]
    assert "MEDIC_LLM_MAX_TOKENS 32768" in warning and "MEDIC_LLM_TIMEOUT 30 s" in warning
    shown = CliRunner().invoke(app, ["llm-check"])
    assert "warning:" in shown.output


def test_llm_check_fails_when_the_models_list_answers_but_real_calls_do_not(server):
    server.status = 500  # GET /v1/models still answers 200
    result = CliRunner().invoke(app, ["llm-check", "--json"])
    assert result.exit_code == 1
    checked = json.loads(result.output)
    assert checked["ok"] is False and "the completion call failed" in checked["detail"]
    assert not any(c["ok"] for c in checked["calls"])


def test_llm_check_structured_call_passes_on_a_server_that_refuses_json_schema(server):
    server.llama_cpp_python = True
    result = CliRunner().invoke(app, ["llm-check", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ok"] is True
    _tiny, refused, structured = server.posts
    assert refused["response_format"]["type"] == "json_schema"
    assert structured["response_format"] == {"type": "json_object", "schema": {
        "type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}},
        "required": ["status"]}}


@pytest.mark.slow
def test_a_real_server_opens_its_agent_only_when_the_chat_needs_one(server, trained):
    """`medic up` runs the agent in its worker child; the serving process opens an agent of
    its own only when a service asks for one, here an LLM's chat, and answers meanwhile."""
    from tests.api.conftest import role_keys
    from tests.processes import local, log_of, start_medic, stop, wait_for

    settings = trained[0]
    key = {"X-API-Key": role_keys(settings)["viewer"]}
    process, url = start_medic(settings.home, verbose=True)
    try:
        wait_for(lambda: "agent worker started" in log_of(settings.home).read_text(),
                 timeout=120, what="the worker child to start")
        assert "agent opened in the serving process" not in log_of(settings.home).read_text()
        answered = local.post(url + "/v1/chat", json={"question": "what is wrong?"},
                              headers=key, timeout=120)
        assert answered.status_code == 200, answered.text
        assert answered.json()["answer"]
        assert "agent opened in the serving process" in log_of(settings.home).read_text()
    finally:
        stop(process)
