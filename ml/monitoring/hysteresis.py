"""Decide when a monitor fires and resolves: consecutive checks, as a pure state machine."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ml.monitoring.results import State

Event = Literal["fire", "resolve"]


class MonitorState(BaseModel):
    """What a monitor remembers between checks; the caller persists it.

    `breaches` counts consecutive warning/critical checks, `clears` consecutive ok checks;
    a check with too little data moves neither, so a quiet hour neither fires nor resolves.
    """

    model_config = ConfigDict(frozen=True)

    firing: bool = False
    breaches: int = 0
    clears: int = 0
    level: State = "ok"  # the last state measured with enough data


def step(state: MonitorState, observed: State, *, fire_after: int,
         resolve_after: int) -> tuple[MonitorState, Event | None]:
    """Advance a monitor's state by one check; return the new state and what happened."""
    if observed == "insufficient_data":
        return state, None
    if observed == "ok":
        clears = state.clears + 1
        if state.firing and clears >= resolve_after:
            return MonitorState(firing=False, clears=clears, level="ok"), "resolve"
        return MonitorState(firing=state.firing, clears=clears, level="ok"), None
    breaches = state.breaches + 1
    if not state.firing and breaches >= fire_after:
        return MonitorState(firing=True, breaches=breaches, level=observed), "fire"
    return MonitorState(firing=state.firing, breaches=breaches, level=observed), None


def advance(states: dict[str, MonitorState], results, definitions) -> tuple[
        dict[str, MonitorState], list[tuple[object, Event]]]:
    """Step every checked monitor; return the new states and the (result, event) pairs."""
    new_states = dict(states)
    events = []
    for checked in results:
        definition = definitions.get(checked.name)
        new_states[checked.name], event = step(
            states.get(checked.name, MonitorState()), checked.state,
            fire_after=definition.fire_after, resolve_after=definition.resolve_after)
        if event is not None:
            events.append((checked, event))
    return new_states, events
