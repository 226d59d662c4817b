"""Notifications: routing, the outbox with retries, Slack and the signed webhook over respx."""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
from sqlalchemy import func, select

from core.channels import configured, describe
from core.db import connect
from core.errors import ConfigError
from core.notify import Notifier
from core.outbox import Outbox, deliveries
from core.tables import Notification, OutboxItem
from tests.conftest import make_settings

SLACK = "https://hooks.slack.com/services/T000/B000/sekrit-token"
HOOK = "https://receiver.example/medic"
HOOK_SECRET = "h" * 32
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def channel_settings(tmp_path, **overrides):
    fields = {"public_url": "https://medic.example/", "slack_webhook_url": SLACK,
              "notify_webhook_url": HOOK, "notify_webhook_secret": HOOK_SECRET}
    return make_settings(tmp_path / "medic", **{**fields, **overrides})


@pytest.fixture
def wired(tmp_path):
    settings = channel_settings(tmp_path)
    sessions = connect(settings.database_url)
    return (Notifier.from_settings(sessions, settings, clock=lambda: NOW),
            Outbox.from_settings(sessions, settings), sessions)


def approval(notifier):
    return notifier.send("Approve rollback of heart-disease", "F1 fell to 0.55",
                         incident_id=7, kind="approval", severity="high",
                         diagnosis=["F1 0.55 < 0.75 on live traffic"],
                         actions=["rollback to version 1"],
                         expires_at=NOW + timedelta(hours=1))


def test_approvals_reach_every_channel_and_low_outcomes_none(wired):
    notifier, _, sessions = wired
    assert approval(notifier) == ["slack", "webhook"]
    assert notifier.send("Medic incident 8: closed", "logged only", incident_id=8,
                         severity="low") == []
    assert notifier.send("Medic incident 9: resolved", "fixed", incident_id=9,
                         severity="medium") == ["slack", "webhook"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Notification)) == 3
        assert session.scalars(select(OutboxItem.channel).order_by(OutboxItem.id)).all() == [
            "slack", "webhook", "slack", "webhook"]


def test_without_channels_messages_are_stored_only_and_the_tool_says_so(settings):
    from tools import ToolContext
    from tools.ml_tools import Notify

    sessions = connect(settings.database_url)
    notifier = Notifier.from_settings(sessions, settings)
    tools = ToolContext.build(settings, sessions=sessions, registry=None, notifier=notifier)
    result = Notify()(tools, {"subject": "look at this", "body": "odd alert"})
    assert (result.status, result.data["channels"]) == ("stored_only", [])
    with sessions() as session:
        assert session.scalars(select(Notification.subject)).all() == ["look at this"]
    assert describe(settings).startswith("no notification channel configured")


def test_describe_names_the_configured_channels(tmp_path):
    assert describe(channel_settings(tmp_path)) == "notification channels: slack, webhook"


def test_half_configured_email_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="MEDIC_EMAIL_FROM and MEDIC_EMAIL_TO"):
        configured(make_settings(tmp_path, smtp_host="127.0.0.1"))


@respx.mock
def test_slack_gets_block_kit_with_severity_diagnosis_actions_expiry_and_link(wired):
    notifier, outbox, _ = wired
    slack = respx.post(SLACK).respond(200, text="ok")
    respx.post(HOOK).respond(204)
    approval(notifier)
    attempts = outbox.deliver_due(NOW)
    assert [(a.channel, a.status) for a in attempts] == [("slack", "sent"), ("webhook", "sent")]
    payload = json.loads(slack.calls.last.request.content)
    text = json.dumps(payload["blocks"])
    assert payload["blocks"][0]["text"]["text"] == "Approve rollback of heart-disease"
    for shown in ("*Severity*\\nhigh", "*Incident*\\n7", "2026-11-26 13:00 UTC",
                  "F1 0.55 &lt; 0.75 on live traffic", "rollback to version 1"):
        assert shown in text
    [button] = payload["blocks"][-1]["elements"]
    assert button["url"] == "https://medic.example/ui/?incident=7"  # the console page
    assert outbox.deliver_due(NOW + timedelta(days=1)) == []


@respx.mock
def test_webhook_is_signed_with_the_shared_secret(wired):
    notifier, outbox, _ = wired
    respx.post(SLACK).respond(200)
    hook = respx.post(HOOK).respond(200)
    approval(notifier)
    outbox.deliver_due(NOW)
    request = hook.calls.last.request
    stamp = request.headers["X-Medic-Timestamp"]
    expected = hmac.new(HOOK_SECRET.encode(), stamp.encode() + b"." + request.content,
                        hashlib.sha256).hexdigest()
    assert request.headers["X-Medic-Signature"] == "sha256=" + expected
    body = json.loads(request.content)
    assert (body["kind"], body["severity"], body["incident_id"]) == ("approval", "high", 7)
    assert body["actions"] == ["rollback to version 1"]


