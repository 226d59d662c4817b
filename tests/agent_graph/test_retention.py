"""Checkpoints of long-closed incidents are pruned; open and recently closed ones stay."""

import shutil
import time
from contextlib import ExitStack
from datetime import timedelta

import pytest
from prometheus_client import generate_latest
from sqlalchemy import func, select

from agent_graph.runtime import retention
from agent_graph.runtime.retention import Retention
from api.metrics import Metrics
from core import work
from core.alerts import Alert
from core.tables import AuditEntry, PrunedThread
from services import incidents
from tests.conftest import DATA, Driver, make_settings, principal_of
from tests.processes import PATIENCE


def slight_drift(name: str) -> Alert:
    """An alert the agent resolves at once: drift too slight to act on."""
    return Alert(name=name, type="drift", values={"drift_share": 0.05})


def three_incidents(agent, clock) -> tuple[int, int, int]:
    """Return (closed 200 h ago, waiting for approval, closed just now)."""
    old = agent.submit(slight_drift("OldDrift")).incident_id
    waiting = agent.submit(Alert(name="ModelF1Drop", type="performance",
                                 values={"f1": 0.5})).incident_id
    clock.advance(hours=200)
    recent = agent.submit(slight_drift("RecentDrift")).incident_id
    states = [incidents.detail(agent.medic, i).state for i in (old, waiting, recent)]
    assert states == ["resolved", "awaiting_approval", "resolved"]
    return old, waiting, recent


def kept(agent, incident_id: int) -> bool:
    """Say whether the checkpointer still holds the incident's thread."""
    thread = {"configurable": {"thread_id": str(incident_id), "checkpoint_ns": ""}}
    return agent.agent.checkpointer.get_tuple(thread) is not None


def assert_only_old_pruned(agent, old: int, waiting: int, recent: int) -> None:
    assert not kept(agent, old) and agent.state(old) == {}
    assert kept(agent, waiting) and kept(agent, recent)
    shown = incidents.detail(agent.medic, old)  # the record lives in Medic's own tables
    assert shown.state == "resolved" and shown.outcome
    assert [e.event for e in shown.timeline][-1] == "checkpoints_pruned"
    assert shown.timeline[-1].data["retention_hours"] == 168


def test_prune_deletes_only_long_closed_threads(agent, clock):
    old, waiting, recent = three_incidents(agent, clock)
    assert all(kept(agent, i) for i in (old, waiting, recent))

    pruned = retention.prune(agent.agent, older_than=timedelta(hours=168))

    assert pruned == [old]
    assert_only_old_pruned(agent, old, waiting, recent)
    scraped = generate_latest(Metrics(agent.sessions).registry).decode()
    assert "medic_checkpoints_pruned_total 1.0" in scraped
    assert retention.prune(agent.agent, older_than=timedelta(hours=168)) == []  # done once
    assert agent.pending()[0]["incident_id"] == waiting  # the open one can still be decided


def test_a_pruned_incident_woken_again_stays_closed(agent, clock):
    old, waiting, _ = three_incidents(agent, clock)
    retention.prune(agent.agent, older_than=timedelta(hours=168))
    with agent.sessions.begin() as session:
        work.wake(session, old)
    agent.worker.drain()
    assert incidents.detail(agent.medic, old).state == "resolved" and not kept(agent, old)


def test_a_pruned_incidents_report_keeps_its_measurements(agent, clock):
    from agent_graph.runtime.checkpoint import checkpoint_url
    from services.reports.incident import collect

    def measured(incident_id: int):
        url = checkpoint_url(agent.medic.settings)
        return collect(agent.sessions, incident_id, checkpoints=url, now=clock()).measurements

    folder = agent.medic.settings.evidence_dir
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "processed.va.data", folder / "va.csv")
    dropped = agent.submit(Alert(name="FeatureDrift", type="drift",
                                 evidence={"data_path": str(folder / "va.csv")}))
    approval = agent.pending()[0]["id"]
    agent.decide(approval, principal=principal_of(agent.sessions, name="alice",
                                                   role="approver"),
                 approve=False, comment="not now")  # closes the incident: rejected
    before = measured(dropped.incident_id)
    assert before.drift.share > 0.3 and len(before.drift.features) == 13
    clock.advance(hours=200)
    assert retention.prune(agent.agent, older_than=timedelta(hours=168)) == [
        dropped.incident_id]
    assert not kept(agent, dropped.incident_id)
    assert measured(dropped.incident_id) == before


def test_one_prune_per_interval(agent, clock):
    old, _, recent = three_incidents(agent, clock)
    assert retention.tick(agent.agent, Retention(hours=168, interval_seconds=3600)) == [old]
    clock.advance(minutes=59)
    one_minute = Retention(hours=1 / 60, interval_seconds=3600)
    assert retention.tick(agent.agent, one_minute) == []  # due, but this interval was taken
    clock.advance(minutes=2)
    assert retention.tick(agent.agent, Retention(hours=0)) == []  # 0 keeps forever
    assert retention.tick(agent.agent, one_minute) == [recent]


def prune_through_workers(trained, clock, **overrides) -> None:
    """Two agents with running workers on one database: the thread is pruned exactly once."""
    from agent_graph.runtime.runner import open_agent
    from agent_graph.runtime.worker import Worker

    settings = make_settings(trained[0].home, checkpoint_prune_seconds=3600, **overrides)
    with ExitStack() as stack:
        agents = [Driver(stack.enter_context(open_agent(settings, clock=clock)), settings)
                  for _ in range(2)]
        old, waiting, recent = three_incidents(agents[0], clock)
        workers = [Worker(a.agent, sweep_seconds=0.05, poll_seconds=0.05) for a in agents]
        for worker in workers:
            worker.start()
            stack.callback(worker.close)
        deadline = time.monotonic() + 30 * PATIENCE
        while kept(agents[0], old) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # both workers ticked several times more
        assert_only_old_pruned(agents[1], old, waiting, recent)
        with agents[0].sessions() as session:
            assert session.scalar(select(func.count()).select_from(PrunedThread)) == 1
            assert session.scalar(select(func.count()).where(
                AuditEntry.event == "checkpoints_pruned")) == 1


def test_workers_prune_on_their_tick_sqlite(trained, clock):
    prune_through_workers(trained, clock)


@pytest.mark.postgres
def test_workers_prune_on_their_tick_postgres(trained, clock, postgres_url):
    prune_through_workers(trained, clock, database_url=postgres_url)
