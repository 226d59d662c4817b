"""Append to and verify the tamper-evident audit log: keyed hash chains, anchored outside.

Each entry's hash is the HMAC (audit key) of its content and the hash before it on its
chain. SQLite has one chain; on PostgreSQL a transaction appends to the first of
`POSTGRES_CHAINS` chains no other transaction is appending to, so writers in several
processes do not queue on one row, and each process now and then appends a checkpoint
naming every chain's last entry, which binds the chains together (design and threat
model: docs/architecture.md, "The audit chains"). Each
committed entry is also anchored in a signed, chained append-only file (`core.audit_seal`).
A log with entries and no anchor (deleted or emptied) fails; so does, when every writer
shares the file (the embedded default), a keyed entry missing from it (the file was cut).
Entries written before the chain was keyed carry a plain SHA-256 and verify, with a
warning, only before the first keyed or anchored entry: after it, a plain hash is a
forgery; a log with no keyed entry and no anchor verifies only when asked (`legacy`).
"""

import bisect
import hashlib
import hmac
import json
import logging
import os
import time
from collections import defaultdict
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Connection, event, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from core.audit_seal import Seal
from core.clock import Clock, utcnow
from core.errors import ConfigError
from core.tables import AuditEntry, AuditHead

log = logging.getLogger(__name__)

GENESIS = "0" * 64
SEAL, PENDING, HEAD = "medic_audit_seal", "medic_audit_pending", "medic_audit_head"
POSTGRES_CHAINS = 16  # more than the transactions that append at once (one per process)
CHECKPOINT = "audit_checkpoint"
CHECKPOINT_SECONDS = 60.0  # a process checkpoints the chains at most this often
_next_checkpoint: dict[Seal, float] = {}  # per seal: when this process checkpoints next

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
    # the head follows its chain's entries as they are inserted, in the same statement:
    # an append costs no UPDATE round trip; within a chain ids grow in chain order
    "CREATE OR REPLACE FUNCTION medic_audit_head_follows() RETURNS trigger AS $$ "
    "BEGIN UPDATE audit_head AS h SET last_hash = l.hash, entries = h.entries + l.added "
    "FROM (SELECT DISTINCT ON (chain) chain, hash, count(*) OVER (PARTITION BY chain) AS added "
    "FROM appended ORDER BY chain, id DESC) AS l WHERE h.id = l.chain; RETURN NULL; END $$ "
    "LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS audit_log_moves_head ON audit_log",
    "CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log "
    "REFERENCING NEW TABLE AS appended FOR EACH STATEMENT "
    "EXECUTE FUNCTION medic_audit_head_follows()",
)


class VerifyResult(BaseModel):
    """The outcome of walking the chain."""

    ok: bool
    entries: int
    first_broken: int | None = None
    reason: str = ""


def install_guards(connection: Connection) -> None:
    """Make the table refuse UPDATE and DELETE (a trigger on SQLite and PostgreSQL)."""
    postgres = connection.dialect.name == "postgresql"
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        connection.execute(text(statement))
    chains = POSTGRES_CHAINS if postgres else 1
    known = set(connection.scalars(select(AuditHead.id)))
    missing = [{"id": chain, "last_hash": GENESIS, "entries": 0}
               for chain in range(1, chains + 1) if chain not in known]
    if missing:
        connection.execute(AuditHead.__table__.insert(), missing)


def attach(factory: sessionmaker, seal: Seal) -> sessionmaker:
    """Give the factory's sessions the seal, and anchor their entries after each commit."""
    factory.configure(info={SEAL: seal})
    event.listen(factory, "after_commit", _anchor_pending)
    event.listen(factory, "after_rollback", lambda session: session.info.pop(PENDING, None))
    event.listen(factory, "after_transaction_end", _forget_head)
    return factory


def _forget_head(session: Session, transaction) -> None:
    """Forget the head's copy when a transaction or a savepoint ends.

    Not when a flush's inner subtransaction ends: the transaction, and its lock, go on.
    """
    if transaction.parent is None or transaction.nested:
        session.info.pop(HEAD, None)