@respx.mock
def test_a_channel_that_is_down_delivers_when_it_is_back(wired):
    notifier, outbox, sessions = wired
    respx.post(SLACK).mock(side_effect=[httpx.ConnectError("refused"),
                                        httpx.Response(503), httpx.Response(200)])
    respx.post(HOOK).respond(200)
    approval(notifier)
    first = {a.channel: a for a in outbox.deliver_due(NOW)}
    assert (first["slack"].status, first["webhook"].status) == ("pending", "sent")
    assert outbox.deliver_due(NOW + timedelta(seconds=29)) == []  # not due before 30 s
    [second] = outbox.deliver_due(NOW + timedelta(seconds=30))
    assert (second.status, second.error) == ("pending", "slack answered 503: ")
    assert outbox.deliver_due(NOW + timedelta(seconds=30 + 59)) == []  # backoff doubled
    [third] = outbox.deliver_due(NOW + timedelta(seconds=90))
    assert (third.status, third.attempts) == ("sent", 3)
    rows = {r["channel"]: r for r in deliveries(sessions)}
    assert (rows["slack"]["status"], rows["slack"]["attempts"]) == ("sent", 3)
    assert rows["slack"]["subject"] == "Approve rollback of heart-disease"


@respx.mock
def test_gives_up_after_the_last_attempt_without_leaking_the_secret_url(tmp_path):
    settings = channel_settings(tmp_path, notify_max_attempts=3, notify_webhook_url="")
    sessions = connect(settings.database_url)
    notifier = Notifier.from_settings(sessions, settings, clock=lambda: NOW)
    outbox = Outbox.from_settings(sessions, settings)
    route = respx.post(SLACK).mock(side_effect=httpx.ConnectError(f"cannot reach {SLACK}"))
    approval(notifier)
    at = NOW
    for _ in range(3):
        [attempt] = outbox.deliver_due(at)
        at += timedelta(hours=2)
    assert (attempt.status, attempt.attempts, route.call_count) == ("failed", 3, 3)
    assert outbox.deliver_due(at) == []
    [row] = deliveries(sessions, status="failed")
    assert row["last_error"] == "slack unreachable (ConnectError)"
    assert "sekrit" not in json.dumps(row, default=str)


@respx.mock
def test_two_workers_never_deliver_the_same_item_twice(wired, tmp_path):
    notifier, outbox, sessions = wired
    slack = respx.post(SLACK).respond(200)
    respx.post(HOOK).respond(200)
    approval(notifier)
    other = Outbox.from_settings(sessions, channel_settings(tmp_path))
    with sessions() as session:
        due = session.scalars(select(OutboxItem)).all()
    assert all(outbox._claim(item, NOW) for item in due)
    assert not any(other._claim(item, NOW) for item in due)  # the same snapshot, lost the race
    assert other.deliver_due(NOW) == [] and slack.call_count == 0


def test_the_api_says_at_start_when_no_channel_is_configured(settings, caplog):
    from api.root import start

    with caplog.at_level("WARNING", logger="api.root"):
        start(settings).close()
    assert "no notification channel configured: messages are stored only" in caplog.text


@respx.mock
def test_medic_notifications_list_shows_status_attempts_and_errors(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "medic"))
    monkeypatch.setenv("MEDIC_SLACK_WEBHOOK_URL", SLACK)
    settings = make_settings(tmp_path / "medic", slack_webhook_url=SLACK)
    sessions = connect(settings.database_url)
    Notifier.from_settings(sessions, settings, clock=lambda: NOW).send(
        "Medic approval 2 expired", "nobody decided", incident_id=2, kind="expiry")
    respx.post(SLACK).respond(500)
    Outbox.from_settings(sessions, settings).deliver_due(NOW)
    shown = CliRunner().invoke(app, ["notifications", "list", "--json"])
    assert shown.exit_code == 0, shown.output
    [row] = json.loads(shown.output)
    assert (row["channel"], row["status"], row["attempts"], row["incident_id"]) == (
        "slack", "pending", 1, 2)
    assert row["last_error"] == "slack answered 500: " and "sekrit" not in shown.output
    table = CliRunner().invoke(app, ["notifications", "list"])
    assert "notification channels: slack" in table.output and "pending" in table.output


@pytest.mark.postgres
@respx.mock
def test_two_workers_on_postgresql_send_each_message_exactly_once(postgres_url, tmp_path):
    import threading

    settings = channel_settings(tmp_path, database_url=postgres_url, notify_webhook_url="")
    sessions = connect(settings.database_url)
    notifier = Notifier.from_settings(sessions, settings, clock=lambda: NOW)
    for n in range(1, 21):
        notifier.send(f"Approve plan {n}", "", incident_id=n, kind="approval")
    slack = respx.post(SLACK).respond(200)
    workers = [Outbox.from_settings(connect(settings.database_url), settings)
               for _ in range(2)]
    start, results = threading.Barrier(2), []

    def tick(outbox):
        start.wait()
        results.extend(outbox.deliver_due(NOW))

    threads = [threading.Thread(target=tick, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.item_id for a in results) == [r["id"] for r in reversed(deliveries(sessions))]
    assert slack.call_count == 20
    assert {r["status"] for r in deliveries(sessions)} == {"sent"}


def test_production_refuses_a_webhook_channel_without_a_real_secret(tmp_path):
    with pytest.raises(ConfigError, match="MEDIC_NOTIFY_WEBHOOK_SECRET of at least 16"):
        make_settings(tmp_path, profile="production", webhook_secret="w" * 32,
                      alertmanager_token="t" * 32, database_url="postgresql://db/medic",
                      notify_webhook_url=HOOK, notify_webhook_secret="change-me")
    with pytest.raises(ConfigError, match="needs MEDIC_NOTIFY_WEBHOOK_SECRET"):
        configured(make_settings(tmp_path, notify_webhook_url=HOOK))
