"""Store a payload of alerts in one transaction: incidents read once, rows written in bulk."""

import hashlib
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core import audit, silences, work
from core.alerts import Alert
from core.clock import Clock, utcnow
from core.errors import NotFound, SignatureError
from core.incidents import CORRELATING_STATES, mark_closed
from core.monitor_tables import IncidentFlaps, SilencedAlert
from core.tables import FIRST_MODEL, AlertRecord, Incident, SeenSignature, insert_for

LOW_SEVERITY_LABELS = ("info", "low", "none")
RESOLVED_EARLY = "the alert resolved at its source before the agent handled it"
MODEL_WIDTH = Incident.__table__.c.model.type.length  # a longer label is no model's name
SPENT_KEPT = timedelta(minutes=10)  # a webhook signature is valid for 5 minutes either way
FORGET_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Ingested:
    """Where an alert went: its incident, and whether that incident is new."""

    incident_id: int | None  # None: a silence held the alert
    created: bool
    needs_handling: bool
    fingerprint: str = ""
    silence_id: int | None = None
    resolved_at_source: bool = False  # the alert of an incident already handled stopped firing


@dataclass(frozen=True)
class Submission:
    """One payload to store all or nothing: its alerts, who sent them, the signature spent."""

    alerts: list[Alert]
    actor: str | None = None  # None: each alert's own source
    signature: str | None = None


def ingest(sessions: sessionmaker, alerts: Alert | list[Alert], *, actor: str | None = None,
           clock: Clock = utcnow, signature: str | None = None,
           flap_cooldown: float = 0.0) -> list[Ingested]:
    """Store alerts all or nothing, joining open incidents; wake the agent for new ones.

    A low-severity alert firing again within `flap_cooldown` seconds of its incident's
    closing joins that closed incident as a flap (counted) instead of opening a new one.

    The audit names `actor`, or each alert's own source when none is given. A webhook's
    `signature` is spent in the same transaction: refused as a replay if already spent,
    and still unspent if storing the alerts failed (the sender may retry as it was).
    """
    batch = [alerts] if isinstance(alerts, Alert) else list(alerts)
    [stored] = ingest_together(sessions, [Submission(batch, actor, signature)], clock=clock,
                               flap_cooldown=flap_cooldown)
    return stored


def ingest_together(sessions: sessionmaker, submissions: list[Submission], *,
                    clock: Clock = utcnow, flap_cooldown: float = 0.0) -> list[list[Ingested]]:
    """Store submissions in one transaction, as if one after the other: all, or none.

    Payloads stored at the same time (threads, processes, replicas) about the same
    fingerprints or models are stored one after the other, so an alert is counted on its
    incident exactly once and two payloads never open two incidents for one fingerprint:
    on PostgreSQL each transaction first takes an advisory lock per fingerprint and per
    correlated model it carries (payloads about other things go side by side), and locks
    the open incidents it reads against the agent's writes; on SQLite it takes the
    database's write lock first. A transaction that still met a unique key (a signature
    or an open incident stored by another one meanwhile) runs once more, and finds it.
    """
    for attempt in range(2):
        try:
            return _ingest_once(sessions, submissions, clock, flap_cooldown)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _ingest_once(sessions: sessionmaker, submissions: list[Submission], clock: Clock,
                 flap_cooldown: float) -> list[list[Ingested]]:
    with sessions.begin() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            lock_keys(session, [alert for s in submissions for alert in s.alerts])
        else:
            audit.lock(session)
        now = clock()
        signatures = [s.signature for s in submissions if s.signature is not None]
        if signatures:
            spend(session, signatures, now)
        decided = iter(_Payload(session, [(alert, s.actor or alert.source)
                                          for s in submissions for alert in s.alerts],
                                now, flap_cooldown, row_locks=postgres).store())
        return [[next(decided) for _ in s.alerts] for s in submissions]


def lock_keys(session: Session, alerts: list[Alert]) -> None:
    """Take a PostgreSQL advisory lock per fingerprint and correlated model, in one order.

    Held until the transaction ends; taken in ascending order, so two payloads sharing
    several keys never wait on each other in a circle.
    """
    keys = {alert.fingerprint for alert in alerts}
    keys |= {"correlation:" + ":".join(key) for key in map(correlation_key, alerts) if key}
    numbers = sorted({int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(),
                                     "big", signed=True) for key in keys})
    if numbers:
        session.execute(text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest("
                             "CAST(:keys AS bigint[])) AS t(k)"),
                        {"keys": numbers})


