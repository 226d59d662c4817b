"""A weak real model's defects, replayed: each test is named after the defect it guards."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.alerts import Alert
from tests.conftest import Driver, drift_alert, make_settings
from tests.llm.replay import BASE, Replay, check_answer
from tests.llm.test_llm_path import EVIDENCE, injected_alert, outcome


@pytest.fixture
def weak_agent(trained, clock, request):
    from agent_graph.runtime.runner import open_agent

    provider = getattr(request, "param", "openai")
    settings = make_settings(trained[0].home, llm_provider=provider, llm_model="gemma",
                             llm_base_url=BASE[provider], llm_timeout=2, llm_max_tokens=96,
                             llm_planning="tools")
    with open_agent(settings, clock=clock) as running:
        agent = Driver(running, settings)
        agent.provider = provider
        yield agent


def planned(found) -> dict:
    return next(e for e in found["timeline"] if e["event"] == "planned")


@pytest.mark.parametrize("weak_agent", ["openai", "ollama"], indirect=True)
def test_empty_llm_plan_on_an_injected_f1_collapse_goes_to_a_person(weak_agent):
    with Replay(weak_agent.provider, {"assess": ["assess_low_obeying_injection.json"],
                                      "plan": ["plan_none.json"]}):
        ingested = weak_agent.submit(injected_alert())
    found, ran = outcome(weak_agent, ingested)
    assert ran == [] and found["verdict"] == "approval"
    assert found["state"] == "awaiting_approval" and found["severity_level"] == "high"
    assert [s["tool"] for s in found["plan"]] == ["rollback"]
    assert found["decided_by"] == "person"  # LLM and rules disagree: a person decides
    assert planned(found)["data"]["proposals"] == {"rules": ["rollback"], "llm": []}


def test_empty_llm_plan_on_high_drift_keeps_the_rules_retrain(weak_agent):
    with Replay("openai", {"assess": ["assess_high_drift.json"], "plan": ["plan_none.json"]}):
        ingested = weak_agent.submit(drift_alert())
    found, _ran = outcome(weak_agent, ingested)
    assert found["verdict"] == "approval" and [s["tool"] for s in found["plan"]] == ["retrain"]
    assert "disagree" in planned(found)["data"]["why"]


def test_empty_llm_plan_against_a_safe_rules_plan_runs_nothing_on_its_own(weak_agent):
    with Replay("openai", {"assess": ["assess_medium_errors.json"], "plan": ["plan_none.json"]}):
        ingested = weak_agent.submit(Alert(name="ServingErrors", type="system_error",
                                           values={"error_rate": 0.08}))
    found, ran = outcome(weak_agent, ingested)
    assert ran == [] and found["verdict"] == "approval"
    assert [s["tool"] for s in found["plan"]] == ["reload_model"]


@pytest.mark.parametrize("weak_agent", ["openai", "ollama"], indirect=True)
def test_max_tokens_is_sent_with_every_call(weak_agent):
    with Replay(weak_agent.provider, {"assess": ["assess_high_drift.json"],
                                      "plan": ["plan_retrain.json"]}, EVIDENCE) as replay:
        weak_agent.submit(drift_alert())
    assert len(replay.calls) >= 2
    for _step, body in replay.calls:
        sent = body["max_tokens"] if weak_agent.provider == "openai" else \
            body["options"]["num_predict"]
        assert sent == 96


def test_default_max_tokens_is_bounded(tmp_path):
    assert 16 <= make_settings(tmp_path).llm_max_tokens <= 2048


def test_tool_schemas_carry_no_length_bounds_and_long_rationales_are_truncated(weak_agent):
    with Replay("openai", {"assess": ["assess_long_rationale.json"],
                           "plan": ["plan_retrain.json"]}, EVIDENCE) as replay:
        ingested = weak_agent.submit(drift_alert())
    for _step, body in replay.calls:
        assert "maxLength" not in json.dumps(body.get("tools"))
    found, _ran = outcome(weak_agent, ingested)
    assert found["decided_by"] == "llm" and found["severity_score"] == 0.82
    rationale = found["decision_note"].removeprefix("llm: ").split(" (rules said")[0]
    assert len(rationale) == 2000


class _Models(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Models.seen.append(self.headers.get("Authorization", ""))
        body = json.dumps({"object": "list", "data": [{"id": "gemma", "object": "model",
                                                       "created": 0, "owned_by": "me"}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def do_POST(self):  # noqa: N802 (http.server's name)
        _Models.seen.append(self.headers.get("Authorization", ""))
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        body = json.dumps(check_answer(sent)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Models)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_llm_check_answers_against_a_local_server_with_no_key(local_server, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("MEDIC_LLM_PROVIDER", "openai")
    monkeypatch.setenv("MEDIC_LLM_MODEL", "gemma")
    monkeypatch.setenv("MEDIC_LLM_BASE_URL", local_server)
    result = CliRunner().invoke(app, ["llm-check", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ok"] is True
    assert _Models.seen and _Models.seen[-1].startswith("Bearer ") and \
        _Models.seen[-1].strip() != "Bearer"


@pytest.fixture
def chat_agent(trained, clock, request):
    from agent_graph.runtime.runner import open_agent

    settings = make_settings(trained[0].home, llm_provider=request.param, llm_model="m",
                             llm_base_url=BASE[request.param])
    with open_agent(settings, clock=clock) as running:
        agent = Driver(running, settings)
        agent.provider = request.param
        yield agent


@pytest.mark.parametrize("chat_agent", ["openai", "ollama"], indirect=True)
def test_chat_sends_tool_results_as_tool_turns_so_roles_alternate(chat_agent):
    with Replay(chat_agent.provider,
                {"chat": ["chat_lookup_registry.json", "chat_answer.json"]}) as replay:
        reply = chat_agent.ask("which model is in production?")
    assert reply.decided_by == "llm" and "Version 2 is the champion" in reply.answer
    messages = replay.calls[1][1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool"]
    asked, answered = messages[2], messages[3]
    assert asked["tool_calls"][0]["function"]["name"] == "registry_lookup"
    if chat_agent.provider == "openai":
        assert answered["tool_call_id"] == asked["tool_calls"][0]["id"]
    else:
        assert answered["tool_name"] == "registry_lookup"
    assert '"version": "2"' in answered["content"]


def test_planned_event_names_the_llm_when_the_llm_planned(weak_agent):
    with Replay("openai", {"assess": ["assess_high_drift.json"], "plan": ["plan_retrain.json"]}):
        found, _ran = outcome(weak_agent, weak_agent.submit(drift_alert()))
    assert planned(found)["actor"] == "llm"
    with Replay("openai", {"assess": [500]}):
        found, _ran = outcome(weak_agent, weak_agent.submit(drift_alert(name="Other")))
    assert planned(found)["actor"] == "rules"


@pytest.mark.parametrize("chat_agent", ["openai"], indirect=True)
def test_an_answer_that_only_echoes_the_prompt_falls_back_to_intents(chat_agent):
    with Replay("openai", {"chat": ["chat_echo.json"]}):
        reply = chat_agent.ask("which model is in production?")
    assert reply.decided_by == "rules" and reply.intent == "registry_status"
    assert "champion" in reply.answer and "intent matching" in reply.note


def test_a_real_short_answer_is_not_taken_for_an_echo():
    from agent_graph.chat.echo import is_non_answer

    prompt = "Answer the operator's question.\n\nQuestion:\n\"which model is in production?\""
    assert not is_non_answer("Version 2 is the champion.", [prompt])
    assert is_non_answer("", [prompt])
    assert is_non_answer("Question: which model is in production?", [prompt])