def record(session: Session, *, event: str, actor: str, incident_id: int | None = None,
           clock: Clock = utcnow, **data) -> AuditEntry:
    """Append one entry inside the caller's transaction, stamped by the clock.

    The entry is written with the transaction's next flush: a payload of many alerts
    writes its entries in one INSERT and the head once. On PostgreSQL the head is moved by
    the insert's own trigger (`audit_log_moves_head`), so the copy kept here is only
    brought up to date, never written; SQLite writes it with the flush.
    """
    seal = _seal(session)
    head = lock(session)
    at = clock()
    payload = json.loads(json.dumps(data, default=str))
    digest = seal.mac(_body(head.last_hash, at, incident_id, actor, event, payload, head.id))
    entry = AuditEntry(at=at, incident_id=incident_id, actor=actor, event=event, data=payload,
                       prev_hash=head.last_hash, hash=digest, chain=head.id)
    session.add(entry)
    if session.get_bind().dialect.name == "postgresql":  # the trigger writes it
        set_committed_value(head, "last_hash", digest)
        set_committed_value(head, "entries", head.entries + 1)
    else:
        head.last_hash, head.entries = digest, head.entries + 1
    session.info.setdefault(PENDING, []).append(entry)
    return entry


def lock(session: Session) -> AuditHead:
    """Return the head of the chain this transaction appends to, write-locked, read once.

    SQLite: the first call in a transaction writes the one chain's head before reading it,
    which takes the database's write lock, so no other writer can move the head until this
    transaction ends. PostgreSQL: it takes the row lock of the first chain's head no other
    transaction holds (`FOR UPDATE SKIP LOCKED`), waiting only when every chain is taken;
    a checkpoint is appended first when this process owes one. Either way the copy kept in
    memory stays the truth until the transaction or a savepoint ends, which forgets it.
    """
    head = session.info.get(HEAD)
    if head is not None:
        return head
    if session.get_bind().dialect.name != "postgresql":  # the write and the read: one statement
        head = session.info[HEAD] = session.scalars(
            update(AuditHead).where(AuditHead.id == 1).values(entries=AuditHead.entries)
            .returning(AuditHead), execution_options={"populate_existing": True}).one()
        return head
    head = session.scalars(select(AuditHead).order_by(AuditHead.id).limit(1)
                           .with_for_update(skip_locked=True)
                           .execution_options(populate_existing=True)).first()
    if head is None:  # every chain is being appended to: wait for one, this process's own
        head = session.get(AuditHead, 1 + os.getpid() % POSTGRES_CHAINS,
                           with_for_update=True, populate_existing=True)
    session.info[HEAD] = head
    if _checkpoint_due(_seal(session)):
        checkpoint(session)
    return head


def checkpoint(session: Session, *, clock: Clock = utcnow) -> AuditEntry:
    """Append an entry naming every other chain's last entry and hash (binds the chains).

    Only committed entries are named (the heads as committed; this chain's is locked), so
    each named entry has a smaller id than the checkpoint: verify, walking in id order,
    has met it by then, and fails if it is gone or differs.
    """
    own = lock(session)
    heads = {chain: digest for chain, digest in session.execute(
        select(AuditHead.id, AuditHead.last_hash).where(AuditHead.id != own.id,
                                                        AuditHead.last_hash != GENESIS))}
    last = dict(session.execute(select(AuditEntry.hash, AuditEntry.id)
                                .where(AuditEntry.hash.in_(heads.values()))).all()) \
        if heads else {}
    chains = {str(chain): {"last": last.get(digest), "hash": digest}
              for chain, digest in sorted(heads.items())}
    return record(session, event=CHECKPOINT, actor="medic audit", clock=clock, chains=chains)


def _checkpoint_due(seal: Seal) -> bool:
    """Say whether this process checkpoints now (every CHECKPOINT_SECONDS per seal)."""
    now = time.monotonic()
    due = _next_checkpoint.setdefault(seal, now + CHECKPOINT_SECONDS)
    if now < due:
        return False
    _next_checkpoint[seal] = now + CHECKPOINT_SECONDS
    return True


def verify(session: Session, *, seal: Seal | None = None,
           legacy: bool = False) -> VerifyResult:
    """Walk every keyed chain against the anchor; report the first entry that is not genuine.

    `legacy`: accept a log with no keyed entry and no anchor (from before the audit key),
    with a warning; without it, a log with entries and no anchor is a failure.
    """
    seal = seal or _seal(session)
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        # one snapshot for the walk and the heads read after it: a live log verifies
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    anchor = seal.read()
    if anchor.bad_line is not None:
        return VerifyResult(ok=False, entries=0, reason=f"line {anchor.bad_line} of the anchor "
                            f"file {seal.anchor} is not signed with the audit key, or a line "
                            "before it was removed")
    walk = _Walk(seal, anchor, *_checkpoints(session))
    columns = (AuditEntry.id, AuditEntry.at, AuditEntry.incident_id, AuditEntry.actor,
               AuditEntry.event, AuditEntry.data, AuditEntry.prev_hash, AuditEntry.hash,
               AuditEntry.chain)
    # rows, not ORM objects: a walk over every entry builds none of the session's identity map
    for entry in session.execute(select(*columns).order_by(AuditEntry.id)):
        broken = walk.step(entry)
        if broken is not None:
            return broken
    return walk.end(session, legacy=legacy)


