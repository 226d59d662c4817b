"""Deciding from Slack: approval buttons posted by the bot, clicks signed as Slack signs
them, decided as the linked key holder through the same service as the console."""

import json
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.security import sign_slack
from core.clock import utcnow
from core.errors import Conflict
from core.roles import Principal
from core.tables import Approval, AuditEntry
from tests.api.conftest import api_settings, role_keys
from tests.api.test_alerts_approvals import F1_DROP, signed
from tests.receivers import slack_api

INTAKE_CHILD = True  # the `api` fixture stores alerts in the intake child, as `medic up` does

SIGNING = "slack-signing-5e1f0c9a7b3d2e8f4a6c"
BOT = "xoxb-test-7c2e9a4f1b8d3e6a0c5f"
CHANNEL = "C0MEDIC01"
ADMIN = Principal("admin-user", "admin")


@pytest.fixture
def slack(trained):
    """The API with the Slack app configured, Slack's Web API a local stand-in."""
    from api.app import create_app
    from services import keys

    with slack_api() as (url, calls):
        settings = api_settings(trained[0].home, slack_bot_token=BOT, slack_channel=CHANNEL,
                                slack_signing_secret=SIGNING, slack_api_url=url)
        made = role_keys(settings)
        app = create_app(settings)
        with TestClient(app) as client:
            client.keys, client.calls = made, calls
            client.root = app.state.root
            client.as_role = lambda role: {"X-API-Key": made[role]}
            medic = app.state.root.medic
            keys.link_slack(medic, name="approver-user", slack_user="U0ALICE", principal=ADMIN)
            keys.link_slack(medic, name="viewer-user", slack_user="U0VIEWER", principal=ADMIN)
            yield client


def posted_approval(slack) -> dict:
    """Raise an incident that needs approval; return the message the bot posted for it."""
    from core.outbox import Outbox

    signed(slack, F1_DROP)
    assert slack.root.worker.idle()
    medic = slack.root.medic
    Outbox.from_settings(medic.sessions, medic.settings).deliver_due(
        utcnow() + timedelta(seconds=1))
    [message] = [c for c in slack.calls if c["method"] == "chat.postMessage"]
    return message


def buttons(message: dict) -> dict[str, dict]:
    return {e["action_id"]: e for block in message["body"]["blocks"]
            if block["type"] == "actions" for e in block["elements"] if "action_id" in e}


def click(slack, message: dict, action_id: str, *, user: str = "U0ALICE", value=None,
          timestamp=None, secret: str = SIGNING):
    """Send what Slack sends when `user` clicks the button; return Medic's answer."""
    button = buttons(message)[action_id]
    payload = {"type": "block_actions", "user": {"id": user, "name": user.lower()},
               "channel": {"id": CHANNEL}, "container": {"message_ts": "1700000000.000001"},
               "message": {"blocks": message["body"]["blocks"]},
               "actions": [{"action_id": action_id, "value": value or button["value"],
                            "type": "button"}]}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    headers = {**sign_slack(secret, body, timestamp),
               "content-type": "application/x-www-form-urlencoded"}
    return slack.post("/v1/integrations/slack/interactions", content=body, headers=headers), \
        (body, headers)


def updates(slack) -> list[str]:
    """The context lines Medic put on the clicked message, in order."""
    return [c["body"]["blocks"][-1]["elements"][0]["text"] for c in slack.calls
            if c["method"] == "chat.update"]


def approval(slack) -> Approval:
    with slack.root.medic.sessions() as session:
        return session.scalars(select(Approval)).one()


