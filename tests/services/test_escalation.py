"""Approvals nobody answers escalate on the agent's clock: the person on call, again, the
next one, everyone; "I'm looking" stops it; an expiry says who was asked."""

from datetime import timedelta

import pytest
import yaml
from sqlalchemy import select

from core import keys
from core.escalation import escalate
from core.tables import AuditEntry, Notification
from tests.conftest import Driver, drift_alert
from tests.receivers import all_channels


@pytest.fixture
def duty(trained, clock, tmp_path):
    """An agent with a rotation of three approvers, Slack and email on local servers."""
    from agent_graph.runtime.runner import open_agent

    policy = tmp_path / "oncall.yaml"
    policy.write_text(yaml.safe_dump({
        "rotation": {"start": (clock.now - timedelta(days=1)).isoformat(), "period_days": 7,
                     "people": ["alice", "bob", "carol"]},
        "escalation": [{"after_minutes": 0, "notify": "oncall"},
                       {"after_minutes": 15, "notify": "oncall"},
                       {"after_minutes": 30, "notify": "next"},
                       {"after_minutes": 45, "notify": "everyone"}]}))
    with all_channels(trained[0].home, oncall=policy) as channels, \
            open_agent(channels.settings, clock=clock) as running:
        driver = Driver(running, channels.settings)
        with driver.sessions.begin() as session:
            for name in ("alice", "bob", "carol"):
                keys.create(session, name=name, role="approver", actor="tests")
            keys.link_slack(session, name="alice", slack_user="U0ALICE", actor="tests")
            keys.link_email(session, name="alice", email="alice@example.org", actor="tests")
            keys.link_email(session, name="bob", email="bob@example.org", actor="tests")
        yield driver, channels


def tick(driver, channels, clock, minutes):
    """Move the agent's clock, run the escalation job, deliver what it queued."""
    clock.advance(minutes=minutes)
    escalated = escalate(driver.sessions, driver.context.tools.notifier, driver.agent.oncall,
                         clock.now)
    channels.deliver(driver.sessions, clock.now)
    return escalated


def asked(driver) -> list[list[str]]:
    with driver.sessions() as session:
        return [e.data["asked"] for e in session.scalars(
            select(AuditEntry).where(AuditEntry.event == "approval_escalated"))]


def test_nobody_answers_so_everyone_is_asked_and_the_expiry_names_them(duty, clock):
    driver, channels = duty
    driver.submit(drift_alert())
    [pending] = driver.pending()
    tick(driver, channels, clock, 0)
    assert asked(driver) == [["alice"]]
    slack = channels.slack[-1]
    assert "<@U0ALICE>" in str(slack["blocks"]) and "still waits" in slack["text"]
    mailed = [to for to, mail in channels.inbox.mails if "still waits" in mail["Subject"]]
    assert mailed == [["alice@example.org"]]  # her own mail, with her own decision links
    assert tick(driver, channels, clock, 10) == []
    tick(driver, channels, clock, 6)
    tick(driver, channels, clock, 15)
    assert asked(driver) == [["alice"], ["alice"], ["bob"]]
    assert tick(driver, channels, clock, 20) == [pending["id"]]  # 10 min before expiry
    assert asked(driver)[-1] == ["alice", "bob", "carol"]
    assert tick(driver, channels, clock, 5) == []  # each level once
    clock.advance(minutes=10)
    driver.agent.expire()
    with driver.sessions() as session:
        [expiry] = session.scalars(select(Notification.body).where(
            Notification.subject.contains("expired"))).all()
    assert "Asked: alice, bob, carol." in expiry


def test_im_looking_stops_the_reminders_without_deciding(duty, clock):
    from core.errors import Forbidden
    from core.roles import Principal
    from services import approvals

    driver, channels = duty
    driver.submit(drift_alert())
    [pending] = driver.pending()
    tick(driver, channels, clock, 0)
    seen = approvals.acknowledge(driver.medic, pending["id"],
                                 principal=Principal("bob", "approver"), channel="slack")
    assert (seen.status, seen.acknowledged_by) == ("pending", "bob")
    for minutes in (16, 15, 20):
        assert tick(driver, channels, clock, minutes) == []
    assert asked(driver) == [["alice"]]
    with pytest.raises(Forbidden, match="this needs approver"):
        approvals.acknowledge(driver.medic, pending["id"],
                              principal=Principal("viewer", "viewer"))
    decided = approvals.decide(driver.medic, pending["id"],
                               principal=Principal("bob", "approver"), approve=False)
    assert decided.status == "rejected"



def test_without_a_rotation_the_request_is_sent_again_not_at_once(agent, clock):
    agent.submit(drift_alert())

    def reminders():
        with agent.sessions() as session:
            return session.scalars(select(Notification.subject).where(
                Notification.subject.contains("still waits"))).all()

    notifier, oncall = agent.context.tools.notifier, agent.agent.oncall
    assert oncall.on_call(clock.now) is None  # the shipped configs/oncall.yaml
    assert escalate(agent.sessions, notifier, oncall, clock.now) == []
    assert reminders() == []  # the request itself was just sent
    clock.advance(minutes=16)
    assert len(escalate(agent.sessions, notifier, oncall, clock.now)) == 1
    assert reminders() == [reminders()[0]]
    assert "asking everyone on the usual channels" in reminders()[0]
