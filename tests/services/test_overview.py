"""The overview people open first: the champion, traffic, what waits, the monitors' last checks."""

from services.monitors import run as monitors
from services.overview import overview


def test_the_overview_shows_each_monitors_last_check(agent):
    assert overview(agent.medic).monitors == []  # nothing has checked yet
    checked = monitors.run_checks(agent.medic)
    shown = overview(agent.medic).monitors
    assert sorted(m.name for m in shown) == sorted(r.name for r in checked)
    drift = next(m for m in shown if m.name == "data_drift")
    assert drift.state == "insufficient_data" and drift.rows == 0 and drift.checked_at