def test_a_click_decides_as_the_linked_holder_and_the_message_says_so(slack):
    message = posted_approval(slack)
    assert message["authorization"] == f"Bearer {BOT}"
    assert message["body"]["channel"] == CHANNEL
    found = buttons(message)
    pending = approval(slack)
    assert found["medic_approve"]["value"] == f"{pending.id}:{pending.digest}"
    assert found["medic_reject"]["value"] == found["medic_approve"]["value"]
    assert "confirm" in found["medic_approve"]  # Slack asks "Approve this plan?" first

    answered, (body, headers) = click(slack, message, "medic_approve")
    assert answered.status_code == 200
    decided = approval(slack)
    assert (decided.status, decided.decided_by, decided.decided_role) == \
        ("approved", "approver-user", "approver")
    with slack.root.medic.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.event == "approval_approved")).one()
    assert entry.actor == "approver-user" and entry.data["channel"] == "slack"
    [update] = [c for c in slack.calls if c["method"] == "chat.update"]
    assert update["body"]["ts"] == "1700000000.000001"
    assert updates(slack)[-1].startswith(":white_check_mark: Approved by approver-user "
                                         "(approver)")
    assert "medic_approve" not in json.dumps(update["body"]["blocks"])  # buttons gone
    assert slack.root.worker.idle()
    incident = slack.get(f"/v1/incidents/{decided.incident_id}",
                         headers=slack.as_role("viewer")).json()
    assert incident["state"] == "verifying"  # the approved plan ran

    replayed = slack.post("/v1/integrations/slack/interactions", content=body, headers=headers)
    assert replayed.status_code == 401 and "already used" in replayed.json()["detail"]


def test_clicks_that_may_not_decide_decide_nothing_and_say_why(slack):
    message = posted_approval(slack)
    for user, why in (("U0NOBODY", "not linked to a Medic key holder"),
                      ("U0VIEWER", "needs the approver or admin role")):
        answered, _ = click(slack, message, "medic_approve", user=user)
        assert answered.status_code == 200
        assert why in updates(slack)[-1]
    pending = approval(slack)
    answered, _ = click(slack, message, "medic_approve", value=f"{pending.id}:{'0' * 64}")
    assert "the plan changed since this message" in updates(slack)[-1]
    assert approval(slack).status == "pending"
    last = [c for c in slack.calls if c["method"] == "chat.update"][-1]
    assert "medic_approve" in json.dumps(last["body"]["blocks"])  # others may still decide

    click(slack, message, "medic_reject")
    assert approval(slack).status == "rejected"
    click(slack, message, "medic_approve")  # the first decision wins
    assert approval(slack).status == "rejected"
    assert "already rejected" in updates(slack)[-1]


def test_unsigned_stale_and_malformed_requests_are_refused(slack):
    message = posted_approval(slack)
    wrong, _ = click(slack, message, "medic_approve", secret="another-secret-0123456789")
    stale, _ = click(slack, message, "medic_approve", timestamp=int(time.time()) - 600)
    assert wrong.status_code == stale.status_code == 401
    assert "outside the 5-minute window" in stale.json()["detail"]
    bare = slack.post("/v1/integrations/slack/interactions", content=b"payload=%7B%7D",
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert bare.status_code == 401
    body = b"payload=not-json"
    garbled = slack.post("/v1/integrations/slack/interactions", content=body, headers={
        **sign_slack(SIGNING, body), "content-type": "application/x-www-form-urlencoded"})
    assert garbled.status_code == 422
    assert approval(slack).status == "pending" and updates(slack) == []
    for _ in range(10):  # failures per address are limited like the webhooks'
        click(slack, message, "medic_approve", secret="another-secret-0123456789")
    limited, _ = click(slack, message, "medic_approve")
    assert limited.status_code == 429
    assert approval(slack).status == "pending"


def test_a_slack_user_is_one_key_holder(slack):
    from services import keys

    medic = slack.root.medic
    with pytest.raises(Conflict, match="already linked to 'approver-user'"):
        keys.link_slack(medic, name="admin-user", slack_user="U0ALICE", principal=ADMIN)
    listed = {k.name: k.slack_user for k in keys.listing(medic, principal=ADMIN)}
    assert listed["approver-user"] == "U0ALICE" and listed["admin-user"] is None


def test_without_the_signing_secret_there_is_no_endpoint(api):
    answered = api.post("/v1/integrations/slack/interactions", content=b"payload=x",
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert answered.status_code == 404
