"""A reload is judged like any fix: the serving monitors after it, against their checks before."""

import pytest
from sqlalchemy import select

from agent_graph.runtime import settle
from core import incidents
from core.alerts import Alert
from core.tables import ActionRun
from ml.monitoring.health import ServingCounts
from services.monitors import run as monitors


def counts(errors: int, load_failures: int = 0):
    """Serve the API's counts over any window, of any model: 200 requests, `errors` 5xx."""
    return lambda _minutes, _model: ServingCounts(requests=200, errors=errors,
                                          load_failures=load_failures)


def detail(agent, incident_id):
    with agent.sessions() as session:
        return incidents.detail(session, incident_id).model_dump()


def reload_run(agent) -> ActionRun:
    with agent.sessions() as session:
        return session.scalars(select(ActionRun).where(ActionRun.tool == "reload_model")).one()


@pytest.fixture
def reloaded(agent, clock):
    """Serving errors at 8 %: checked once, then the alert; the agent reloads on its own."""
    monitors.run_checks(agent.medic, serving=counts(16))
    clock.advance(seconds=30)
    ingested = agent.submit(Alert(name="ServingErrors", type="system_error",
                                  values={"error_rate": 0.08}))
    return ingested.incident_id


def test_a_reload_is_fixed_only_once_the_monitors_measure_errors_gone(agent, clock, reloaded):
    waiting = detail(agent, reloaded)
    assert waiting["state"] == "verifying"  # not "reload_model helped" on its word
    assert "error-rate and load-failure monitors" in waiting["outcome"]
    assert reload_run(agent).effective is None

    clock.advance(minutes=6)  # the error-rate window (5 min) is after the reload...
    monitors.run_checks(agent.medic, serving=counts(0))
    assert settle.sweep(agent.agent) == []  # ...the load-failure one (15 min) not yet
    clock.advance(minutes=10)
    monitors.run_checks(agent.medic, serving=counts(0))

    assert settle.sweep(agent.agent) == [reloaded]
    settled = detail(agent, reloaded)
    assert settled["state"] == "resolved"
    assert settled["outcome"] == ("fixed: error_rate 0.08 → 0 (over 5 min); load_failures "
                                  "0 → 0 (over 15 min) after the reload")
    assert reload_run(agent).effective is True


def test_a_reload_after_which_errors_go_on_is_not_fixed(agent, clock, reloaded):
    clock.advance(minutes=16)
    monitors.run_checks(agent.medic, serving=counts(16, load_failures=2))

    assert settle.sweep(agent.agent) == [reloaded]
    settled = detail(agent, reloaded)
    assert settled["state"] == "escalated"
    assert settled["outcome"].startswith("not fixed: error_rate 0.08 → 0.08 (over 5 min); "
                                         "load_failures 0 → 2 (over 15 min)")
    assert "error_rate, load_failures still not ok" in settled["outcome"]
    assert reload_run(agent).effective is False


def test_a_reload_nothing_could_measure_is_not_fixed_at_the_deadline(agent, clock, reloaded):
    clock.advance(minutes=61)  # no check ran since: no traffic counted, no monitor

    assert settle.sweep(agent.agent) == [reloaded]
    settled = detail(agent, reloaded)
    assert settled["state"] == "escalated"
    assert settled["outcome"].startswith("not fixed: nothing measured within 60 min")
