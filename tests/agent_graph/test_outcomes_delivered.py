"""Every outcome a person cares about reaches the channels: fixed, superseded, notify itself."""

from datetime import timedelta

from core.alerts import Alert
from tests.agent_graph.test_heal import site  # noqa: F401 (a fixture)
from tests.agent_graph.test_superseded import detail, wired  # noqa: F401 (a fixture)
from tests.conftest import principal_of
from tests.ml.conftest import log_traffic
from tests.ml.test_outcome import register_broken


def test_the_measured_fix_reaches_email_slack_and_the_webhook_with_a_console_link(
        wired, clock, site):  # noqa: F811 (fixtures)
    agent = wired
    approver = principal_of(agent.sessions, name="alice", role="approver")
    settings, registry = agent.medic.settings, agent.context.tools.registry
    broken = register_broken(settings, registry)
    registry.promote(broken, expected="2", actor="test", reason="a bad release")
    ingested = agent.submit(Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55}))
    incident = ingested.incident_id
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True)
    agent.deliver()

    verifying = [p for p in agent.channels.hook if p["subject"].endswith(": verifying")]
    [said] = verifying
    assert "not verified yet" in said["body"]
    assert "verified on live labelled traffic" not in said["body"]  # it was not, yet

    log_traffic(agent.sessions, site("hungarian").sample(80, random_state=0),
                start=clock.now + timedelta(minutes=1), version="2", model=registry.load("2"))
    clock.advance(hours=3)
    from agent_graph.runtime import settle

    assert settle.sweep(agent.agent) == [incident]
    assert detail(agent, incident)["state"] == "resolved"
    sent = agent.deliver()
    assert {d.channel for d in sent if d.status == "sent"} == {"slack", "email", "webhook"}

    link = f"{settings.public_url}/ui/?incident={incident}"
    [mail] = agent.channels.mails(f"Medic incident {incident}: resolved — fixed (measured)")
    assert mail["Subject"].startswith("[HIGH] ")
    text = mail.get_body(("plain",)).get_content()
    assert "fixed: F1 0." in text and "on 80 labelled predictions" in text
    assert link in text
    [hooked] = [p for p in agent.channels.hook if p["subject"].endswith("fixed (measured)")]
    assert hooked["link"] == link and hooked["severity"] == "high"
    [posted] = [p for p in agent.channels.slack if "fixed (measured)" in p["text"]]
    assert [e["url"] for b in posted["blocks"] if b["type"] == "actions"
            for e in b["elements"]] == [link]


def test_the_agents_notify_action_is_delivered_under_the_default_routes(wired):  # noqa: F811
    from tools.ml_tools import Notify

    agent = wired
    result = Notify()(agent.context.tools, {"subject": "Medic incident 4: look at this",
                                            "body": "drift without an F1 loss",
                                            "incident_id": 4})
    assert result.status == "success"
    assert sorted(result.data["channels"]) == ["email", "slack", "webhook"]
    agent.deliver()
    [mail] = agent.channels.mails("look at this")
    text = mail.get_body(("plain",)).get_content()
    assert f"{agent.medic.settings.public_url}/ui/?incident=4" in text


def test_an_alert_resolved_at_its_source_is_told_with_what_is_left(wired):  # noqa: F811
    agent = wired
    firing = Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55})
    ingested = agent.submit(firing)
    [pending] = agent.pending()
    agent.submit(firing.model_copy(update={"status": "resolved"}))
    agent.deliver()
    subject = f"Medic incident {ingested.incident_id}: resolved at source"
    assert [p["subject"] for p in agent.channels.hook if p["subject"] == subject] == [subject]
    assert any(subject in p["text"] for p in agent.channels.slack)
    [mail] = agent.channels.mails(subject)
    assert "approval is still pending and may no longer be needed" in mail.get_body(
        ("plain",)).get_content()
    assert [a["id"] for a in agent.pending()] == [pending["id"]]  # a person still decides

