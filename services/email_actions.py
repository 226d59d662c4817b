"""Decide approvals from email: the one-time Approve and Reject links of an approval email.

Opening a link (GET) decides nothing — mail scanners follow links — it shows what would
be decided: the plan, its digest, the evidence, and who the reader is. The page's button
(POST) decides, once: the link's signature is spent in the same check. The link's
recipient must be linked to a key holder (`medic keys link-email`) whose key may decide;
the decision goes through the same service as the console's, audited as theirs with the
channel `email`.
"""

from dataclasses import dataclass

from core import keys
from core.approval_links import Link, LinkSigner
from core.errors import Conflict, Forbidden
from core.ingest import spend_once
from core.roles import Principal
from core.views import ApprovalView
from services import approvals
from services.context import Medic
from services.views import Decided


@dataclass(frozen=True)
class Opened:
    """A valid link, the approval it decides and the holder who would decide it."""

    link: Link
    approval: ApprovalView
    holder: Principal


def open_link(medic: Medic, token: str) -> Opened:
    """Check the link and its reader; raise a MedicError saying why it cannot decide."""
    link = LinkSigner(medic.settings.webhook_secret.get_secret_value()).read(
        token, now=medic.clock())
    with medic.sessions() as session:
        holder = keys.holder(session, email=link.recipient)
    if holder is None:
        raise Forbidden(f"{link.recipient} is not linked to a Medic key holder (an admin runs "
                        "`medic keys link-email NAME ADDRESS`): nothing was decided")
    if not holder.may("decide"):
        raise Forbidden(f"{holder.name} has role {holder.role!r}; deciding needs approver or "
                        "admin: nothing was decided")
    approval = approvals.view(medic, link.approval_id)
    if approval.digest != link.digest:
        raise Conflict("the plan changed since this email was sent: nothing was decided; "
                       "open the console to see the current plan")
    if approval.status != "pending":
        by = f" by {approval.decided_by}" if approval.decided_by else ""
        raise Conflict(f"approval {approval.id} is already {approval.status}{by}: nothing "
                       "was decided")
    return Opened(link, approval, holder)


def use_link(medic: Medic, token: str) -> Decided:
    """Decide (or acknowledge) as the link says, once, as its reader's key holder."""
    opened = open_link(medic, token)
    spend_once(medic.sessions, opened.link.signature, medic.clock(),  # a link decides once
               valid_until=opened.link.expires_at)
    if opened.link.decision == "ack":
        return approvals.acknowledge(medic, opened.approval.id, principal=opened.holder,
                                     channel="email")
    return approvals.decide(medic, opened.approval.id, principal=opened.holder,
                            approve=opened.link.decision == "approve",
                            comment="decided from an email link", channel="email")
