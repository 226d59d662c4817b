"""Decide approvals from Slack: a click on a message's Approve or Reject button.

Slack posts the click to `/v1/integrations/slack/interactions`, signed with the app's
signing secret (checked, and spent once, before anything here runs). The Slack user must
be linked to a key holder (`medic keys link-slack`) whose key still has a deciding role;
the button carries the approval's id and the digest of the plan it showed, and decides
only while that digest is still the approval's. The decision goes through the same
service as the console's (first decision wins, audited, the agent woken), with the
channel recorded. The message is then updated to say who decided, or why the click was
refused; the buttons stay while nobody has decided.
"""

import logging
from dataclasses import dataclass
from urllib.parse import parse_qs

from pydantic import BaseModel, ValidationError

from core import jsonbody, keys
from core.channels.slack import ACK, APPROVE, REJECT, SlackApi, escape
from core.errors import DeliveryError, InvalidInput, MedicError, NotFound
from services import approvals
from services.context import Medic

log = logging.getLogger(__name__)
ACTIONS = {APPROVE: "approve", REJECT: "reject", ACK: "ack"}


class Click(BaseModel):
    """One click on an approval button, as Slack reported it."""

    approval_id: int
    digest: str
    action: str
    """approve, reject, or ack ("I'm looking": stops the escalation, decides nothing)."""
    slack_user: str
    channel: str
    message_ts: str
    blocks: list[dict]


@dataclass(frozen=True)
class Answer:
    """What the click did: decided (by whom), or refused (why)."""

    decided: bool
    text: str
    mark: str = ""


def parse(body: bytes) -> Click:
    """Read Slack's form body (`payload=<json>`) into a click; InvalidInput if it is none."""
    try:
        [payload] = parse_qs(body.decode(), strict_parsing=True)["payload"]
        sent = jsonbody.loads(payload)  # depth, NaN and NUL refused as in every body
        [action] = [a for a in sent["actions"] if a.get("action_id") in ACTIONS]
        approval_id, digest = action["value"].split(":", 1)
        return Click(approval_id=int(approval_id), digest=digest,
                     action=ACTIONS[action["action_id"]], slack_user=sent["user"]["id"],
                     channel=sent["channel"]["id"], message_ts=sent["container"]["message_ts"],
                     blocks=sent.get("message", {}).get("blocks", []))
    except InvalidInput:
        raise
    except (UnicodeDecodeError, KeyError, TypeError, ValueError, ValidationError) as error:
        raise InvalidInput("payload: not a click on a Medic approval button "
                           f"({type(error).__name__})") from None


def decide(medic: Medic, click: Click) -> Answer:
    """Decide as the key holder linked to the Slack user, or say why not."""
    with medic.sessions() as session:
        holder = keys.holder(session, slack_user=click.slack_user)
    if holder is None:
        return Answer(False, f"<@{click.slack_user}> could not decide: this Slack user is not "
                             "linked to a Medic key holder (an admin runs `medic keys "
                             "link-slack NAME SLACK_USER_ID`)")
    who = f"{holder.name} ({holder.role})"
    if not holder.may("decide"):
        return Answer(False, f"{escape(who)} could not decide: deciding needs the approver "
                             "or admin role")
    try:
        current = approvals.view(medic, click.approval_id)
        if current.digest != click.digest:
            return Answer(False, f"{escape(who)} could not decide: the plan changed since this "
                                 "message was sent; open the console")
        if click.action == "ack":
            seen = approvals.acknowledge(medic, click.approval_id, principal=holder,
                                         channel="slack")
            return Answer(False, f"{escape(str(seen.acknowledged_by))} is looking: the "
                                 "reminders stopped; nothing is decided yet", ":eyes:")
        decided = approvals.decide(medic, click.approval_id, principal=holder,
                                   approve=click.action == "approve",
                                   comment="decided in Slack", channel="slack")
    except NotFound:
        return Answer(False, f"approval {click.approval_id} does not exist")
    except MedicError as refused:  # already decided, expired, superseded
        return Answer(False, f"{escape(who)} could not decide: {escape(str(refused))}")
    if decided.status == "pending":  # the first of two approvers
        return Answer(False, f"Approved by {escape(who)}: {len(decided.approved_by)} of "
                             f"{decided.required} approvals; one more approver is needed",
                      ":ballot_box_with_check:")
    verb = "Approved" if decided.status == "approved" else "Rejected"
    when = (decided.decided_at or "")[:16].replace("T", " ")
    by = escape(who if decided.decided_by == holder.name else str(decided.decided_by))
    return Answer(True, f"{verb} by {by} at {when} UTC")  # by whoever decided first


def update_message(medic: Medic, click: Click, answer: Answer) -> None:
    """Show the answer on the clicked message; drop its buttons once decided."""
    settings = medic.settings
    api = SlackApi(settings.slack_bot_token, url=settings.slack_api_url,
                   timeout=settings.notify_timeout)
    blocks = [block for block in click.blocks if not (answer.decided and _decision(block))]
    mark = answer.mark or (":white_check_mark:" if answer.decided else ":warning:")
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"{mark} {answer.text}"}]})
    try:
        api.call("chat.update", {"channel": click.channel, "ts": click.message_ts,
                                 "text": answer.text, "blocks": blocks[-50:]})
    except DeliveryError as error:
        log.warning("could not update the Slack message of approval %s: %s",
                    click.approval_id, error)


def _decision(block: dict) -> bool:
    """Say whether a block holds the approval buttons."""
    return block.get("type") == "actions" and any(
        e.get("action_id") in ACTIONS for e in block.get("elements", []))
