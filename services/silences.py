"""Silences (maintenance windows), for operators: add, list, expire."""

import re
from datetime import datetime, timedelta

from core import silences
from core.errors import SilenceError
from core.monitor_tables import Silence
from core.roles import Principal, require
from services.context import Medic
from services.views import SilenceView

DURATION = re.compile(r"^(\d{1,5})([smhd])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> timedelta:
    """Read `90m`, `2h`, `1d` (a number and one of s, m, h, d)."""
    found = DURATION.fullmatch(text.strip())
    if not found:
        raise SilenceError(f"duration {text[:40]!r}: write a number and s, m, h or d, e.g. 2h")
    return timedelta(**{UNITS[found[2]]: int(found[1])})


def parse_matchers(items: list[str]) -> dict[str, str]:
    """Read KEY=VALUE matchers (labels, or alertname, type, source)."""
    matchers = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or len(key) > 200 or len(value) > 4000:
            raise SilenceError(f"matcher {item[:60]!r}: write KEY=VALUE")
        matchers[key.strip()] = value.strip()
    return matchers


def add(medic: Medic, *, matchers: dict[str, str], duration: timedelta, comment: str,
        principal: Principal) -> SilenceView:
    """Start a silence now; matching firing alerts are stored and audited, not acted on.

    One that could hold critical alerts (a critical severity, or nothing narrower than a
    type, source or model) needs an approver; every silence is announced.
    """
    actor = require(principal, "silence").name
    if silences.covers_critical(matchers):
        require(principal, "silence_critical")
    limit = timedelta(hours=medic.settings.silence_max_hours)
    with medic.sessions.begin() as session:
        made = silences.create(session, matchers=matchers, duration=duration, comment=comment,
                               actor=actor, now=medic.clock(), max_duration=limit)
        view = _view(made, 0, medic.clock())
    _announce(medic, view, f"Medic silence {view.id} added by {actor}",
              f"Until {view.ends_at:%Y-%m-%d %H:%M} UTC. Why: {view.comment}")
    return view


def listing(medic: Medic, *, ended: bool = False) -> list[SilenceView]:
    """Return the active silences (and ended ones with `ended`), newest first."""
    now = medic.clock()
    with medic.sessions() as session:
        return [_view(s, held, now) for s, held in silences.listing(session, now=now,
                                                                     ended=ended)]


def expire(medic: Medic, silence_id: int, *, principal: Principal) -> SilenceView:
    """End a silence now (announced, unless it had already ended)."""
    actor = require(principal, "silence").name
    now = medic.clock()
    with medic.sessions.begin() as session:
        found = session.get(Silence, silence_id)
        was_active = found is not None and found.ends_at > now
        ended = silences.expire(session, silence_id, actor=actor, now=now)
        view = _view(ended, 0, now)
    if was_active:
        _announce(medic, view, f"Medic silence {view.id} expired by {actor}",
                  f"Matching alerts are handled again. It was added by {view.created_by}: "
                  f"{view.comment}")
    return view


def _announce(medic: Medic, view: SilenceView, subject: str, body: str) -> None:
    """Tell people through the outbox, like every other notification."""
    from core.notify import Notifier

    matchers = ", ".join(f"{k}={v}" for k, v in view.matchers.items())
    severity = "high" if silences.covers_critical(view.matchers) else "medium"
    Notifier.from_settings(medic.sessions, medic.settings, clock=medic.clock).send(
        subject, f"Matchers: {matchers}. {body}", kind="silence", severity=severity)


def _view(silence, held: int, now: datetime) -> SilenceView:
    return SilenceView(id=silence.id, matchers=silence.matchers, comment=silence.comment,
                       created_by=silence.created_by, starts_at=silence.starts_at,
                       ends_at=silence.ends_at, active=silence.ends_at > now,
                       expired_by=silence.expired_by, held=held)
