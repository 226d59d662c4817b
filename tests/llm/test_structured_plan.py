"""Planning by one schema-constrained call, as small local runtimes need: OpenAI and Ollama."""

import json

import pytest

from agent_graph.llm.client import make_llm, planning_mode
from tests.conftest import Driver, drift_alert, make_settings
from tests.llm.replay import BASE, Replay
from tests.llm.test_llm_path import EVIDENCE, outcome

PLAN_TOOLS = {"retrain", "promote", "rollback", "reload_model", "notify"}


@pytest.fixture
def small_agent(trained, clock, request):
    from agent_graph.runtime.runner import open_agent

    settings = make_settings(trained[0].home, llm_provider=request.param, llm_model="gemma",
                             llm_base_url=BASE[request.param], llm_timeout=2,
                             llm_max_tokens=96, llm_planning="structured")
    with open_agent(settings, clock=clock) as running:
        agent = Driver(running, settings)
        agent.provider = request.param
        yield agent


def schema_of(body: dict) -> dict:
    if "response_format" in body:
        assert body["response_format"]["type"] == "json_schema"
        return body["response_format"]["json_schema"]["schema"]
    return body["format"]


def offered(schema: dict) -> set[str]:
    items = schema["properties"]["calls"]["items"]["anyOf"]
    return {name for item in items for name in item["properties"]["tool"]["enum"]}


def planned(found) -> dict:
    return next(e for e in found["timeline"] if e["event"] == "planned")


@pytest.mark.parametrize("small_agent", ["openai", "ollama"], indirect=True)
def test_structured_plan_is_one_schema_constrained_call_and_decides(small_agent):
    with Replay(small_agent.provider, {"assess": ["assess_high_drift.json"],
                                       "investigate": ["structured_none.json"],
                                       "plan": ["structured_plan_retrain.json"]},
                EVIDENCE) as replay:
        ingested = small_agent.submit(drift_alert())
    found, ran = outcome(small_agent, ingested)
    assert replay.steps() == ["assess", "investigate", "plan"]
    assert found["decided_by"] == "llm" and planned(found)["actor"] == "llm"
    assert [s["tool"] for s in found["plan"]] == ["retrain"]
    assert found["state"] == "awaiting_approval" and ran == []
    investigate, plan = replay.calls[1][1], replay.calls[2][1]
    for body in (investigate, plan):
        assert not body.get("tools")  # no free tool calls: one constrained answer
        assert "maxLength" not in json.dumps(schema_of(body))
        assert "\\d" not in json.dumps(schema_of(body))  # llama.cpp's converter breaks on it
    assert offered(schema_of(plan)) == PLAN_TOOLS
    rollback = next(i for i in schema_of(plan)["properties"]["calls"]["items"]["anyOf"]
                    if i["properties"]["tool"]["enum"] == ["rollback"])
    assert rollback["properties"]["args"]["properties"]["expected_champion"]["pattern"] == \
        "^[0-9]+$"
    assert "drift_report" in offered(schema_of(investigate))
    assert not offered(schema_of(investigate)) & PLAN_TOOLS  # investigation only reads
    prompt = plan["messages"][-1]["content"]
    assert "Tools you may call:" in prompt and "- retrain:" in prompt and '"calls"' in prompt
    sent = plan["max_tokens"] if small_agent.provider == "openai" else \
        plan["options"]["num_predict"]
    assert sent == 96


@pytest.mark.parametrize("small_agent", ["openai"], indirect=True)
def test_structured_calls_reach_a_server_that_refuses_json_schema(small_agent):
    """llama-cpp-python's server takes the schema only as `json_object` (HTTP 500 otherwise)."""
    with Replay("openai", {"assess": ["assess_high_drift.json"],
                           "investigate": ["structured_none.json"],
                           "plan": ["structured_plan_retrain.json"]},
                EVIDENCE, llama_cpp_python=True) as replay:
        ingested = small_agent.submit(drift_alert())
    found, ran = outcome(small_agent, ingested)
    assert found["decided_by"] == "llm" and planned(found)["actor"] == "llm"
    assert [s["tool"] for s in found["plan"]] == ["retrain"]
    assert found["state"] == "awaiting_approval" and ran == []
    assert replay.steps() == ["assess", "investigate", "plan"]
    assert len(replay.refused) == 1  # the refused form is not asked for again
    plan = replay.calls[2][1]
    assert plan["response_format"]["type"] == "json_object"
    assert offered(plan["response_format"]["schema"]) == PLAN_TOOLS


@pytest.mark.parametrize("small_agent", ["openai", "ollama"], indirect=True)
def test_broken_structured_plan_is_retried_once_and_the_good_one_used(small_agent):
    with Replay(small_agent.provider, {"assess": ["assess_high_drift.json"],
                                       "investigate": ["structured_none.json"],
                                       "plan": ["structured_plan_broken.json",
                                                "structured_plan_retrain.json"]},
                EVIDENCE) as replay:
        ingested = small_agent.submit(drift_alert())
    found, _ran = outcome(small_agent, ingested)
    assert replay.steps().count("plan") == 2
    assert found["decided_by"] == "llm" and [s["tool"] for s in found["plan"]] == ["retrain"]


@pytest.mark.parametrize("small_agent", ["openai", "ollama"], indirect=True)
def test_structured_plan_broken_twice_leaves_the_rules_plan(small_agent):
    with Replay(small_agent.provider, {"assess": ["assess_high_drift.json"],
                                       "investigate": ["structured_none.json"],
                                       "plan": ["structured_plan_broken.json"]},
                EVIDENCE) as replay:
        ingested = small_agent.submit(drift_alert())
    found, ran = outcome(small_agent, ingested)
    assert replay.steps().count("plan") == 2
    assert found["decided_by"] == "rules" and [s["tool"] for s in found["plan"]] == ["retrain"]
    assert "did not validate after one retry" in planned(found)["data"]["why"]
    assert found["verdict"] == "approval" and ran == []


@pytest.mark.parametrize("small_agent", ["openai"], indirect=True)
def test_structured_plan_weaker_than_the_rules_goes_to_a_person(small_agent):
    with Replay("openai", {"assess": ["assess_high_drift.json"],
                           "investigate": ["structured_none.json"],
                           "plan": ["structured_plan_notify.json"]}, EVIDENCE):
        ingested = small_agent.submit(drift_alert())
    found, _ran = outcome(small_agent, ingested)
    assert found["decided_by"] == "person" and [s["tool"] for s in found["plan"]] == ["retrain"]
    assert planned(found)["data"]["proposals"] == {"rules": ["retrain"], "llm": ["notify"]}


@pytest.mark.parametrize(("provider", "base_url", "setting", "mode"), [
    ("openai", "", "auto", "tools"),  # OpenAI's own API does tool calls well
    ("openai", "https://api.openai.com/v1", "auto", "tools"),
    ("openai", "http://127.0.0.1:8765/v1", "auto", "structured"),  # llama.cpp, vLLM, …
    ("ollama", "http://127.0.0.1:11434", "auto", "structured"),
    ("openai", "http://127.0.0.1:8765/v1", "tools", "tools"),
    ("openai", "", "structured", "structured"),
])
def test_planning_defaults_sensibly_for_the_provider(tmp_path, provider, base_url, setting,
                                                     mode):
    settings = make_settings(tmp_path, llm_provider=provider, llm_model="m",
                             llm_base_url=base_url, llm_planning=setting)
    assert planning_mode(settings) == mode
    assert make_llm(settings).planning == mode