class _Walk:
    """The state of one walk over the log in id order: each chain's last hash, and counts."""

    def __init__(self, seal: Seal, anchor, checkpoints: set[int], named: set[int]) -> None:
        self.seal, self.anchor, self.checkpoints, self.named = seal, anchor, checkpoints, named
        self.anchored = sorted(anchor.hashes)
        self.keyed_from = self.anchored[0] if self.anchored else None
        self.previous: dict[int, str] = defaultdict(lambda: GENESIS)
        self.seen: dict[int, tuple[int, str]] = {}  # entries a checkpoint names: chain, hash
        self.count, self.last_id, self.keyed, self.plain = 0, 0, False, 0
        self.unanchored: list[int] = []

    def step(self, entry) -> VerifyResult | None:
        """Check one entry against its chain, the anchor and the checkpoints before it."""
        self.count += 1
        count, anchor = self.count, self.anchor
        gone = _anchored_between(self.anchored, self.last_id, entry.id)
        if gone is not None:
            return _broken(count, gone, f"entry {gone} is anchored but missing from the "
                                        "database (removed)")
        if entry.prev_hash != self.previous[entry.chain]:
            return _broken(count, entry.id, f"entry {entry.id} does not follow the entry "
                                            "before it (one was removed or inserted)")
        body = _body(entry.prev_hash, entry.at, entry.incident_id, entry.actor, entry.event,
                     entry.data, entry.chain)
        if hmac.compare_digest(entry.hash, self.seal.mac(body)):
            self.keyed = True
            if entry.id not in anchor.hashes:
                self.unanchored.append(entry.id)
        elif self.keyed or (self.keyed_from is not None and entry.id >= self.keyed_from) \
                or entry.hash != hashlib.sha256(body).hexdigest():
            return _broken(count, entry.id, f"entry {entry.id} was changed or forged after "
                                            "it was written (its keyed hash does not match)")
        else:
            self.plain += 1
        if anchor.hashes.get(entry.id, entry.hash) != entry.hash:
            return _broken(count, entry.id, f"entry {entry.id} differs from its anchored hash")
        if entry.event == CHECKPOINT and entry.id in self.checkpoints:  # not one made since
            broken = self._checkpoint(entry)
            if broken is not None:
                return broken
        if entry.id in self.named:
            self.seen[entry.id] = (entry.chain, entry.hash)
        self.previous[entry.chain], self.last_id = entry.hash, entry.id
        return None

    def _checkpoint(self, entry) -> VerifyResult | None:
        """Check that every entry the (genuine) checkpoint names was met, as it was."""
        for chain, claim in sorted((entry.data or {}).get("chains", {}).items()):
            named = claim.get("last")
            if named is None or self.seen.get(named) != (int(chain), claim.get("hash")):
                where = f"entry {named}" if named is not None else "its last entry"
                return _broken(self.count, named or entry.id,
                               f"{where} of chain {chain}, named by checkpoint {entry.id}, is "
                               "missing or differs (the chain was truncated or rewritten)")
        return None

    def end(self, session: Session, *, legacy: bool) -> VerifyResult:
        """Judge what the walk cannot: a cut tail, each chain's head, the anchor's tail."""
        count, seal, anchored = self.count, self.seal, self.anchored
        if anchored and anchored[-1] > self.last_id:
            gone = anchored[bisect.bisect_right(anchored, self.last_id)]
            return _broken(count, gone, f"entries {gone} to {anchored[-1]} are anchored but "
                                        "missing from the database (the log was truncated)")
        heads = dict(session.execute(select(AuditHead.id, AuditHead.last_hash)).all())
        for chain in sorted(heads.keys() | self.previous.keys()):
            if heads.get(chain) != self.previous[chain]:
                which = "" if len(heads) == 1 else f" of chain {chain}"
                return VerifyResult(ok=False, entries=count, first_broken=None,
                                    reason=f"the last entries{which} were removed (chain head "
                                           "does not match)")
        if count and not anchored:
            return _no_anchor(seal, self.anchor, count, keyed=self.keyed, legacy=legacy)
        missing = _unanchored_tail(seal, self.unanchored, self.anchor.hashes) \
            if seal.complete else []
        if missing:
            return _broken(count, missing[0], f"entries {missing[0]} to {missing[-1]} "
                           f"({len(missing)}) are keyed but not in the anchor file "
                           f"{seal.anchor}: it was cut at its end, or the process that wrote "
                           "them was killed before anchoring them (then the next entry "
                           "anchored settles it)")
        return VerifyResult(ok=True, entries=count, reason=_unkeyed_warning(self.plain))


