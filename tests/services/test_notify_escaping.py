"""An alert's name reaches Slack and email as text: no mention, no disguised link, no tag."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from core.alerts import Alert
from core.outbox import Outbox
from tests.conftest import Driver, make_settings
from tests.core.test_notify_email import Inbox, smtp_server
from tests.processes import free_port

HOSTILE = "<!channel> <http://evil|Approve here> & more"


class SlackStandIn(BaseHTTPRequestHandler):
    """Keep each posted body, answer like Slack's incoming webhook."""

    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 (the stdlib's name)
        self.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args):
        pass


def test_an_alert_name_with_slack_markup_arrives_escaped(trained, clock):
    from agent_graph.runtime.runner import open_agent

    slack = ThreadingHTTPServer(("127.0.0.1", 0), SlackStandIn)
    SlackStandIn.received = []
    threading.Thread(target=slack.serve_forever, daemon=True).start()
    port, inbox = free_port(), Inbox()
    settings = make_settings(
        trained[0].home, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False,
        email_from="medic@example.org", email_to="oncall@example.org",
        slack_webhook_url=f"http://127.0.0.1:{slack.server_address[1]}/services/T/B/x")
    mail = smtp_server(inbox, port)
    try:
        with open_agent(settings, clock=clock) as running:
            agent = Driver(running, settings)
            data = settings.evidence_dir / "processed.va.data"
            agent.submit(Alert(name=HOSTILE, type="drift",
                               evidence={"data_path": str(data)}))
            [pending] = agent.pending()
            assert pending["actions"][0]["tool"] == "retrain"
            outbox = Outbox.from_settings(agent.sessions, settings)
            sent = outbox.deliver_due(clock() + timedelta(seconds=1))
    finally:
        mail.stop()
        slack.shutdown()
    assert {a.channel for a in sent if a.status == "sent"} == {"slack", "email"}

    [posted] = SlackStandIn.received
    payload = json.loads(posted)
    text = json.dumps(payload)
    assert "&lt;!channel&gt; &lt;http://evil|Approve here&gt; &amp; more" in text
    assert "<!channel>" not in text and "<http" not in text and "& more" not in text

    [(_to, message)] = inbox.mails
    parts = [p.get_content_type() for p in message.walk() if not p.is_multipart()]
    assert parts == ["text/plain", "text/html"]
    assert HOSTILE in message.get_body(("plain",)).get_content()  # plain text shows it as is
    html = message.get_body(("html",)).get_content()  # the HTML part shows it as text too
    assert "&lt;!channel&gt; &lt;http://evil|Approve here&gt; &amp; more" in html
    assert "<!channel>" not in html and "<http" not in html
