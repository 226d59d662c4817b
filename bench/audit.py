"""Measure what keying and anchoring the audit chain costs: appends per second (one entry per
committed transaction, as the agent writes them) and the time `audit verify` takes, against
the peer run side by side on the same SQLite database: the previous chain (plain SHA-256,
nothing written outside the database).

Usage: .venv/bin/python bench/audit.py [--entries 2000]
"""

import argparse
import hashlib
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import audit  # noqa: E402
from core.audit_seal import Seal  # noqa: E402
from core.db import connect  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.tables import AuditEntry, AuditHead  # noqa: E402


def plain_record(session, *, event: str, actor: str, incident_id=None, **data) -> None:
    """The peer: the unkeyed append Medic used before (same head row, same body)."""
    session.execute(update(AuditHead).where(AuditHead.id == 1)
                    .values(entries=AuditHead.entries + 1))
    head = session.get(AuditHead, 1, populate_existing=True)
    at = datetime.now(UTC)
    digest = hashlib.sha256(audit._body(head.last_hash, at, incident_id, actor, event,
                                        data)).hexdigest()
    session.add(AuditEntry(at=at, incident_id=incident_id, actor=actor, event=event,
                           data=data, prev_hash=head.last_hash, hash=digest))
    head.last_hash = digest


def plain_verify(session) -> int:
    previous, count = audit.GENESIS, 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        body = audit._body(entry.prev_hash, entry.at, entry.incident_id, entry.actor,
                           entry.event, entry.data)
        assert entry.prev_hash == previous and entry.hash == hashlib.sha256(body).hexdigest()
        previous, count = entry.hash, count + 1
    return count


def run(home: Path, entries: int, keyed: bool) -> tuple[float, float, float]:
    settings = Settings(home=home, _env_file=None)
    factory = connect(settings.database_url, seal=Seal.of(settings) if keyed else None)
    write = audit.record if keyed else plain_record
    started, cpu = time.perf_counter(), time.process_time()
    for number in range(entries):
        with factory.begin() as session:
            write(session, event="action_finished", actor="medic agent",
                  incident_id=number // 7 + 1, tool="retrain", status="success", step=number)
    appended = entries / (time.perf_counter() - started)
    cpu_ms = (time.process_time() - cpu) / entries * 1000
    started = time.perf_counter()
    with factory() as session:
        ok = audit.verify(session).ok if keyed else plain_verify(session) == entries
    assert ok
    return appended, time.perf_counter() - started, cpu_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = {}
        for round_ in range(2):  # alternate so both see the same machine load
            for keyed in (False, True):
                rows.setdefault(keyed, []).append(
                    run(Path(folder) / f"{keyed}-{round_}", args.entries, keyed))
    plain, keyed = (max(r[0] for r in rows[k]) for k in (False, True))
    plain_v, keyed_v = (min(r[1] for r in rows[k]) for k in (False, True))
    plain_c, keyed_c = (min(r[2] for r in rows[k]) for k in (False, True))
    print(f"entries: {args.entries}, each committed on its own (SQLite, WAL)")
    print(f"append, plain chain (peer):       {plain:8.0f} entries/s")
    print(f"append, keyed chain + anchor:     {keyed:8.0f} entries/s")
    print(f"CPU per append, plain (peer):     {plain_c:8.2f} ms")
    print(f"CPU per append, keyed + anchor:   {keyed_c:8.2f} ms")
    print(f"verify, plain chain (peer):       {plain_v * 1000:8.1f} ms")
    print(f"verify, keyed chain + anchor:     {keyed_v * 1000:8.1f} ms")
    print(f"ratio: {keyed / plain:.2f}  (appends/s, keyed over plain; wall time is mostly "
          "SQLite's commit)")


if __name__ == "__main__":
    main()