def _checkpoints(session: Session) -> tuple[set[int], set[int]]:
    """Return the checkpoints' ids and the entries they name (read first: a few per hour)."""
    checkpoints, named = set(), set()
    for entry_id, data in session.execute(select(AuditEntry.id, AuditEntry.data)
                                          .where(AuditEntry.event == CHECKPOINT)):
        checkpoints.add(entry_id)
        for claim in (data or {}).get("chains", {}).values():
            if isinstance(claim, dict) and isinstance(claim.get("last"), int):
                named.add(claim["last"])
    return checkpoints, named


def entries(session: Session, *, incident_id: int | None = None, limit: int = 200,
            offset: int = 0) -> list[dict]:
    """Return audit entries, newest last, optionally for one incident, after the newest `offset`."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    if incident_id is not None:
        query = query.where(AuditEntry.incident_id == incident_id)
    rows = list(session.scalars(query))[::-1]
    return [{"id": r.id, "at": _naive_utc(r.at).isoformat(), "incident_id": r.incident_id,
             "actor": r.actor, "event": r.event, "data": r.data, "hash": r.hash} for r in rows]


def count(session: Session, *, incident_id: int | None = None) -> int:
    """Return how many entries there are (for one incident), counted on an index."""
    query = select(func.count()).select_from(AuditEntry)
    if incident_id is not None:
        query = query.where(AuditEntry.incident_id == incident_id)
    return session.scalar(query) or 0


def _body(prev: str, at: datetime, incident_id, actor: str, event: str, data,
          chain: int = 1) -> bytes:
    """Return what an entry's hash covers; the chain is named unless it is the first."""
    content = {"prev": prev, "at": _naive_utc(at).isoformat(), "incident": incident_id,
               "actor": actor, "event": event, "data": data}
    if chain != 1:  # entries from before the chains (all on chain 1) keep their hashes
        content["chain"] = chain
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def _seal(session: Session) -> Seal:
    seal = session.info.get(SEAL)
    if seal is None:
        raise ConfigError("the audit log is keyed: open the database with its seal "
                          "(core.db.connect(url, seal=Seal.of(settings)))")
    return seal


def _anchor_pending(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:  # committed, so flushed: every entry has its id
        session.info[SEAL].append([(entry.id, entry.hash) for entry in pending])


def _anchored_between(anchored: list[int], after: int, before: int) -> int | None:
    index = bisect.bisect_right(anchored, after)
    return anchored[index] if index < len(anchored) and anchored[index] < before else None


def _no_anchor(seal: Seal, anchor, count: int, *, keyed: bool, legacy: bool) -> VerifyResult:
    """Judge a log that has entries but whose anchor file is missing or empty."""
    state = "empty" if anchor.exists else "missing"
    if legacy and not keyed:
        return VerifyResult(ok=True, entries=count, reason=_unkeyed_warning(count))
    hint = "" if keyed else (" (a log written before the audit key existed, with no keyed "
                             "entry at all, verifies with --legacy)")
    return VerifyResult(ok=False, entries=count, first_broken=None,
                        reason=f"the anchor file {seal.anchor} is {state} but the audit log "
                               f"has {count} entries: it was deleted or emptied, so the "
                               f"entries cannot be checked against it{hint}")


def _unanchored_tail(seal: Seal, unanchored: list[int], hashes: dict[int, str], *,
                     attempts: int = 20) -> list[int]:
    """Return the keyed entries after the last anchored one, waiting for those anchored now.

    An entry is anchored just after its commit: one committed while verify walked the
    chain may not be in the file yet, so the file (which only grows; `hashes` is what it held
    before the walk) is read again while any is missing. An
    unanchored entry before an anchored one is not a cut (the anchor's lines are chained,
    the entry is keyed and pinned by the next one's link): its process died between its
    commit and its anchor line.
    """
    for attempt in range(attempts + 1):
        last = max(hashes, default=0)
        missing = [entry_id for entry_id in unanchored if entry_id > last]
        if not missing or attempt == attempts:
            return missing
        time.sleep(0.1)
        hashes = seal.read().hashes
    return missing


def _unkeyed_warning(plain: int) -> str:
    if not plain:
        return ""
    return (f"warning: {plain} entries predate the audit key and are only checked by plain "
            "SHA-256: anyone who could write the database could have rewritten them")


def _broken(count: int, entry_id: int, reason: str) -> VerifyResult:
    return VerifyResult(ok=False, entries=count, first_broken=entry_id, reason=reason)


def _naive_utc(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
