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
