"""Real local stand-ins for notification channels: an SMTP server and HTTP receivers."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.core.test_notify_email import Inbox, smtp_server
from tests.processes import free_port

HOOK_SECRET = "s" * 32


class Receiver(BaseHTTPRequestHandler):
    """Keep each posted JSON body (Slack's incoming webhook or Medic's signed webhook)."""

    received: list[dict]

    def do_POST(self):  # noqa: N802 (the stdlib's name)
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args):
        pass


@contextmanager
def receiving() -> Iterator[tuple[ThreadingHTTPServer, list[dict]]]:
    """Serve a receiver on 127.0.0.1; yield it and the list its bodies land in."""
    kept: list[dict] = []
    handler = type("Kept", (Receiver,), {"received": kept})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server, kept
    finally:
        server.shutdown()


class Channels:
    """Slack, email and webhook, each a real local server; settings that point at them."""

    def __init__(self, slack: list[dict], hook: list[dict], inbox: Inbox, settings) -> None:
        self.slack, self.hook, self.inbox, self.settings = slack, hook, inbox, settings

    def deliver(self, sessions, now):
        """Deliver what the outbox holds now; return the deliveries."""
        from core.outbox import Outbox

        return Outbox.from_settings(sessions, self.settings).deliver_due(
            now + timedelta(seconds=1))

    def mails(self, containing: str) -> list:
        return [mail for _to, mail in self.inbox.mails if containing in mail["Subject"]]


@contextmanager
def all_channels(home, **overrides) -> Iterator[Channels]:
    """Configure all three channels on local servers, for the settings of `home`."""
    from tests.conftest import make_settings

    port, inbox = free_port(), Inbox()
    with receiving() as (slack, posted), receiving() as (hook, hooked):
        settings = make_settings(
            home, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False,
            email_from="medic@example.org", email_to="oncall@example.org",
            slack_webhook_url=f"http://127.0.0.1:{slack.server_address[1]}/services/T/B/x",
            notify_webhook_url=f"http://127.0.0.1:{hook.server_address[1]}/hook",
            notify_webhook_secret=HOOK_SECRET, **overrides)
        mail = smtp_server(inbox, port)
        try:
            yield Channels(posted, hooked, inbox, settings)
        finally:
            mail.stop()


class SlackApiStandIn(BaseHTTPRequestHandler):
    """Slack's Web API as Medic calls it: keep each call (method, token, JSON), answer ok."""

    calls: list[dict]

    def do_POST(self):  # noqa: N802 (the stdlib's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append({"method": self.path.rsplit("/", 1)[-1], "body": body,
                           "authorization": self.headers.get("Authorization")})
        answer = json.dumps({"ok": True, "channel": body.get("channel"),
                             "ts": body.get("ts") or f"1700000000.{len(self.calls):06d}"})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *_args):
        pass


@contextmanager
def slack_api() -> Iterator[tuple[str, list[dict]]]:
    """Serve a stand-in for slack.com/api on 127.0.0.1; yield its URL and the calls made."""
    calls: list[dict] = []
    handler = type("Calls", (SlackApiStandIn,), {"calls": calls})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api", calls
    finally:
        server.shutdown()
