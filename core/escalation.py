"""Escalate approvals nobody answers: ask again, then the next person, then everyone.

A periodic job of the worker (`agent_graph/runtime/jobs.py`). For each pending approval nobody
acknowledged, the levels of `configs/oncall.yaml` that fell due since the last run are
sent as one message, naming the people asked: on Slack they are mentioned, by email it goes
to their linked addresses (with their own decision links). Moving an approval's level is
compare-and-set, so several workers send each level once. With no rotation configured the
levels still re-send the request to the usual channels: an approval never waits silently.
"""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from core import audit
from core.oncall import OnCall
from core.tables import ApiKey, Approval


def escalate(sessions: sessionmaker, notifier, oncall: OnCall, now: datetime) -> list[int]:
    """Send the levels that fell due; return the ids of the approvals escalated."""
    with sessions() as session:
        waiting = list(session.scalars(select(Approval).where(
            Approval.status == "pending", Approval.acknowledged_at.is_(None),
            Approval.expires_at > now)))
    escalated = []
    for approval in waiting:
        due = oncall.due(requested_at=approval.requested_at, expires_at=approval.expires_at,
                         now=now, reached=approval.escalation_level)
        if not due:
            continue
        level = due[-1][0]
        whom = list(dict.fromkeys(name for _level, names in due for name in names))
        asked = list(dict.fromkeys([*(approval.asked or []), *whom]))
        # a level naming nobody, due as the request is made, is the request itself: no repeat
        quiet = not whom and now - approval.requested_at < timedelta(minutes=1)
        with sessions.begin() as session:
            moved = session.execute(update(Approval).where(
                Approval.id == approval.id, Approval.status == "pending",
                Approval.acknowledged_at.is_(None),
                Approval.escalation_level == approval.escalation_level)
                .values(escalation_level=level, asked=asked)).rowcount
            if not moved or quiet:  # another worker sent it, someone answered, or no news
                continue
            audit.record(session, event="approval_escalated", actor="medic",
                         incident_id=approval.incident_id, approval_id=approval.id,
                         level=level, asked=whom)
            contacts = list(session.execute(select(ApiKey.name, ApiKey.slack_user, ApiKey.email)
                                            .where(ApiKey.name.in_(whom),
                                                   ApiKey.revoked.is_(False))))
        minutes = int((now - approval.requested_at).total_seconds() // 60)
        names = ", ".join(whom) or "everyone on the usual channels"
        notifier.send(
            f"Medic approval {approval.id} still waits after {minutes} min: asking {names}",
            f"Nobody has decided or acknowledged approval {approval.id} (incident "
            f"{approval.incident_id}) yet. Decide, or say \"I'm looking\" to stop these "
            f"reminders; unanswered, it fails closed at {approval.expires_at:%H:%M} UTC and "
            "nothing runs.", incident_id=approval.incident_id, kind="escalation",
            severity="high", expires_at=approval.expires_at, approval_id=approval.id,
            digest=approval.digest, mentions=[c.slack_user for c in contacts if c.slack_user],
            recipients=[c.email for c in contacts if c.email])
        escalated.append(approval.id)
    return escalated
