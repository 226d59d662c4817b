"""Read and verify the audit log."""

from pathlib import Path

from core import audit
from core.audit_seal import Seal
from core.views import AuditEntryView
from services.context import Medic
from services.views import AuditPage, AuditVerdict, AuditView, page_bounds


def entries(medic: Medic, *, incident_id: int | None = None,
            limit: int = 200) -> list[AuditEntryView]:
    """Return the newest entries (oldest of them first), optionally for one incident."""
    with medic.sessions() as session:
        return [AuditEntryView(**row)
                for row in audit.entries(session, incident_id=incident_id, limit=limit)]


def page(medic: Medic, *, incident_id: int | None = None, number: int = 1,
         size: int = 200) -> AuditPage:
    """Return page `number` (1: the newest, clamped to the last) of `size` entries."""
    with medic.sessions() as session:
        total = audit.count(session, incident_id=incident_id)
        number, pages, offset = page_bounds(total, size, number)
        rows = audit.entries(session, incident_id=incident_id, limit=size, offset=offset)
    return AuditPage(number=number, pages=pages, size=size, total=total,
                     entries=[AuditEntryView(**row) for row in rows])


def verify(medic: Medic, *, legacy: bool = False, anchor: Path | None = None) -> AuditVerdict:
    """Walk the chain; name the first broken entry if any.

    `legacy`: accept an unkeyed log with no anchor. `anchor`: check against this copy of an
    anchor file instead (kept on another machine; it may end before the chain does).
    """
    seal = None if anchor is None else Seal(medic.settings.audit_key, anchor, complete=False)
    with medic.sessions() as session:
        return AuditVerdict(**audit.verify(session, seal=seal, legacy=legacy).model_dump())


def overview(medic: Medic, *, incident_id: int | None = None, limit: int = 200) -> AuditView:
    """Return the chain's verdict and the newest entries."""
    return AuditView(verified=verify(medic),
                     entries=entries(medic, incident_id=incident_id, limit=limit))
