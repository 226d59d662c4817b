"""Append to and verify the tamper-evident audit log (each row hashes the one before)."""

import hashlib
import json
import logging
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from core.clock import Clock, utcnow
from core.tables import AuditEntry, AuditHead

log = logging.getLogger(__name__)

GENESIS = "0" * 64

SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION medic_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION medic_audit_append_only()",
)


class VerifyResult(BaseModel):
    """The outcome of walking the chain."""

    ok: bool
    entries: int
    first_broken: int | None = None
    reason: str = ""


def install_guards(engine: Engine) -> None:
    """Make the table refuse UPDATE and DELETE (a trigger on SQLite and PostgreSQL)."""
    statements = POSTGRES_TRIGGERS if engine.dialect.name == "postgresql" else SQLITE_TRIGGERS
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
        if connection.execute(select(AuditHead).where(AuditHead.id == 1)).first() is None:
            connection.execute(AuditHead.__table__.insert().values(id=1, last_hash=GENESIS,
                                                                   entries=0))


def record(session: Session, *, event: str, actor: str, incident_id: int | None = None,
           clock: Clock = utcnow, **data) -> AuditEntry:
    """Append one entry inside the caller's transaction, stamped by the clock."""
    session.execute(update(AuditHead).where(AuditHead.id == 1)
                    .values(entries=AuditHead.entries + 1))
    head = session.get(AuditHead, 1, populate_existing=True)
    at = clock()
    payload = json.loads(json.dumps(data, default=str))
    digest = _hash(head.last_hash, at, incident_id, actor, event, payload)
    entry = AuditEntry(at=at, incident_id=incident_id, actor=actor, event=event, data=payload,
                       prev_hash=head.last_hash, hash=digest)
    session.add(entry)
    head.last_hash = digest
    session.flush()
    return entry


def verify(session: Session) -> VerifyResult:
    """Walk the chain from the start; report the first entry whose link is broken."""
    previous, count = GENESIS, 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if entry.prev_hash != previous:
            return VerifyResult(ok=False, entries=count, first_broken=entry.id,
                                reason=f"entry {entry.id} does not follow the entry before it "
                                       "(one was removed or inserted)")
        expected = _hash(entry.prev_hash, entry.at, entry.incident_id, entry.actor, entry.event,
                         entry.data)
        if entry.hash != expected:
            return VerifyResult(ok=False, entries=count, first_broken=entry.id,
                                reason=f"entry {entry.id} was changed after it was written")
        previous = entry.hash
    head = session.get(AuditHead, 1)
    if head is not None and head.last_hash != previous:
        return VerifyResult(ok=False, entries=count, first_broken=None,
                            reason="the last entries were removed (chain head does not match)")
    return VerifyResult(ok=True, entries=count)


def entries(session: Session, *, incident_id: int | None = None, limit: int = 200) -> list[dict]:
    """Return audit entries, newest last, optionally for one incident."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if incident_id is not None:
        query = query.where(AuditEntry.incident_id == incident_id)
    rows = list(session.scalars(query))[::-1]
    return [{"id": r.id, "at": _naive_utc(r.at).isoformat(), "incident_id": r.incident_id,
             "actor": r.actor, "event": r.event, "data": r.data, "hash": r.hash} for r in rows]


def _hash(prev: str, at: datetime, incident_id, actor: str, event: str, data) -> str:
    body = json.dumps(
        {"prev": prev, "at": _naive_utc(at).isoformat(), "incident": incident_id,
         "actor": actor, "event": event, "data": data},
        sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _naive_utc(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
