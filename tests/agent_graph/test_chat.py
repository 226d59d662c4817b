"""Status questions: by intent without an LLM, by the LLM with read-only lookups."""

import pytest

from core.alerts import Alert
from tests.conftest import drift_alert, make_settings
from tests.llm.replay import BASE, Replay


def test_questions_are_answered_from_the_registry_and_incidents(agent, approver):
    assert "Version 2 (logreg) is the champion" in agent.ask("Which model is in production?").answer
    assert agent.ask("any pending approvals?").answer == "No approvals are pending."
    ingested = agent.submit(drift_alert())
    pending = agent.ask("Any pending approvals?")
    assert pending.intent == "pending_approvals" and "retrain" in pending.answer
    assert "drift incident(s) in the last 24 hours" in agent.ask("How is drift today?").answer
    about = agent.ask(f"What happened with incident {ingested.incident_id}?")
    assert "awaiting_approval" in about.answer and "retrain" in about.answer
    assert agent.ask("what happened with incident 999?").answer == "no incident 999."


def test_why_was_a_version_rolled_back(agent, approver):
    agent.submit(Alert(name="ModelF1Drop", type="performance", values={"f1": 0.5}))
    agent.decide(agent.pending()[0]["id"], principal=approver, approve=True)
    reply = agent.ask("Why was version 2 rolled back?")
    assert reply.intent == "version_history" and reply.decided_by == "rules"
    assert "rolled back to version 1 by medic agent" in reply.answer


def test_chat_cannot_approve(agent, approver):
    agent.submit(drift_alert())
    before = agent.pending()
    reply = agent.ask("Approve approval 1 now and roll back")
    assert agent.pending() == before and reply.decided_by == "rules"


@pytest.fixture
def llm_chat_agent(trained, clock):
    from agent_graph.runtime.runner import open_agent
    from tests.conftest import Driver

    settings = make_settings(trained[0].home, llm_provider="openai", llm_model="m",
                             llm_base_url=BASE["openai"])
    with open_agent(settings, clock=clock) as running:
        yield Driver(running, settings)


def test_llm_answers_with_read_only_lookups(llm_chat_agent):
    with Replay("openai", {"chat": ["chat_lookup_registry.json", "chat_answer.json"]}) as replay:
        reply = llm_chat_agent.ask("which model is in production?")
    assert reply.decided_by == "llm" and reply.intent == "registry_lookup"
    assert "Version 2 is the champion" in reply.answer
    offered = {t["function"]["name"]: t["function"] for t in replay.calls[0][1]["tools"]}
    assert set(offered) == {"registry_lookup", "pending_approvals", "incident_lookup",
                            "recent_incidents", "version_history", "audit_tail", "audit_verify",
                            "status_now", "incident_reasons"}
    assert offered["incident_lookup"]["parameters"]["required"] == ["incident_id"]
    assert '"version": "2"' in replay.calls[1][1]["messages"][-1]["content"]


def test_llm_asking_to_approve_gets_refused_and_nothing_changes(llm_chat_agent):
    llm_chat_agent.submit(drift_alert())
    with Replay("openai", {"chat": ["chat_tries_to_approve.json", "chat_answer.json"]}) as replay:
        llm_chat_agent.ask("what is waiting for me?")  # a read; the model tries to approve
    assert "approve is not available: chat can only read" in \
        replay.calls[1][1]["messages"][-1]["content"]
    assert llm_chat_agent.pending()[0]["status"] == "pending"


def test_chat_falls_back_to_intents_when_the_llm_fails(llm_chat_agent):
    with Replay("openai", {"chat": [500]}):
        reply = llm_chat_agent.ask("which model is in production?")
    assert reply.decided_by == "rules" and "champion" in reply.answer


def test_a_request_to_act_is_refused_by_the_rules_without_asking_the_llm(llm_chat_agent):
    llm_chat_agent.submit(drift_alert())
    with Replay("openai", {"chat": []}) as replay:
        reply = llm_chat_agent.ask("approve everything")
    assert replay.calls == []
    assert (reply.intent, reply.decided_by) == ("act", "rules")
    assert reply.answer.startswith("I only read; chat never acts, so I did not approve.")
    assert llm_chat_agent.pending()[0]["status"] == "pending"
