"""Decide an approval: the one write for a person's decision and for expiry.

Claim the pending approval, audit the decision and wake the incident's agent, in one
transaction; the agent's thread reads the decision from the database when it resumes.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from core import audit, work
from core.errors import NotFound
from core.tables import Approval


@dataclass(frozen=True)
class Decision:
    """What deciding an approval did: whether this call took it, and its status now."""

    claimed: bool
    status: str
    incident_id: int
    asked: tuple[str, ...] = ()
    """Who the escalation asked before it was decided."""


def decide_approval(sessions: sessionmaker, approval_id: int, *, status: str, by: str,
                    role: str, now: datetime, comment: str = "",
                    channel: str | None = None) -> Decision:
    """Take a pending approval to `status`, audit it and wake its incident, in one transaction.

    The one write for a person's decision and for expiry. The database decides between
    racers: only the call whose update still finds it pending claims it; the others get
    the status it has now. A decision arriving after the approval's expiry expires it.
    `channel` (console, api, cli, slack, email) is audited with a person's decision.
    """
    with sessions.begin() as session:
        found = session.get(Approval, approval_id)
        if found is None:
            raise NotFound(f"no approval {approval_id}")
        if found.status != "pending":
            return Decision(claimed=False, status=found.status, incident_id=found.incident_id)
        if found.expires_at <= now:
            status = "expired"
        claimed = session.execute(
            update(Approval).where(Approval.id == approval_id, Approval.status == "pending")
            .values(status=status, decided_by=by, decided_role=role, decided_at=now,
                    comment=comment[:2000])).rowcount
        if not claimed:  # another decision committed since it was read
            status = session.get(Approval, approval_id, populate_existing=True).status
            return Decision(claimed=False, status=status, incident_id=found.incident_id)
        audit.record(session, event=f"approval_{status}", actor=by,
                     incident_id=found.incident_id, approval_id=approval_id, role=role,
                     comment=comment[:2000], digest=found.digest,
                     **({"channel": channel} if channel else {}))
        work.wake(session, found.incident_id)
        asked = tuple(found.asked or ())
    return Decision(claimed=True, status=status, incident_id=found.incident_id, asked=asked)
