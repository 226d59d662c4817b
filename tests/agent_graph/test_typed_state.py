"""The thread holds typed plans, results and findings; a thread checkpointed as dicts resumes."""

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel

from agent_graph.runtime.checkpoint import STATE_TYPES, serializer
from core import incidents
from core.alerts import Alert
from core.plans import ActionResult, Finding, PlannedAction
from tests.conftest import Driver, principal_of

F1_DROP = Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55})


class DictWriter(JsonPlusSerializer):
    """Write checkpoints as Medic did before its state was typed: plain dicts."""

    def dumps_typed(self, obj):
        return super().dumps_typed(_plain(obj))


def _plain(value):
    if isinstance(value, BaseModel) and type(value) in STATE_TYPES:
        return value.model_dump()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_a_thread_holds_typed_plans_and_stores_the_same_keys(agent, approver):
    waiting = agent.submit(F1_DROP)
    state = agent.state(waiting.incident_id)
    [step] = state["plan"]
    assert step == PlannedAction(tool="rollback", args={"expected_champion": "2"},
                                 risk="risky")
    assert state["findings"] and all(isinstance(f, Finding) for f in state["findings"])
    [pending] = agent.pending()
    assert pending["actions"] == [{"tool": "rollback", "args": {"expected_champion": "2"},
                                   "risk": "risky"}]
    agent.decide(pending["id"], principal=approver, approve=True)
    [result] = agent.state(waiting.incident_id)["results"]
    assert isinstance(result, ActionResult) and result.tool == "rollback"
    with agent.sessions() as session:
        shown = incidents.detail(session, waiting.incident_id).model_dump()
    assert shown["plan"] == [{"tool": "rollback", "args": {"expected_champion": "2"},
                              "risk": "risky", "execution": "success"}]


def test_a_thread_checkpointed_as_dicts_resumes_at_its_approval(trained, clock):
    from agent_graph.runtime.runner import open_agent

    settings = trained[0]
    with open_agent(settings, clock=clock) as running:
        running.checkpointer.serde = DictWriter()  # what the thread was written with before
        agent = Driver(running, settings)
        waiting = agent.submit(F1_DROP)
        old = agent.state(waiting.incident_id)
        assert old["plan"] == [{"tool": "rollback", "args": {"expected_champion": "2"},
                                "risk": "risky"}]
        assert all(type(f) is dict for f in old["findings"])
    with open_agent(settings, clock=clock) as running:  # the typed code reads it
        assert type(running.checkpointer.serde) is type(serializer())
        agent = Driver(running, settings)
        [pending] = agent.pending()
        alice = principal_of(agent.sessions, name="alice", role="approver")
        agent.decide(pending["id"], principal=alice, approve=True)
        with agent.sessions() as session:
            found = incidents.detail(session, waiting.incident_id).model_dump()
        assert found["state"] == "verifying" and found["actions"][0]["tool"] == "rollback"
        assert found["actions"][0]["status"] == "success"
        assert agent.context.tools.registry.alias("champion") == "1"
