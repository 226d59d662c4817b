"""The few HTML pages the API itself serves: an approval email's confirmation and answers.

Every value is escaped; the pages load nothing from elsewhere and hold no script.
"""

from html import escape

from agent_graph.phrasing import action
from services.email_actions import Opened
from services.views import Decided

STYLE = ("body{font-family:sans-serif;max-width:46em;margin:2em auto;padding:0 1em;"
         "line-height:1.4}code{word-break:break-all}button{font-size:1.05em;"
         "padding:.5em 1.4em;cursor:pointer}.refused{color:#a00}")


def confirm(opened: Opened, token: str) -> str:
    """Return the page that asks the reader to confirm the link's decision."""
    approval, decision = opened.approval, opened.link.decision
    verb = {"approve": "Approve", "reject": "Reject", "ack": "Say you are looking at"}[decision]
    button = {"approve": "Approve this plan", "reject": "Reject this plan",
              "ack": "I'm looking (stop the reminders)"}[decision]
    actions = "".join(f"<li>{escape(action(step))}</li>" for step in approval.actions)
    evidence = "".join(f"<li>{escape(str(line))}</li>"
                       for line in approval.context.get("diagnosis", []))
    return _page(f"{verb} approval {approval.id}?", f"""
<p>You are <b>{escape(opened.holder.name)}</b> ({escape(opened.holder.role)}). Incident
{approval.incident_id} waits for a decision on this plan, made for champion
v{escape(str(approval.context.get("champion")))}:</p>
<ul>{actions}</ul>
<p>Evidence:</p><ul>{evidence or "<li>none recorded</li>"}</ul>
{_two(approval)}<p>Plan digest: <code>{escape(approval.digest)}</code><br>
Expires: {escape((approval.expires_at or "")[:16].replace("T", " "))} UTC</p>
<form method="post" action="{escape(token)}">
<button type="submit">{button}</button></form>
<p><small>Nothing is decided until you press the button. The link works once.</small></p>""")


def decided(answer: Decided) -> str:
    """Return the page that says what was decided, by whom (or who is looking)."""
    if answer.status == "pending" and answer.approved_by:
        return _page(f"Approval {answer.id}: {len(answer.approved_by)} of {answer.required}",
                     f"""
<p>Approved by {escape(", ".join(answer.approved_by))}: {len(answer.approved_by)} of
{answer.required} approvals. The plan runs when another approver approves it too.</p>""")
    if answer.status == "pending":
        return _page(f"You are looking at approval {answer.id}", f"""
<p>{escape(str(answer.acknowledged_by))} is looking: the reminders stopped. Nothing is decided
yet; approve or reject from the email's other links, Slack or the console.</p>""")
    return _page(f"Approval {answer.id} {answer.status}", f"""
<p>Approval {answer.id} is <b>{escape(answer.status)}</b> by {escape(str(answer.decided_by))};
incident {answer.incident_id} is now {escape(answer.incident_state)}. Medic acts on it and
tells you how it ends.</p>""")


def refused(reason: str) -> str:
    """Return the page that says why the link decided nothing."""
    return _page("Nothing was decided", f'<p class="refused">{escape(reason)}</p>')


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
            f"name=\"viewport\" content=\"width=device-width\"><title>{escape(title)} — "
            f"Medic</title><style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}"
            "</body></html>")


def _two(approval) -> str:
    """Say how far a two-person approval is."""
    if approval.required < 2:
        return ""
    by = f" (approved by {escape(', '.join(approval.approved_by))})" if approval.approved_by \
        else ""
    return (f"<p>This plan needs {approval.required} different approvers: "
            f"{len(approval.approved_by)} of {approval.required} so far{by}.</p>")
