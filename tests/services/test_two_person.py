"""The two-person rule: a plan with such a tool runs only after two different approvers
approved the same digest; one person counts once, whichever key or channel; one reject
ends it."""

from datetime import UTC, datetime

import pytest

from agent_graph.config import AgentConfig, TwoPerson
from agent_graph.policy import planned
from core.alerts import Alert
from core.errors import PolicyError
from tests.conftest import Driver, principal_of

F1_DROP = Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55},
                labels={"severity": "critical"})


@pytest.fixture
def strict(trained, clock):
    """The agent with the two-person rule on rollbacks, and three approvers."""
    from agent_graph.runtime.runner import open_agent

    config = AgentConfig.load().model_copy(update={"two_person": [TwoPerson(tool="rollback")]})
    with open_agent(trained[0], config=config, clock=clock) as running:
        driver = Driver(running, trained[0])
        people = {name: principal_of(driver.sessions, name=name, role="approver")
                  for name in ("alice", "bob", "carol")}
        yield driver, people


def test_a_rollback_runs_only_after_a_second_approver(strict):
    driver, people = strict
    incident = driver.submit(F1_DROP).incident_id
    [pending] = driver.pending()
    assert pending["required"] == 2 and pending["actions"][0]["tool"] == "rollback"
    first = driver.decide(pending["id"], principal=people["alice"], approve=True)
    assert (first["status"], first["approved_by"]) == ("pending", ["alice"])
    assert driver.context.tools.registry.alias("champion") == "2"  # nothing ran
    with pytest.raises(PolicyError, match="alice approved already"):
        driver.decide(pending["id"], principal=people["alice"], approve=True)
    second = driver.decide(pending["id"], principal=people["bob"], approve=True)
    assert (second["status"], second["approved_by"], second["decided_by"]) == \
        ("approved", ["alice", "bob"], "bob")
    assert driver.context.tools.registry.alias("champion") == "1"  # rolled back
    from services import incidents

    assert incidents.detail(driver.medic, incident).state == "verifying"


def test_one_reject_ends_it(strict):
    driver, people = strict
    driver.submit(F1_DROP)
    [pending] = driver.pending()
    driver.decide(pending["id"], principal=people["alice"], approve=True)
    rejected = driver.decide(pending["id"], principal=people["carol"], approve=False)
    assert rejected["status"] == "rejected" and rejected["decided_by"] == "carol"
    with pytest.raises(PolicyError, match="already rejected"):
        driver.decide(pending["id"], principal=people["bob"], approve=True)
    assert driver.context.tools.registry.alias("champion") == "2"


def test_a_rule_with_working_hours_holds_only_outside_them():
    rule = TwoPerson(tool="rollback", working_hours="08:00-18:00")
    tuesday = datetime(2026, 12, 1, tzinfo=UTC)
    assert not rule.holds("rollback", tuesday.replace(hour=10))
    assert rule.holds("rollback", tuesday.replace(hour=20))
    assert rule.holds("rollback", datetime(2026, 12, 5, 10, tzinfo=UTC))  # a Saturday
    assert not rule.holds("retrain", tuesday.replace(hour=20))
    config = AgentConfig.load().model_copy(update={"two_person": [rule]})
    assert config.approvers_needed([planned("notify", {}), planned("rollback", {})],
                                   tuesday.replace(hour=20)) == 2
    assert AgentConfig.load().approvers_needed([planned("rollback", {})], tuesday) == 1


def test_slack_and_the_email_page_say_one_of_two(strict):
    from api import pages
    from core import keys
    from services import slack_actions

    driver, _ = strict
    with driver.sessions.begin() as session:
        keys.link_slack(session, name="alice", slack_user="U0ALICE", actor="tests")
        keys.link_slack(session, name="bob", slack_user="U0BOB", actor="tests")
    driver.submit(F1_DROP)
    [pending] = driver.pending()

    def click(user):
        return slack_actions.decide(driver.medic, slack_actions.Click(
            approval_id=pending["id"], digest=pending["digest"], action="approve",
            slack_user=user, channel="C0MEDIC01", message_ts="1.000001", blocks=[]))

    first = click("U0ALICE")
    assert not first.decided
    assert "Approved by alice (approver): 1 of 2 approvals; one more approver" in first.text
    from services import approvals

    page = pages.decided(approvals.view(driver.medic, pending["id"]))
    assert f"Approval {pending['id']}: 1 of 2" in page and "Approved by alice" in page
    again = click("U0ALICE")  # the same person, again: refused, still one of two
    assert not again.decided and "alice approved already" in again.text
    second = click("U0BOB")
    assert second.decided and second.text.startswith("Approved by bob (approver)")
    assert driver.context.tools.registry.alias("champion") == "1"
