"""The on-call rotation and the escalation policy, read from configs/oncall.yaml."""

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import ConfigError
from core.oncall import OnCall

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
POLICY = OnCall.model_validate({
    "rotation": {"start": MONDAY, "period_days": 7, "people": ["alice", "bob", "carol"]},
    "overrides": [{"holder": "dave", "start": MONDAY + timedelta(days=9),
                   "end": MONDAY + timedelta(days=10)}],
    "escalation": [{"after_minutes": 0, "notify": "oncall"},
                   {"after_minutes": 15, "notify": "oncall"},
                   {"after_minutes": 30, "notify": "next"},
                   {"after_minutes": 45, "notify": "everyone"}]})


def test_the_duty_turns_weekly_and_an_override_wins():
    assert POLICY.on_call(MONDAY - timedelta(minutes=1)) is None  # before the rotation
    assert POLICY.on_call(MONDAY) == "alice" and POLICY.next_up(MONDAY) == "bob"
    assert POLICY.on_call(MONDAY + timedelta(days=7)) == "bob"
    assert POLICY.on_call(MONDAY + timedelta(days=9, hours=1)) == "dave"  # the override
    assert POLICY.on_call(MONDAY + timedelta(days=21)) == "alice"  # round again
    assert POLICY.people == ["alice", "bob", "carol", "dave"]


def test_levels_fall_due_in_order_and_all_at_once_just_before_expiry():
    asked = MONDAY + timedelta(hours=1)
    expires = asked + timedelta(minutes=60)

    def due(minutes, reached):
        return POLICY.due(requested_at=asked, expires_at=expires, reached=reached,
                          now=asked + timedelta(minutes=minutes))

    assert due(0, 0) == [(1, ["alice"])]
    assert due(10, 1) == []
    assert due(16, 1) == [(2, ["alice"])]
    assert due(31, 2) == [(3, ["bob"])]
    everyone = ["alice", "bob", "carol", "dave"]
    assert due(51, 3) == [(4, everyone), (5, everyone)]  # 10 minutes before expiry
    assert due(55, 5) == []


def test_a_wrong_policy_is_refused_naming_where(tmp_path):
    path = tmp_path / "oncall.yaml"
    path.write_text("escalation:\n  - {after_minutes: 5, notify: somebody}\n")
    with pytest.raises(ConfigError, match=r"oncall.yaml: escalation\.0\.notify"):
        OnCall.load(path)
    path.write_text("escalation:\n  - {after_minutes: 30, notify: oncall}\n"
                    "  - {after_minutes: 5, notify: next}\n")
    with pytest.raises(ConfigError, match="in order of after_minutes"):
        OnCall.load(path)
    assert OnCall.load(tmp_path / "missing.yaml").on_call(MONDAY) is None


def test_the_shipped_policy_loads():
    from core.settings import PROJECT_ROOT

    shipped = OnCall.load(PROJECT_ROOT / "configs" / "oncall.yaml")
    assert [level.notify for level in shipped.escalation] == ["oncall", "oncall", "next",
                                                             "everyone"]
