"""Keep each monitor's hysteresis state (firing, breaches, clears) in the app database."""

from core.tables import MonitorStateRecord

FIELDS = ("firing", "breaches", "clears", "level")


def load(sessions) -> dict[str, dict]:
    """Return {monitor name: state fields} for every monitor checked before."""
    with sessions() as session:
        rows = session.query(MonitorStateRecord).all()
        return {row.name: {f: getattr(row, f) for f in FIELDS} for row in rows}


def save(sessions, states: dict[str, dict]) -> None:
    """Write the given monitors' states in one transaction (insert or update)."""
    with sessions.begin() as session:
        for name, state in states.items():
            session.merge(MonitorStateRecord(name=name, **{f: state[f] for f in FIELDS}))
