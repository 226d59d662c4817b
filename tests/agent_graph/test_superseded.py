"""An approval made stale by a fix that already landed is `superseded`, said at low severity."""

import pytest
from sqlalchemy import select

from core import incidents
from core.alerts import Alert
from core.errors import PolicyError
from core.tables import Approval
from tests.conftest import Driver, principal_of
from tests.receivers import all_channels


def f1_drop(region: str) -> Alert:
    return Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55},
                 labels={"region": region})


@pytest.fixture
def wired(trained, clock):
    """The agent with Slack, email and a webhook configured, each a real local server."""
    from agent_graph.runtime.runner import open_agent

    with all_channels(trained[0].home) as channels, \
            open_agent(channels.settings, clock=clock) as running:
        driver = Driver(running, channels.settings)
        driver.channels = channels
        driver.deliver = lambda: channels.deliver(driver.sessions, clock())
        yield driver


def detail(agent, incident_id):
    with agent.sessions() as session:
        return incidents.detail(session, incident_id).model_dump()


def test_a_fix_that_landed_supersedes_the_other_pending_approval(wired):
    agent = wired
    approver = principal_of(agent.sessions, name="alice", role="approver")
    first, second = agent.submit(f1_drop("eu")), agent.submit(f1_drop("us"))
    one, two = agent.pending()
    assert [one["actions"][0]["tool"], two["actions"][0]["tool"]] == ["rollback", "rollback"]
    agent.deliver()
    agent.channels.inbox.mails.clear()
    agent.channels.slack.clear()

    agent.decide(one["id"], principal=approver, approve=True)

    assert agent.context.tools.registry.alias("champion") == "1"
    assert detail(agent, first.incident_id)["state"] == "verifying"
    stale = detail(agent, second.incident_id)
    assert stale["state"] == "superseded"  # not failed: nothing went wrong
    assert f"incident {first.incident_id}'s rollback made v1 champion" in stale["outcome"]
    assert stale["approvals"][0]["status"] == "superseded"
    assert "the fix it asked for already landed" in stale["approvals"][0]["comment"]
    assert agent.pending() == []
    with pytest.raises(PolicyError, match="already superseded"):
        agent.decide(two["id"], principal=approver, approve=True)

    sent = agent.deliver()
    assert {a.channel for a in sent if a.status == "sent"} == {"slack", "email", "webhook"}
    subject = f"Medic incident {second.incident_id}: approval {two['id']} superseded"
    [mail] = agent.channels.mails(subject)
    assert mail["Subject"] == subject  # low severity: no [HIGH] tag
    [low] = [p for p in agent.channels.slack if subject in p["text"]]
    assert low["text"].startswith(":white_circle:")


def test_approving_a_plan_the_champion_moved_past_is_superseded_not_failed(wired):
    agent = wired
    approver = principal_of(agent.sessions, name="alice", role="approver")
    registry = agent.context.tools.registry
    ingested = agent.submit(f1_drop("eu"))
    [pending] = agent.pending()
    registry.promote("1", expected="2", actor="bob", reason="rolled back by hand")

    agent.decide(pending["id"], principal=approver, approve=True)

    done = detail(agent, ingested.incident_id)
    assert done["state"] == "superseded"
    assert done["outcome"].startswith("superseded: a person or another process made v1 "
                                      "champion (it replaced v2)")
    assert "nothing ran" in done["outcome"]
    assert done["actions"] == []
    with agent.sessions() as session:
        approval = session.get(Approval, pending["id"])
        assert (approval.status, approval.decided_by) == ("superseded", "alice")
        assert session.scalars(select(Approval.status)).all() == ["superseded"]
    agent.deliver()
    subjects = [m["Subject"] for _to, m in agent.channels.inbox.mails]
    assert (f"Medic incident {ingested.incident_id}: approval {pending['id']} superseded"
            in subjects)
    assert not any(s.startswith("[HIGH]") and "failed" in s for s in subjects)
