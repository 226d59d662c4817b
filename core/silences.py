"""Hold firing alerts during maintenance windows: label matchers with an end time."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.alerts import Alert
from core.errors import NotFound, SilenceError
from core.monitor_tables import Silence, SilencedAlert

MAX_DURATION = timedelta(hours=24)  # MEDIC_SILENCE_MAX_HOURS's default
BROAD_KEYS = frozenset({"type", "source", "model"})  # every alert of a kind carries these
CRITICAL = frozenset({"critical", "high"})  # severity labels the agent scores highest


def covers_critical(matchers: dict[str, str]) -> bool:
    """Say whether a silence could hold critical alerts.

    It could if it names a critical severity, or if no matcher is narrower than a type,
    a source or a model (all drift, everything the monitors raise).
    """
    if "severity" in matchers:
        return matchers["severity"].strip().lower() in CRITICAL
    return set(matchers) <= BROAD_KEYS


def create(session: Session, *, matchers: dict[str, str], duration: timedelta, comment: str,
           actor: str, now: datetime, max_duration: timedelta = MAX_DURATION) -> Silence:
    """Start a silence now for `duration`; matchers compare labels (and name, type, source)."""
    if not matchers:
        raise SilenceError("a silence needs at least one KEY=VALUE matcher")
    if not comment.strip():
        raise SilenceError("comment: say why the alerts are silenced (it is shown and sent)")
    if not timedelta(0) < duration <= max_duration:
        raise SilenceError(f"duration: a silence lasts more than 0 and at most "
                           f"{max_duration.total_seconds() / 3600:g} h "
                           "(MEDIC_SILENCE_MAX_HOURS)")
    silence = Silence(matchers=dict(matchers), comment=comment.strip(), created_by=actor,
                      starts_at=now, ends_at=now + duration)
    session.add(silence)
    session.flush()
    audit.record(session, event="silence_added", actor=actor, clock=lambda: now,
                 silence_id=silence.id, matchers=silence.matchers,
                 ends_at=silence.ends_at.isoformat(), comment=silence.comment,
                 covers_critical=covers_critical(silence.matchers))
    return silence


def expire(session: Session, silence_id: int, *, actor: str, now: datetime) -> Silence:
    """End a silence now (an ended one stays as it was)."""
    silence = session.get(Silence, silence_id)
    if silence is None:
        raise NotFound(f"no silence {silence_id}")
    if silence.ends_at > now:
        silence.ends_at, silence.expired_by = now, actor
        audit.record(session, event="silence_expired", actor=actor, clock=lambda: now,
                     silence_id=silence.id)
    return silence


def listing(session: Session, *, now: datetime, ended: bool = False) -> list[tuple[Silence, int]]:
    """Return silences (active ones unless `ended`), newest first, with alerts each held."""
    query = select(Silence).order_by(Silence.id.desc())
    if not ended:
        query = query.where(Silence.ends_at > now)
    held = dict(session.execute(select(SilencedAlert.silence_id, func.count())
                                .group_by(SilencedAlert.silence_id)).all())
    return [(s, held.get(s.id, 0)) for s in session.scalars(query)]


def holding(session: Session, alert: Alert, now: datetime) -> Silence | None:
    """Return the active silence that matches a firing alert, if any (the oldest first)."""
    if alert.status != "firing":
        return None
    fields = {**alert.labels, "alertname": alert.name, "name": alert.name,
              "type": alert.type.value, "source": alert.source}
    for silence in _active(session, now):
        if all(fields.get(k) == v for k, v in silence.matchers.items()):
            return silence
    return None


def _active(session: Session, now: datetime) -> list[Silence]:
    """Read the active silences once per session and moment (a payload of many alerts)."""
    cache = session.info.setdefault("medic.active_silences", {})
    if now not in cache:
        cache[now] = list(session.scalars(select(Silence).where(
            Silence.starts_at <= now, Silence.ends_at > now).order_by(Silence.id)))
    return cache[now]

