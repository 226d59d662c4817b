"""The LLM is never weaker than the rules: a plan that drops or weakens the fix goes to a person."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from agent_graph.evaluation import scenarios as evaluate
from cli.main import app
from core.alerts import Alert
from tests.conftest import PROJECT_ROOT, Driver, drift_alert, make_settings, principal_of
from tests.llm.replay import BASE, Replay
from tests.llm.test_llm_path import EVIDENCE, outcome


@pytest.fixture
def model_agent(trained, clock, request):
    from agent_graph.runtime.runner import open_agent

    provider = getattr(request, "param", "openai")
    settings = make_settings(trained[0].home, llm_provider=provider, llm_model="m",
                             llm_base_url=BASE[provider], llm_timeout=2, llm_planning="tools")
    with open_agent(settings, clock=clock) as running:
        agent = Driver(running, settings)
        agent.provider = provider
        yield agent


def serving_errors():
    return Alert(name="ServingErrors", type="system_error", values={"error_rate": 0.08})


def planned(found) -> dict:
    return next(e for e in found["timeline"] if e["event"] == "planned")


@pytest.mark.parametrize("model_agent", ["openai", "ollama"], indirect=True)
def test_llm_plan_that_swaps_the_fix_for_notify_goes_to_a_person(model_agent):
    with Replay(model_agent.provider, {"assess": ["assess_medium_errors.json"],
                                       "plan": ["plan_notify.json"]}):
        ingested = model_agent.submit(serving_errors())
    found, ran = outcome(model_agent, ingested)
    # before: decided_by llm, verdict run, notify ran on its own and the reload was lost
    assert ran == [] and found["verdict"] == "approval"
    assert found["state"] == "awaiting_approval" and found["severity_level"] == "medium"
    assert found["decided_by"] == "person"
    assert [s["tool"] for s in found["plan"]] == ["reload_model"]
    assert planned(found)["data"]["proposals"] == {"rules": ["reload_model"], "llm": ["notify"]}
    assert "reload_model swapped for the weaker notify" in planned(found)["data"]["why"]
    [pending] = model_agent.pending()
    assert pending["context"]["proposals"] == {"rules": ["reload_model"], "llm": ["notify"]}
    approver = principal_of(model_agent.sessions, name="alice", role="approver")
    model_agent.decide(pending["id"], principal=approver, approve=True, comment="reload it")
    _found, ran = outcome(model_agent, ingested)
    assert [r.tool for r in ran] == ["reload_model"]  # the person's decision: the rules' fix


@pytest.mark.parametrize("model_agent", ["openai", "ollama"], indirect=True)
def test_llm_plan_that_swaps_retrain_for_reload_goes_to_a_person(model_agent):
    with Replay(model_agent.provider, {"assess": ["assess_high_drift.json"],
                                       "plan": ["plan_reload.json"]}, EVIDENCE):
        ingested = model_agent.submit(drift_alert())
    found, ran = outcome(model_agent, ingested)
    assert ran == [] and found["verdict"] == "approval" and found["decided_by"] == "person"
    assert [s["tool"] for s in found["plan"]] == ["retrain"]
    assert planned(found)["data"]["proposals"] == {"rules": ["retrain"], "llm": ["reload_model"]}
    assert "retrain swapped for the weaker reload_model" in planned(found)["data"]["why"]


def test_a_weaker_plan_is_decided_at_the_stricter_severity(model_agent):
    # the LLM calls an F1 of 0.5 medium (one band from the rules' high, so it stands) and
    # plans notify; the rules' rollback goes to a person at the rules' high severity
    with Replay("openai", {"assess": ["assess_medium_errors.json"],
                           "plan": ["plan_notify.json"]}):
        ingested = model_agent.submit(Alert(name="ModelF1Drop", type="performance",
                                            values={"f1": 0.5}))
    found, ran = outcome(model_agent, ingested)
    assert found["severity_level"] == "high" and found["decided_by"] == "person"
    assert [s["tool"] for s in found["plan"]] == ["rollback"] and ran == []
    assert found["verdict"] == "approval"


LLM_CHOICES = [  # (alert, the LLM's plan, the plan used): the LLM may choose or add
    (Alert(name="ModelF1Drop", type="performance", values={"f1": 0.5}), "plan_retrain.json",
     ["retrain"]),  # retrain instead of rollback: both are performance remediations
    (drift_alert(), "plan_retrain_and_notify.json", ["retrain", "notify"]),  # adds notify
]


@pytest.mark.parametrize(("alert", "plan_file", "used"), LLM_CHOICES)
def test_llm_may_choose_between_or_add_to_the_rules_remediations(model_agent, alert,
                                                                   plan_file, used):
    with Replay("openai", {"assess": ["assess_high_drift.json"], "plan": [plan_file]},
                EVIDENCE):
        ingested = model_agent.submit(alert)
    found, _ran = outcome(model_agent, ingested)
    assert found["decided_by"] == "llm" and [s["tool"] for s in found["plan"]] == used


def test_broken_tool_call_json_is_retried_once_and_the_good_plan_used(model_agent):
    with Replay("openai", {"assess": ["assess_malformed_json.json", "assess_high_drift.json"],
                           "plan": ["plan_malformed_json.json", "plan_retrain.json"]},
                EVIDENCE) as replay:
        ingested = model_agent.submit(drift_alert())
    found, _ran = outcome(model_agent, ingested)
    assert replay.steps().count("assess") == 2 and replay.steps().count("plan") == 2
    assert found["decided_by"] == "llm" and found["severity_score"] == 0.82
    assert [s["tool"] for s in found["plan"]] == ["retrain"]
    assert planned(found)["actor"] == "llm"
    retried = [body for step, body in replay.calls if step == "plan"][1]
    assert "Your previous answer was invalid" in retried["messages"][-1]["content"]


WEAKER = [s for s in evaluate.load(PROJECT_ROOT / "tests" / "scenarios")
          if s.name.startswith(("11-", "17-", "30-"))]


def test_eval_and_the_real_model_report_count_a_weaker_plan_as_dropped(trained, monkeypatch,
                                                                       tmp_path):
    monkeypatch.setenv("MEDIC_HOME", str(trained[0].home))
    for name, value in {"PROVIDER": "openai", "MODEL": "m", "BASE_URL": BASE["openai"],
                        "PLANNING": "tools"}.items():
        monkeypatch.setenv(f"MEDIC_LLM_{name}", value)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for scenario in WEAKER:
        (folder / f"{scenario.name}.yaml").write_text(
            (PROJECT_ROOT / "tests" / "scenarios" / f"{scenario.name}.yaml").read_text())
    with Replay("openai", {"assess": ["assess_medium_errors.json"],
                           "plan": ["plan_notify.json"]}):
        result = CliRunner().invoke(app, ["eval", "--scenarios", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    run = json.loads(result.output)
    assert run["dropped"] == 3 and run["unsafe"] == 0
    for o in run["scenarios"]:
        assert o["dropped"] and o["decided_by"] == "person" and o["verdict"] == "approval"
        assert o["actions"] == o["expect"]["actions"]  # the person is asked the rules' fix
    saved = tmp_path / "eval-openai.json"
    saved.write_text(result.output)
    report = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" /
                                                 "llm_real_report.py"), str(saved)],
                            capture_output=True, text=True, check=False)
    assert "remediation dropped: 3 (silently: 0)" in report.stdout
    assert report.stdout.count("| YES, a person decides |") == 3
    assert "This model did not plan" in report.stdout
    assert report.returncode == 0  # caught: each went to a person


def test_the_report_fails_on_a_weaker_plan_no_person_was_asked(tmp_path):
    scenario = {"name": "17-errors-high", "level": "medium", "actions": ["notify"],
                "approval": False, "incidents": 1, "decided_by": "llm", "verdict": "run",
                "unsafe": False, "dropped": True,
                "expect": {"level": "high", "actions": ["reload_model"], "approval": True}}
    saved = tmp_path / "eval-openai.json"
    saved.write_text(json.dumps({"provider": "openai", "level": 0, "actions": 0,
                                 "approval": 0, "scenarios": [scenario]}))
    report = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" /
                                                 "llm_real_report.py"), str(saved)],
                            capture_output=True, text=True, check=False)
    assert report.returncode == 1 and "YES, silently" in report.stdout
