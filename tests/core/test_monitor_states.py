import threading
from datetime import UTC, datetime

import pytest

from core import monitor_states
from core.db import connect
from ml.monitoring.hysteresis import MonitorState, step


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sessions(request, tmp_path):
    if request.param == "sqlite":
        return connect(f"sqlite:///{tmp_path / 'medic.db'}")
    return connect(request.getfixturevalue("postgres_url"))


def test_states_survive_a_restart_and_update_in_place(sessions):
    assert monitor_states.load(sessions) == {}
    state, _ = step(MonitorState(), "critical", fire_after=2, resolve_after=3)
    monitor_states.save(sessions, {"data_drift": state.model_dump(),
                                   "latency_p99": MonitorState().model_dump()})
    reloaded = {name: MonitorState.model_validate(fields)
                for name, fields in monitor_states.load(sessions).items()}
    assert reloaded["data_drift"] == state and reloaded["latency_p99"] == MonitorState()
    fired, event = step(reloaded["data_drift"], "critical", fire_after=2, resolve_after=3)
    assert event == "fire"  # the second breach counts across the restart
    monitor_states.save(sessions, {"data_drift": fired.model_dump()})
    again = monitor_states.load(sessions)
    assert again["data_drift"]["firing"] is True and again["data_drift"]["breaches"] == 2
    assert len(again) == 2


def test_one_caller_claims_each_interval_of_the_schedule(sessions):
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    claims = [monitor_states.claim_run(sessions, now=now, interval_seconds=60)
              for _ in range(3)]
    assert claims == [True, False, False]
    later = now + timedelta(seconds=59)
    assert not monitor_states.claim_run(sessions, now=later, interval_seconds=60)
    due = now + timedelta(seconds=60)
    assert [monitor_states.claim_run(sessions, now=due, interval_seconds=60)
            for _ in range(2)] == [True, False]


def test_two_checkers_saving_at_once_both_succeed(sessions):
    """A scheduled run and `medic monitor run` may save the same new monitor together."""
    start, failures = threading.Barrier(6), []

    def checker(level: str) -> None:
        start.wait()
        try:
            for _ in range(5):
                state = MonitorState(level=level).model_dump()
                monitor_states.save(sessions, {"data_drift": state, "prediction_drift": state})
                monitor_states.save_results(sessions, {"data_drift": {"level": level}},
                                            now=datetime.now(UTC))
        except Exception as error:  # noqa: BLE001  (the test reports any failure)
            failures.append(error)

    threads = [threading.Thread(target=checker, args=(("ok", "warning", "critical")[n % 3],))
               for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert monitor_states.load(sessions)["data_drift"]["level"] in ("ok", "warning", "critical")
    assert set(monitor_states.load_results(sessions)) == {"data_drift"}
