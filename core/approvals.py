"""Write an approval: the one write for a person's decision, for expiry and for "I'm looking".

Claim the pending approval, audit the decision and wake the incident's agent, in one
transaction; the agent's thread reads the decision from the database when it resumes.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from core import audit, work
from core.errors import NotFound, PolicyError
from core.tables import Approval, Incident


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

    The one write for a person's decision and for expiry. The row is written first, so
    decisions on it take turns; a decision arriving after the approval's expiry expires
    it. Under the two-person rule an approval counts once per key holder and the plan
    runs at the second (the first leaves it `pending`, audited `approval_first_of_two`);
    one reject ends it. `channel` (console, api, cli, slack, email) is audited with it.
    """
    with sessions.begin() as session:
        # write the row first: it is locked until the end, so decisions on it take turns
        session.execute(update(Approval).where(Approval.id == approval_id)
                        .values(required=Approval.required))
        found = session.get(Approval, approval_id, populate_existing=True)
        if found is None:
            raise NotFound(f"no approval {approval_id}")
        if found.status != "pending":
            return Decision(claimed=False, status=found.status, incident_id=found.incident_id)
        approvers = list(found.approved_by or [])
        if found.expires_at <= now:
            status = "expired"
        elif status == "approved":
            if by in approvers:
                raise PolicyError(f"{by} approved already: approval {approval_id} needs "
                                  f"{found.required} different approvers")
            approvers.append(by)
            if len(approvers) < found.required:
                status = "pending"  # one of two: the plan waits for a second approver
        found.status, found.approved_by = status, approvers
        if status != "pending":
            found.decided_by, found.decided_role, found.decided_at = by, role, now
            found.comment = comment[:2000]
        audit.record(session, event=f"approval_{status}" if status != "pending"
                     else "approval_first_of_two", actor=by, incident_id=found.incident_id,
                     approval_id=approval_id, role=role, comment=comment[:2000],
                     digest=found.digest, approvers=f"{len(approvers)} of {found.required}",
                     **({"channel": channel} if channel else {}))
        if status == "approved":  # not waiting on anyone now: its plan runs next
            session.execute(update(Incident).where(Incident.id == found.incident_id,
                                                   Incident.state == "awaiting_approval")
                            .values(state="remediating"))
        if status != "pending":
            work.wake(session, found.incident_id)
        asked = tuple(found.asked or ())
    return Decision(claimed=True, status=status, incident_id=found.incident_id, asked=asked)


def acknowledge_approval(sessions: sessionmaker, approval_id: int, *, by: str, role: str,
                         now: datetime, channel: str | None = None) -> Decision:
    """Mark a pending approval as being looked at (escalation stops), audited; decide nothing.

    The first acknowledgement counts (`claimed`); one after it changes nothing. An approval
    no longer pending is refused: there is nothing left to look at.
    """
    with sessions.begin() as session:
        found = session.get(Approval, approval_id)
        if found is None:
            raise NotFound(f"no approval {approval_id}")
        if found.status != "pending":
            raise PolicyError(f"approval {approval_id} is already {found.status}; "
                              "nothing to acknowledge")
        claimed = bool(session.execute(
            update(Approval).where(Approval.id == approval_id, Approval.status == "pending",
                                   Approval.acknowledged_at.is_(None))
            .values(acknowledged_by=by, acknowledged_at=now)).rowcount)
        if claimed:
            audit.record(session, event="approval_acknowledged", actor=by,
                         incident_id=found.incident_id, approval_id=approval_id, role=role,
                         **({"channel": channel} if channel else {}))
        return Decision(claimed=claimed, status=found.status, incident_id=found.incident_id)