def spend(session: Session, signatures: list[str], now: datetime, *,
          valid_until: datetime | None = None) -> None:
    """Spend the signatures in one insert; refuse all if any was spent.

    A signature spent before (or by a transaction committing meanwhile, which the insert
    waits for) is not inserted again, and the payload is refused as a replay. Signatures
    too old to be replayed anyway are forgotten, at most once a minute per database; one
    valid longer than a webhook's 5 minutes (an approval link) says until when. A group
    refused for one replay is stored again one payload at a time (`core.group_commit`),
    so only the replay fails.
    """
    if len(set(signatures)) < len(signatures):
        raise SignatureError("this signature was already used (replay refused)")
    _forget_spent(session, now)
    kept = max(now, valid_until or now)  # forgotten SPENT_KEPT after this
    table = SeenSignature.__table__
    stored = session.scalars(  # many rows as parameters, not values: a cached statement
        insert_for(session, table).on_conflict_do_nothing(index_elements=[table.c.signature])
        .returning(table.c.signature),
        [{"signature": signature, "seen_at": kept} for signature in signatures]).all()
    if len(stored) < len(signatures):
        raise SignatureError("this signature was already used (replay refused)")


_last_forgotten: "weakref.WeakKeyDictionary[Engine, datetime]" = weakref.WeakKeyDictionary()


def _forget_spent(session: Session, now: datetime) -> None:
    """Delete the signatures kept past SPENT_KEPT, when a minute has passed since the last time."""
    engine = session.get_bind()
    last = _last_forgotten.get(engine)
    if last is not None and last <= now < last + FORGET_EVERY:
        return
    _last_forgotten[engine] = now
    session.execute(delete(SeenSignature.__table__)
                    .where(SeenSignature.__table__.c.seen_at < now - SPENT_KEPT))


def spend_once(sessions: sessionmaker, signature: str, now: datetime, *,
               valid_until: datetime | None = None) -> None:
    """Spend one signature in a transaction of its own (a Slack click, an approval link).

    SignatureError if it was spent before, or is being spent by another request this very
    moment (the database's unique key decides between them).
    """
    try:
        with sessions.begin() as session:
            spend(session, [signature], now, valid_until=valid_until)
    except IntegrityError:
        raise SignatureError("this signature was already used (replay refused)") from None


@dataclass(frozen=True)
class _Decided:
    """An alert's destination, known before a new incident has its id."""

    incident: Incident | None
    created: bool
    fingerprint: str
    silence_id: int | None = None
    resolved_at_source: bool = False

    def ingested(self) -> Ingested:
        incident_id = self.incident.id if self.incident is not None else None
        return Ingested(incident_id, self.created, self.created, self.fingerprint,
                        self.silence_id, self.resolved_at_source)


