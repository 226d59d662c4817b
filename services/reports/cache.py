"""Keep closed incidents' rendered reports on disk, keyed by the incident's last change."""

import hashlib
import os
from pathlib import Path

from sqlalchemy import func, select

from core.incidents import TERMINAL_STATES
from core.tables import AuditEntry, Incident

KEEP = 200  # reports kept at most; the oldest are deleted first


def key(sessions, incident_id: int) -> str | None:
    """Return the cache key of a closed incident's report, or None if it may still change.

    The key covers the incident's state, alerts and last audit entry: a flap, a reopening
    or a pruned thread gives a new key, so a stale report is never served.
    """
    with sessions() as session:
        found = session.get(Incident, incident_id)
        if found is None or found.state not in TERMINAL_STATES:
            return None
        last = session.scalar(select(func.max(AuditEntry.id))
                              .where(AuditEntry.incident_id == incident_id))
    change = f"{found.state}|{found.alert_count}|{found.last_seen}|{found.resolved_at}|{last}"
    return f"incident-{incident_id}-{hashlib.sha256(change.encode()).hexdigest()[:16]}"


def read(folder: Path, name: str) -> bytes | None:
    """Return the kept report, or None."""
    try:
        return (folder / f"{name}.pdf").read_bytes()
    except FileNotFoundError:
        return None


def write(folder: Path, name: str, pdf: bytes) -> None:
    """Keep a report (atomically); drop the incident's older ones and the oldest beyond KEEP."""
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.{os.getpid()}.part"
    partial.write_bytes(pdf)
    os.replace(partial, folder / f"{name}.pdf")
    incident = name.rsplit("-", 1)[0]
    for older in folder.glob(f"{incident}-*.pdf"):
        if older.name != f"{name}.pdf":
            older.unlink(missing_ok=True)
    kept = sorted(folder.glob("incident-*.pdf"), key=_mtime)
    for oldest in kept[:-KEEP]:
        oldest.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # another process dropped it meanwhile
        return 0.0
