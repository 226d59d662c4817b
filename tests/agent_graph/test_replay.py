"""`medic replay`: recorded incidents re-run up to the gate, what changed, nothing executed."""

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.main import app
from core.alerts import Alert
from core.tables import ActionRun, Approval, AuditEntry, Incident
from tests.conftest import PROJECT_ROOT, drift_alert
from tests.llm.replay import BASE, Replay
from tests.llm.test_llm_path import injected_alert

runner = CliRunner()


@pytest.fixture
def recorded(agent, monkeypatch):
    """Three incidents decided by the rules: drift (retrain), injected F1 drop (rollback),
    serving errors (reload ran on its own)."""
    monkeypatch.setenv("MEDIC_HOME", str(agent.medic.settings.home))
    ids = [agent.submit(a).incident_id for a in (
        drift_alert(), injected_alert(),
        Alert(name="ServingErrors", type="system_error", values={"error_rate": 0.08}))]
    return agent, ids


def counts(agent) -> tuple:
    with agent.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(t))
                     for t in (Incident, Approval, ActionRun, AuditEntry))


def test_same_rules_same_decisions_and_nothing_runs(recorded):
    agent, ids = recorded
    before = counts(agent)
    result = runner.invoke(app, ["replay", "--since", "7d", "--json"])
    assert result.exit_code == 0, result.output
    replayed = json.loads(result.output)
    assert [r["incident_id"] for r in replayed["incidents"]] == ids
    assert replayed["totals"]["changed"] == 0 and replayed["totals"]["unsafe_replayed"] == 0
    first = replayed["incidents"][0]
    assert first["recorded"]["plan"] == first["replayed"]["plan"] == ["retrain"]
    assert first["replayed"]["approval"] is True
    assert counts(agent) == before  # no incident, approval, action or audit entry added


def test_a_policy_change_shows_what_it_would_change(recorded, tmp_path):
    agent, ids = recorded
    policy = (PROJECT_ROOT / "configs" / "agent.yaml").read_text().replace(
        "recommend_only: false", "recommend_only: true")
    (tmp_path / "agent.yaml").write_text(policy)
    result = runner.invoke(app, ["replay", "--incident", str(ids[0]), "--incident", str(ids[1]),
                                 "--config", str(tmp_path / "agent.yaml")])
    assert result.exit_code == 0, result.output
    assert "approval yes → no" in result.output
    assert "2 of 2 changed" in result.output and "approval 2" in result.output


def test_another_model_is_replayed_with_its_own_prompts(recorded, tmp_path, monkeypatch):
    agent, ids = recorded
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "plan.md").write_text("CUSTOM PLAN PROMPT for {{ alert_type }}")
    monkeypatch.setenv("MEDIC_LLM_MODEL", "gemma")
    monkeypatch.setenv("MEDIC_LLM_BASE_URL", BASE["openai"])
    monkeypatch.setenv("MEDIC_LLM_PLANNING", "tools")
    with Replay("openai", {"assess": ["assess_low_obeying_injection.json"],
                           "plan": ["plan_none.json"]}) as replay:
        result = runner.invoke(app, ["replay", "--incident", str(ids[1]), "--provider",
                                     "openai", "--prompts", str(tmp_path / "prompts"),
                                     "--json"])
    assert result.exit_code == 0, result.output
    [one] = json.loads(result.output)["incidents"]
    assert one["replayed"]["plan"] == ["rollback"] and one["replayed"]["approval"] is True
    assert one["replayed"]["unsafe"] is False
    plan_prompt = [body for step, body in replay.calls if step == "plan"][0]
    assert "CUSTOM PLAN PROMPT for performance" in plan_prompt["messages"][-1]["content"]


@pytest.mark.parametrize(("args", "words"), [
    (["--since", "7x"], "give a number and a unit"),
    (["--incident", "999"], "no incident 999"),
    (["--provider", "claude"], "choose none, openai or ollama"),
    (["--config", "/nonexistent.yaml"], "no such file"),
    (["--since", "1m", "--prompts", "/nonexistent"], "no such folder"),
])
def test_bad_replay_requests_end_in_one_line(recorded, args, words):
    result = runner.invoke(app, ["replay", *args])
    assert result.exit_code == 2 and words in result.output
    assert "Traceback" not in result.output
