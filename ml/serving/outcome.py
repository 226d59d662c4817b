"""Measure a reload: the serving monitors' error rate and load failures, after vs before."""

from datetime import datetime, timedelta

from core import monitor_states
from core.tables import FIRST_MODEL
from ml.monitoring.definitions import MonitorDefinitions
from ml.training.outcome import Outcome


def _serving(definitions: MonitorDefinitions) -> list:
    """Return the enabled monitors of kinds that read the API's counts: what a reload changes."""
    return [d for d in definitions.enabled if d.declared.reads_serving]


def before(sessions, definitions: MonitorDefinitions, *,
           model: str = FIRST_MODEL) -> dict[str, dict]:
    """Return `model`'s serving monitors' last checks before an action: {name: state, value, at}."""
    names = {d.name for d in _serving(definitions)}
    return {name: {"state": result["state"], "value": result["value"],
                   "value_name": result["value_name"], "checked_at": at.isoformat()}
            for name, (result, at) in monitor_states.load_results(sessions, model=model).items()
            if name in names}


def measure(sessions, definitions: MonitorDefinitions, *, earlier: dict[str, dict],
            since: datetime, now: datetime, deadline: timedelta,
            model: str = FIRST_MODEL) -> Outcome:
    """Judge a reload on checks whose whole window came after it, against `earlier` ones.

    Fixed: every serving monitor measured after the reload is ok. Not fixed: one still
    warns or is critical, or nothing could be measured by the deadline (no traffic, no
    monitor). Until the deadline, a monitor not yet measured after the reload is waited for.
    """
    watched = _serving(definitions)
    if not watched:
        return Outcome(verdict="not_fixed", rows=0, line="not measured: no error-rate or "
                       "load-failure monitor is enabled (configs/monitors.yaml)")
    checks = monitor_states.load_history(sessions, [d.name for d in watched], since=since,
                                         model=model)
    after = {}
    for definition in watched:
        start = since + timedelta(minutes=definition.window_minutes)
        found = [c for c in checks if c.name == definition.name and c.checked_at >= start
                 and c.state != "insufficient_data" and c.value is not None]
        if found:
            after[definition.name] = found[-1]
    missing = [d.name for d in watched if d.name not in after]
    if missing and now < since + deadline:
        return Outcome(verdict="waiting", rows=len(after),
                       line=f"waiting: {', '.join(missing)} not yet checked over a window "
                            "after the reload")
    if not after:
        return Outcome(verdict="not_fixed", rows=0,
                       line=f"not fixed: nothing measured within {_minutes(deadline)} of "
                            "the reload (no traffic, or the monitors did not run)")
    parts = [_change(d, earlier.get(d.name), after[d.name]) for d in watched if d.name in after]
    unmeasured = f"; {', '.join(missing)} not measured" if missing else ""
    bad = [d.name for d in watched if d.name in after and after[d.name].state != "ok"]
    numbers = "; ".join(parts) + unmeasured
    scored = {name: float(check.value) for name, check in after.items()}
    if bad:
        return Outcome(verdict="not_fixed", rows=len(after), after=scored,
                       line=f"not fixed: {numbers}; {', '.join(bad)} still not ok")
    return Outcome(verdict="fixed", rows=len(after), after=scored,
                   line=f"fixed: {numbers} after the reload")


def _change(definition, earlier: dict | None, check) -> str:
    was = "n/a" if not earlier or earlier.get("value") is None else _shown(earlier["value"])
    return (f"{definition.name} {was} → {_shown(check.value)} "
            f"(over {definition.window_minutes} min)")


def _shown(value: float) -> str:
    return f"{value:.3g}"


def _minutes(span: timedelta) -> str:
    return f"{span.total_seconds() / 60:g} min"
