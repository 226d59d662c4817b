"""An approval made stale by a fix that already landed is `superseded`, said at low severity."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from core import incidents
from core.alerts import Alert
from core.errors import PolicyError
from core.outbox import Outbox
from core.tables import Approval
from tests.conftest import Driver, make_settings, principal_of
from tests.core.test_notify_email import Inbox, smtp_server
from tests.processes import free_port
from tests.services.test_notify_escaping import SlackStandIn


def f1_drop(region: str) -> Alert:
    return Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55},
                 labels={"region": region})


@pytest.fixture
def wired(trained, clock):
    """The agent with Slack (a local receiver) and email (a local SMTP server) configured."""
    import threading
    from http.server import ThreadingHTTPServer

    from agent_graph.runner import open_agent

    slack = ThreadingHTTPServer(("127.0.0.1", 0), SlackStandIn)
    SlackStandIn.received = []
    threading.Thread(target=slack.serve_forever, daemon=True).start()
    port, inbox = free_port(), Inbox()
    settings = make_settings(
        trained[0].home, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False,
        email_from="medic@example.org", email_to="oncall@example.org",
        slack_webhook_url=f"http://127.0.0.1:{slack.server_address[1]}/services/T/B/x")
    mail = smtp_server(inbox, port)
    try:
        with open_agent(settings, clock=clock) as running:
            driver = Driver(running, settings)
            driver.inbox, driver.settings = inbox, settings

            def deliver():
                outbox = Outbox.from_settings(driver.sessions, settings)
                return outbox.deliver_due(clock() + timedelta(seconds=1))
            driver.deliver = deliver
            yield driver
    finally:
        mail.stop()
        slack.shutdown()


def detail(agent, incident_id):
    with agent.sessions() as session:
        return incidents.detail(session, incident_id)


def test_a_fix_that_landed_supersedes_the_other_pending_approval(wired):
    agent = wired
    approver = principal_of(agent.sessions, name="alice", role="approver")
    first, second = agent.submit(f1_drop("eu")), agent.submit(f1_drop("us"))
    one, two = agent.pending()
    assert [one["actions"][0]["tool"], two["actions"][0]["tool"]] == ["rollback", "rollback"]
    agent.deliver()
    agent.inbox.mails.clear()
    SlackStandIn.received = []

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
    assert {a.channel for a in sent if a.status == "sent"} == {"slack", "email"}
    subject = f"Medic incident {second.incident_id}: approval {two['id']} superseded"
    [(_to, mail)] = [m for m in agent.inbox.mails if subject in m[1]["Subject"]]
    assert mail["Subject"] == subject  # low severity: no [HIGH] tag
    posted = [json.loads(body) for body in SlackStandIn.received]
    [low] = [p for p in posted if subject in p["text"]]
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
    subjects = [m["Subject"] for _to, m in agent.inbox.mails]
    assert (f"Medic incident {ingested.incident_id}: approval {pending['id']} superseded"
            in subjects)
    assert not any(s.startswith("[HIGH]") and "failed" in s for s in subjects)
