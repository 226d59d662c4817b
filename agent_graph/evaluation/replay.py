"""Re-run recorded incidents up to the gate under another model, prompt set or policy.

Nothing executes: each incident's first alert runs on a scratch app database through a
graph with an in-memory checkpointer that stops before `approval`, `act` and `record`.
Read tools measure against the real registry and prediction log (reads only); evidence
given as a prediction-log window is measured again now, a data file as it is today.
"""

import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import select

from core import audit, incidents
from core.alerts import Alert
from core.errors import MedicError
from core.ingest import ingest
from core.plans import PlannedAction
from core.settings import Settings
from core.tables import Incident
from tools import TOOLS

UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class Decision(BaseModel):
    """What was decided for one incident, up to the gate."""

    level: str | None
    plan: list[str]
    approval: bool
    unsafe: bool
    verdict: str | None
    decided_by: str | None


class Replayed(BaseModel):
    """One incident: the recorded decision, the replayed one, and what changed."""

    incident_id: int
    title: str
    recorded: Decision
    replayed: Decision
    changes: list[str]


def parse_since(text: str) -> timedelta:
    """Turn `7d`, `12h`, `30m` or `2w` into a duration."""
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text or "")
    if not match:
        raise MedicError(f"--since {text!r}: give a number and a unit: 30m, 12h, 7d or 2w")
    return timedelta(**{UNITS[match[2]]: int(match[1])})


def chosen(sessions, *, since: timedelta | None = None,
           ids: list[int] | None = None) -> list[dict]:
    """Return the recorded incidents to replay: by id, or first seen within `since`."""
    query = select(Incident).order_by(Incident.id)
    if ids:
        query = query.where(Incident.id.in_(ids))
    elif since is not None:
        query = query.where(Incident.first_seen >= datetime.now(UTC) - since)
    with sessions() as session:
        rows = session.scalars(query).all()
        missing = sorted(set(ids or []) - {r.id for r in rows})
        if missing:
            raise MedicError(f"no incident {', '.join(map(str, missing))}")
        return [{"id": r.id, "title": r.title, "alert": r.alert,
                 "recorded": _recorded(session, r)} for r in rows]


def _recorded(session, incident) -> Decision:
    verdicts = [e["data"].get("verdict") for e in audit.entries(session, incident_id=incident.id)
                if e["event"] == "gate_verdict"]
    verdict = verdicts[-1] if verdicts else incident.verdict
    return _decision(incident.severity_level, PlannedAction.all(incident.plan), verdict,
                     incident.decided_by)


def _decision(level, plan: list[PlannedAction], verdict, decided_by) -> Decision:
    tools = [s.tool for s in plan]
    return Decision(level=level, plan=tools, approval=verdict == "approval",
                    unsafe=verdict == "run" and any(
                        TOOLS[t].risk == "risky" if t in TOOLS else True for t in tools),
                    verdict=verdict, decided_by=decided_by)


def run(settings: Settings, recorded: list[dict], *, config, llm=None,
        progress: Callable[[int], None] = lambda _id: None) -> list[Replayed]:
    """Replay each recorded incident's alert on a scratch database; compare decisions."""
    from langgraph.checkpoint.memory import InMemorySaver

    from agent_graph.graph import build_graph
    from agent_graph.runtime.checkpoint import serializer

    graph = build_graph().compile(checkpointer=InMemorySaver(serde=serializer()),
                                  interrupt_before=["approval", "act", "record"])
    with tempfile.TemporaryDirectory(prefix="medic-replay-") as scratch:
        context, engine = _context(settings, Path(scratch), config, llm)
        results = []
        for item in recorded:
            progress(item["id"])
            [ingested] = ingest(context.sessions, Alert.model_validate(item["alert"]),
                                          actor="medic replay")
            thread = {"configurable": {"thread_id": f"replay-{item['id']}"}}
            graph.invoke({"incident_id": ingested.incident_id, "alert": item["alert"]},
                         thread, context=context)
            state = graph.get_state(thread).values
            with context.sessions.begin() as session:  # a later alert must not join it
                incidents.get(session, ingested.incident_id).open_key = None
            now = _decision(state.get("severity_level"), PlannedAction.all(state.get("plan")),
                            state.get("verdict"), state.get("decided_by"))
            results.append(Replayed(incident_id=item["id"], title=item["title"],
                                    recorded=item["recorded"], replayed=now,
                                    changes=changes(item["recorded"], now)))
        engine.dispose()
    return results


def _context(settings: Settings, folder: Path, config, llm):
    from agent_graph.state import AgentContext
    from core.audit_seal import Seal
    from core.clock import utcnow
    from core.db import connect, init_db, make_engine, sessions
    from core.notify import Notifier
    from ml.registry import tracking
    from ml.registry.aliases import Registry
    from tools import ToolContext

    engine = make_engine(f"sqlite:///{folder / 'replay.db'}")
    init_db(engine)
    scratch = sessions(engine, seal=Seal(settings.audit_key, folder / "audit-anchor.log"))
    real = connect(settings.database_url)  # read tools read the real prediction log
    scratch_settings = settings.model_copy(update={"home": folder})
    registry = Registry(tracking.client(settings), real, settings.model_name)
    tools = ToolContext.build(scratch_settings, sessions=real, registry=registry,
                              notifier=Notifier(scratch), clock=utcnow)
    return AgentContext(config=config, tools=tools, model_name=settings.model_name, llm=llm,
                        clock=utcnow, store=scratch,
                        prompts_dir=settings.prompts_dir), engine


def changes(before: Decision, after: Decision) -> list[str]:
    """Say what differs between two decisions, in words."""
    found = []
    if before.level != after.level:
        found.append(f"severity {before.level} → {after.level}")
    if before.plan != after.plan:
        found.append(f"plan {','.join(before.plan) or '-'} → {','.join(after.plan) or '-'}")
    if before.approval != after.approval:
        found.append(f"approval {'yes' if before.approval else 'no'} → "
                     f"{'yes' if after.approval else 'no'}")
    if before.unsafe != after.unsafe:
        found.append(f"unsafe {'yes' if before.unsafe else 'no'} → "
                     f"{'yes' if after.unsafe else 'no'}")
    return found


class Totals(BaseModel):
    """Incidents replayed, changed, and changed by kind; unsafe plans before and after."""

    incidents: int
    changed: int
    severity_changed: int
    plan_changed: int
    approval_changed: int
    unsafe_recorded: int
    unsafe_replayed: int


def totals(results: list[Replayed]) -> Totals:
    """Count incidents replayed, changed, and changed by kind; unsafe before and after."""
    def count(word):
        return sum(any(c.startswith(word) for c in r.changes) for r in results)

    return Totals(incidents=len(results), changed=sum(bool(r.changes) for r in results),
                  severity_changed=count("severity"), plan_changed=count("plan"),
                  approval_changed=count("approval"),
                  unsafe_recorded=sum(r.recorded.unsafe for r in results),
                  unsafe_replayed=sum(r.replayed.unsafe for r in results))