class _Payload:
    """The alerts of one transaction (a payload, or several), decided in order, then written.

    Each alert meets the incidents as the alerts before it left them: one may open an
    incident the next joins, or close one the next finds closed. The incidents are read
    with one query per kind of lookup, not one per alert; what needs a new incident's id
    (audit entries, alert rows, the agent's work) waits for the one flush that assigns
    them, so entries, rows and wake-ups go to the database in a few bulk statements.
    """

    def __init__(self, session: Session, sent: list[tuple[Alert, str]], now: datetime,
                 flap_cooldown: float, *, row_locks: bool = False) -> None:
        self.session, self.sent, self.now, self.row_locks = session, sent, now, row_locks
        alerts = [alert for alert, _actor in sent]
        fingerprints = {a.fingerprint for a in alerts}
        self.open = {i.open_key: i for i in session.scalars(self._locked(
            select(Incident).where(Incident.open_key.in_(fingerprints)).order_by(Incident.id)))}
        firing = {a.fingerprint for a in alerts if a.status == "firing"} - self.open.keys()
        resolved = {a.fingerprint for a in alerts if a.status == "resolved"} - self.open.keys()
        since = now - timedelta(seconds=flap_cooldown)
        self.recently_closed = self._newest(firing, Incident.open_key.is_(None),
                                            Incident.resolved_at >= since) \
            if flap_cooldown > 0 else {}
        self.newest = self._newest(resolved)
        self.newest.update(self._correlated_before(resolved - self.newest.keys()))
        self.correlating = self._correlating(alerts)
        self.entries: list[tuple[Incident | None, str, str, dict]] = []
        self.rows: list[tuple[Incident, Alert, dict]] = []
        self.woken: list[Incident] = []

    def store(self) -> list[Ingested]:
        """Decide every alert, then write incidents, audit entries, alerts and wake-ups."""
        decided = [self._decide(alert, actor) for alert, actor in self.sent]
        self.session.flush()  # new incidents get their ids, in one INSERT
        for incident, who, event, data in self.entries:
            audit.record(self.session, event=event, actor=who, clock=lambda: self.now,
                         incident_id=incident.id if incident is not None else None, **data)
        if self.rows:
            self.session.execute(insert(AlertRecord.__table__), [
                {"incident_id": incident.id, "model": incident.model,
                 "fingerprint": alert.fingerprint, "status": alert.status, "payload": payload,
                 "received_at": self.now}
                for incident, alert, payload in self.rows])
        work.wake_all(self.session, [incident.id for incident in self.woken])
        return [d.ingested() for d in decided]

    def _decide(self, alert: Alert, actor: str) -> _Decided:
        payload = alert.model_dump(mode="json")
        silence = silences.holding(self.session, alert, self.now)
        if silence is not None:  # stored and shown, not acted on
            self.session.add(SilencedAlert(silence_id=silence.id, fingerprint=alert.fingerprint,
                                           payload=payload, received_at=self.now))
            self._audit(None, actor, "alert_silenced", silence_id=silence.id, alert=alert.name,
                        fingerprint=alert.fingerprint)
            return _Decided(None, False, alert.fingerprint, silence.id)
        incident = self.open.get(alert.fingerprint)
        if incident is None and alert.status == "firing":
            closed = self._flapping(alert)
            if closed is not None:
                self._flap(closed, alert, actor)
                self.rows.append((closed, alert, payload))
                return _Decided(closed, False, alert.fingerprint)
        if incident is None and alert.status == "resolved":
            incident = self.newest.get(alert.fingerprint)
            if incident is None:
                raise NotFound(f"resolved alert {alert.name!r} matches no incident")
        if incident is None and alert.status == "firing":
            incident = self._correlate(alert, actor)
            if incident is not None:
                self.rows.append((incident, alert, payload))
                return _Decided(incident, False, alert.fingerprint)
        created = incident is None
        told = not created and alert.status == "resolved" and incident.handled \
            and alert.fingerprint == incident.fingerprint  # people heard of it: tell them
        if created:
            incident = self._open(alert, payload, actor)
        else:
            self._join(incident, alert, actor)
        self.rows.append((incident, alert, payload))
        return _Decided(incident, created, alert.fingerprint, resolved_at_source=told)

    def _open(self, alert: Alert, payload: dict, actor: str) -> Incident:
        incident = Incident(model=model_of(alert), fingerprint=alert.fingerprint,
                            open_key=alert.fingerprint,
                            title=alert.title, alert_type=alert.type.value, alert=payload,
                            first_seen=self.now, last_seen=self.now, alert_count=1,
                            state="open", handled=False)  # read again before the flush
        self.session.add(incident)
        self.open[alert.fingerprint] = self.newest[alert.fingerprint] = incident
        if correlation_key(alert) is not None:
            self.correlating.append(incident)
        self.woken.append(incident)
        self._audit(incident, actor, "alert_received", alert=alert.name, type=alert.type.value,
                    fingerprint=alert.fingerprint, source=alert.source)
        return incident

    def _join(self, incident: Incident, alert: Alert, actor: str) -> None:
        incident.alert_count += 1
        incident.last_seen = self.now
        self._audit(incident, actor, "alert_joined" if alert.status == "firing"
                    else "alert_resolved_at_source",
                    alert=alert.name, status=alert.status, count=incident.alert_count)
        if (alert.status == "resolved" and incident.state == "open" and not incident.handled
                and alert.fingerprint == incident.fingerprint):  # not another monitor's
            mark_closed(incident, "closed", RESOLVED_EARLY, self.now)
            self.open.pop(alert.fingerprint, None)
            self.recently_closed[alert.fingerprint] = incident
            self._audit(incident, actor, "incident_closed", state="closed",
                        outcome=RESOLVED_EARLY)

    def _correlate(self, alert: Alert, actor: str) -> Incident | None:
        """Join another monitor's open incident about the same model within this window.

        Two monitors that fire on the same traffic (performance and drift, say) report one
        cause: the second alert joins the first one's incident instead of opening another
        (and asking for a second, identical approval).
        """
        key, window = correlation_key(alert), correlation_window(alert)
        if key is None or window is None:
            return None
        since = self.now - window
        for incident in self.correlating:
            if (incident.state in CORRELATING_STATES and incident.first_seen >= since
                    and correlation_key(incident.alert) == key):
                incident.alert_count += 1
                incident.last_seen = self.now
                self._audit(incident, actor, "alert_correlated", alert=alert.name,
                            fingerprint=alert.fingerprint, model=key[1],
                            window_minutes=int(window.total_seconds() // 60))
                return incident
        return None

    def _correlating(self, alerts: list[Alert]) -> list[Incident]:
        """Read the open incidents another monitor's alert in this payload could join."""
        if not any(a.status == "firing" and correlation_key(a) is not None for a in alerts):
            return []
        found = self.session.scalars(self._locked(select(Incident).where(
            Incident.state.in_(CORRELATING_STATES)).order_by(Incident.id))).all()
        return [i for i in found if correlation_key(i.alert) is not None]

    def _locked(self, query):
        """Lock the incidents read against the agent's writes until the commit (PostgreSQL).

        An incident the agent closes meanwhile is read as it is after that commit, so an
        alert never joins an incident closed under it.
        """
        return query.with_for_update(of=Incident) if self.row_locks else query

    def _correlated_before(self, fingerprints: set[str]) -> dict[str, Incident]:
        """Return the incident each fingerprint last joined by correlation (to resolve it)."""
        if not fingerprints:
            return {}
        newest = (select(func.max(AlertRecord.incident_id))
                  .where(AlertRecord.fingerprint.in_(fingerprints))
                  .group_by(AlertRecord.fingerprint))
        found = {}
        for incident in self.session.scalars(select(Incident).where(Incident.id.in_(newest))):
            for record in self.session.scalars(select(AlertRecord.fingerprint).where(
                    AlertRecord.incident_id == incident.id,
                    AlertRecord.fingerprint.in_(fingerprints))):
                found[record] = incident
        return found

    def _flapping(self, alert: Alert) -> Incident | None:
        closed = self.recently_closed.get(alert.fingerprint)
        low = alert.labels.get("severity", "").lower() in LOW_SEVERITY_LABELS
        return closed if closed is not None and (low or closed.severity_level == "low") else None

    def _flap(self, incident: Incident, alert: Alert, actor: str) -> None:
        if incident.id is None:  # opened and closed in this payload: give it its id
            self.session.flush()
        flaps = self.session.get(IncidentFlaps, incident.id) or IncidentFlaps(
            incident_id=incident.id, flaps=0)
        flaps.flaps += 1
        flaps.last_flap_at = self.now
        self.session.add(flaps)
        incident.alert_count += 1
        incident.last_seen = self.now
        self._audit(incident, actor, "alert_flapped", alert=alert.name, flaps=flaps.flaps,
                    closed_at=incident.resolved_at.isoformat())

    def _audit(self, incident: Incident | None, actor: str, event: str, **data) -> None:
        self.entries.append((incident, actor, event, data))

    def _newest(self, fingerprints: set[str], *conditions) -> dict[str, Incident]:
        """Return the newest incident per fingerprint that meets the conditions."""
        if not fingerprints:
            return {}
        newest = (select(func.max(Incident.id))
                  .where(Incident.fingerprint.in_(fingerprints), *conditions)
                  .group_by(Incident.fingerprint))
        return {i.fingerprint: i for i in self.session.scalars(
            select(Incident).where(Incident.id.in_(newest)))}


def model_of(alert: Alert) -> str:
    """Return the model an alert is about: its `model` label, else the first model."""
    named = alert.labels.get("model", "")
    return named if 0 < len(named) <= MODEL_WIDTH else FIRST_MODEL


def correlation_key(alert: Alert | dict) -> tuple[str, str] | None:
    """Return what makes alerts correlate: a monitor's alert about a named model.

    Alerts from different monitors (a `monitor` label) about the same `model` label are
    one cause when they fire within each other's window; anything else correlates by
    fingerprint only.
    """
    labels = alert.labels if isinstance(alert, Alert) else (alert or {}).get("labels") or {}
    if not labels.get("monitor") or not labels.get("model"):
        return None
    return ("model", labels["model"])


def correlation_window(alert: Alert) -> timedelta | None:
    """Return how far back an incident may have begun and still share this alert's traffic."""
    minutes = alert.evidence.window_minutes if alert.evidence is not None else None
    return timedelta(minutes=minutes) if minutes else None
