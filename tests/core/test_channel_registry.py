"""A channel is one declaration: a toy channel registered here gets real messages via the outbox."""

import json
from datetime import UTC, datetime

import pytest

from core.channels import CHANNELS, configured, describe
from core.channels.message import Message
from core.db import connect
from core.errors import ConfigError, DeliveryError
from core.notify import Notifier
from core.outbox import Outbox, deliveries
from tests.conftest import make_settings

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
ROUTES = "routes:\n  - kinds: [approval, outcome]\n    channels: [inbox_file]\n"


class InboxFile:
    """The toy channel: one JSON line per message in a file under MEDIC_HOME."""

    name = "inbox_file"
    settings = ("home",)

    @classmethod
    def from_settings(cls, settings, *, attach=None) -> "InboxFile":
        return cls(settings.home / "inbox.jsonl")

    def __init__(self, path) -> None:
        self.path = path

    def send(self, message: Message) -> None:
        if "refuse" in message.subject:
            raise DeliveryError("the inbox refuses this one")
        with self.path.open("a") as inbox:
            inbox.write(json.dumps({"subject": message.subject, "severity": message.severity,
                                    "incident": message.incident_id}) + "\n")


@pytest.fixture
def routed(tmp_path):
    routes = tmp_path / "routes.yaml"
    routes.write_text(ROUTES)
    return make_settings(tmp_path / "medic", notify_routes=routes)


def test_routes_naming_an_unregistered_channel_are_refused(routed):
    with pytest.raises(ConfigError, match="unknown channels: inbox_file"):
        Notifier.from_settings(connect(routed.database_url), routed)


def test_a_registered_toy_channel_receives_messages_through_the_outbox(routed, monkeypatch):
    monkeypatch.setitem(CHANNELS, InboxFile.name, InboxFile)  # its line in CHANNELS
    assert list(configured(routed)) == ["inbox_file"]
    assert describe(routed) == "notification channels: inbox_file"
    sessions = connect(routed.database_url)
    notifier = Notifier.from_settings(sessions, routed, clock=lambda: NOW)
    assert notifier.send("Approve rollback of heart-disease", "F1 fell", incident_id=4,
                         kind="approval", severity="high") == ["inbox_file"]
    notifier.send("please refuse me", "the channel says no", incident_id=5)
    inbox = routed.home / "inbox.jsonl"
    assert not inbox.exists()  # queued, not sent: the outbox delivers

    attempts = Outbox.from_settings(sessions, routed).deliver_due(NOW)
    assert [(a.channel, a.status) for a in attempts] == [("inbox_file", "sent"),
                                                         ("inbox_file", "pending")]
    assert [json.loads(line) for line in inbox.read_text().splitlines()] == [
        {"subject": "Approve rollback of heart-disease", "severity": "high", "incident": 4}]
    refused = next(d for d in deliveries(sessions) if d["subject"] == "please refuse me")
    assert refused["last_error"] == "the inbox refuses this one"


def test_without_its_registration_a_queued_message_waits_unsent(routed, monkeypatch):
    with monkeypatch.context() as registered:
        registered.setitem(CHANNELS, InboxFile.name, InboxFile)
        sessions = connect(routed.database_url)
        Notifier.from_settings(sessions, routed, clock=lambda: NOW).send(
            "Medic incident 6: resolved", "fixed", incident_id=6)
    [attempt] = Outbox(sessions, configured(routed)).deliver_due(NOW)
    assert (attempt.status, attempt.error) == ("pending", "channel inbox_file is not configured")
    assert not (routed.home / "inbox.jsonl").exists()


def test_every_channel_declares_real_settings_and_the_hint_names_their_switches(settings):
    from core.settings import Settings

    for channel in CHANNELS.values():
        assert set(channel.settings) <= set(Settings.model_fields), channel.name
        assert channel.from_settings(settings) is None  # off until its switch is set
    assert describe(settings).endswith("(set MEDIC_SLACK_WEBHOOK_URL, MEDIC_SMTP_HOST or "
                                       "MEDIC_NOTIFY_WEBHOOK_URL)")
