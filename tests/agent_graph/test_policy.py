from datetime import UTC, datetime, timedelta

import pytest

from agent_graph import policy, rules
from agent_graph.config import AgentConfig
from agent_graph.policy import Usage

CONFIG = AgentConfig.load()
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


@pytest.mark.parametrize(("alert", "values", "level"), [
    ({"type": "drift"}, {"drift_share": 0.1}, "low"),
    ({"type": "drift"}, {"drift_share": 0.35}, "medium"),
    ({"type": "drift"}, {"drift_share": 0.6}, "high"),
    ({"type": "performance"}, {"f1": 0.7}, "medium"),
    ({"type": "performance"}, {"f1": 0.5}, "high"),
    ({"type": "system_error", "labels": {"severity": "critical"}}, {}, "high"),
    ({"type": "unknown", "labels": {"severity": "info"}}, {}, "low"),
])
def test_rules_score_type_labels_and_values(alert, values, level):
    score, reasons = rules.score(alert, values, CONFIG)
    assert rules.level(score, CONFIG) == level and reasons


def test_plan_rules():
    assert rules.plan("drift", {"drift_share": 0.4}, CONFIG)[0] == ["retrain"]
    assert rules.plan("drift", {"drift_share": 0.1}, CONFIG)[0] == []
    assert rules.plan("performance", {"previous_healthy": True}, CONFIG)[0] == ["rollback"]
    assert rules.plan("performance", {"previous_healthy": False}, CONFIG)[0] == ["retrain"]


def step(tool):
    return policy.planned(tool, {})


def test_risky_needs_approval_at_any_band_safe_only_at_high():
    assert policy.decide([step("rollback")], "medium", CONFIG, Usage(), NOW).verdict == "approval"
    assert policy.decide([step("reload_model")], "medium", CONFIG, Usage(), NOW).verdict == "run"
    assert policy.decide([step("reload_model")], "high", CONFIG, Usage(), NOW).verdict == \
        "approval"
    assert policy.decide([step("rollback")], "low", CONFIG, Usage(), NOW).verdict == "log_only"


def test_the_budgets_are_read_only_when_the_gate_checks_them():
    reads = []

    def spent():
        reads.append(1)
        return Usage(runs={"retrain": 2})

    assert policy.decide([step("retrain")], "low", CONFIG, spent, NOW).verdict == "log_only"
    assert policy.decide([], "high", CONFIG, spent, NOW).verdict == "nothing_to_do"
    assert reads == []
    assert policy.decide([step("retrain")], "high", CONFIG, spent, NOW).verdict == "escalate"
    assert reads == [1]


def test_an_unknown_tool_is_never_run():
    decision = policy.decide([step("drop_database")], "medium", CONFIG, Usage(), NOW)
    assert decision.verdict == "escalate" and "not a registered tool" in decision.reasons[0]
    assert policy.risk_of("drop_database") == "risky"


def test_budget_cooldown_and_ineffective_fixes_escalate():
    spent = Usage(runs={"retrain": 2})
    assert policy.decide([step("retrain")], "high", CONFIG, spent, NOW).verdict == "escalate"
    recent = Usage(last_run={"rollback": NOW - timedelta(minutes=10)})
    assert policy.decide([step("rollback")], "high", CONFIG, recent, NOW).verdict == "escalate"
    old = Usage(last_run={"rollback": NOW - timedelta(hours=3)})
    assert policy.decide([step("rollback")], "high", CONFIG, old, NOW).verdict == "approval"
    useless = Usage(ineffective={"retrain": 2})
    assert policy.decide([step("retrain")], "high", CONFIG, useless, NOW).verdict == "escalate"


def test_digest_binds_tool_arguments_and_champion():
    plan = [policy.planned("rollback", {"expected_champion": "2"})]
    base = policy.digest(1, "heart-disease", "2", plan)
    assert base == policy.digest(1, "heart-disease", "2", plan)
    assert base != policy.digest(1, "heart-disease", "3", plan)
    assert base != policy.digest(1, "heart-disease", "2",
                                 [policy.planned("rollback", {"expected_champion": "1"})])
