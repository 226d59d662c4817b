"""Email notifications through a real SMTP server (aiosmtpd) on 127.0.0.1."""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from core.db import connect
from core.notify import Notifier
from core.outbox import Outbox, deliveries
from tests.conftest import make_settings
from tests.processes import free_port

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Inbox:
    """An SMTP handler keeping what arrives, and who logged in."""

    def __init__(self) -> None:
        self.mails, self.logins = [], []

    async def handle_DATA(self, server, session, envelope):
        mail = message_from_bytes(envelope.original_content, policy=policy.default)
        self.mails.append((envelope.rcpt_tos, mail))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"mail-pass"
        self.logins.append((auth_data.login, ok))
        return AuthResult(success=ok)


def smtp_server(inbox: Inbox, port: int) -> Controller:
    server = Controller(inbox, hostname="127.0.0.1", port=port,
                        authenticator=inbox.authenticate, auth_require_tls=False)
    server.start()
    return server


@pytest.fixture
def mail(tmp_path):
    port = free_port()
    settings = make_settings(tmp_path / "medic", smtp_host="127.0.0.1", smtp_port=port,
                             smtp_starttls=False, smtp_user="medic", smtp_password="mail-pass",
                             email_from="medic@example.org",
                             email_to="oncall@example.org, lead@example.org",
                             public_url="https://medic.example")
    sessions = connect(settings.database_url)
    return (port, Notifier.from_settings(sessions, settings, clock=lambda: NOW),
            Outbox.from_settings(sessions, settings), sessions)


def test_an_escalation_arrives_with_subject_body_and_recipients(mail):
    port, notifier, outbox, _ = mail
    inbox = Inbox()
    server = smtp_server(inbox, port)
    try:
        assert notifier.send("Medic incident 4: escalated", "actions ran but did not help",
                             incident_id=4, kind="escalation", severity="high",
                             diagnosis=["drift share 0.62 on 9 of 13 columns"]) == ["email"]
        [attempt] = outbox.deliver_due(NOW)
    finally:
        server.stop()
    assert attempt.status == "sent"
    assert inbox.logins == [(b"medic", True)]
    [(recipients, message)] = inbox.mails
    assert recipients == ["oncall@example.org", "lead@example.org"]
    assert message["Subject"] == "[HIGH] Medic incident 4: escalated"
    assert message["To"] == "oncall@example.org, lead@example.org"
    assert message["From"] == "medic@example.org"
    body = message.get_body(("plain",)).get_content()
    assert "Severity: high" in body and "actions ran but did not help" in body
    assert "- drift share 0.62 on 9 of 13 columns" in body
    assert "Open: https://medic.example/ui/?incident=4" in body  # the console page
    html = message.get_body(("html",)).get_content()  # the same, laid out, beside the text
    assert "<li>drift share 0.62 on 9 of 13 columns</li>" in html
    assert '<a href="https://medic.example/ui/?incident=4">Open the incident</a>' in html


def test_mail_waits_in_the_outbox_while_the_server_is_down(mail):
    port, notifier, outbox, sessions = mail
    notifier.send("Medic approval 3 expired", "nobody decided in time", incident_id=3,
                  kind="expiry")
    [down] = outbox.deliver_due(NOW)
    assert (down.status, down.error) == ("pending", "smtp failed (ConnectionRefusedError)")
    inbox = Inbox()
    server = smtp_server(inbox, port)
    try:
        [back] = outbox.deliver_due(NOW + timedelta(seconds=30))
    finally:
        server.stop()
    assert (back.status, back.attempts) == ("sent", 2)
    assert inbox.mails[0][1]["Subject"] == "Medic approval 3 expired"
    assert deliveries(sessions)[0]["status"] == "sent"


@pytest.fixture
def tls_server(tmp_path):
    """An SMTP server that requires STARTTLS, with a self-signed certificate for 127.0.0.1."""
    import ssl
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                        require_starttls=True, authenticator=inbox.authenticate)
    server.start()
    yield inbox, port, cert
    server.stop()


def tls_settings(tmp_path, port):
    return make_settings(tmp_path / "medic", smtp_host="127.0.0.1", smtp_port=port,
                         smtp_user="medic", smtp_password="mail-pass",
                         email_from="medic@example.org", email_to="oncall@example.org")


def test_starttls_refuses_a_certificate_nobody_trusts(tls_server, tmp_path):
    inbox, port, _cert = tls_server
    settings = tls_settings(tmp_path, port)
    sessions = connect(settings.database_url)
    Notifier.from_settings(sessions, settings, clock=lambda: NOW).send(
        "Medic incident 1: escalated", "secret diagnosis", kind="escalation")
    [attempt] = Outbox.from_settings(sessions, settings).deliver_due(NOW)
    assert (attempt.status, attempt.error) == ("pending", "smtp failed (SSLCertVerificationError)")
    assert inbox.mails == [] and inbox.logins == []


def test_starttls_with_a_trusted_certificate_logs_in_and_delivers(tls_server, tmp_path,
                                                                   monkeypatch):
    inbox, port, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    settings = tls_settings(tmp_path, port)
    sessions = connect(settings.database_url)
    Notifier.from_settings(sessions, settings, clock=lambda: NOW).send(
        "Medic incident 1: escalated", "over TLS", kind="escalation")
    [attempt] = Outbox.from_settings(sessions, settings).deliver_due(NOW)
    assert attempt.status == "sent"
    assert inbox.logins == [(b"medic", True)]
    assert inbox.mails[0][1]["Subject"] == "Medic incident 1: escalated"


def test_a_closing_incident_is_mailed_with_its_pdf_report(trained, clock, tmp_path):
    import subprocess

    from agent_graph.runtime.runner import open_agent
    from core.alerts import Alert
    from services.reports import closed_incident_attachment
    from tests.conftest import Driver, principal_of

    port, inbox = free_port(), Inbox()
    settings = make_settings(trained[0].home, smtp_host="127.0.0.1", smtp_port=port,
                             smtp_starttls=False, email_from="medic@example.org",
                             email_to="oncall@example.org")
    server = smtp_server(inbox, port)
    try:
        with open_agent(settings, clock=clock) as running:
            agent = Driver(running, settings)
            stored = agent.submit(Alert(name="ModelF1Drop", type="performance",
                                        values={"f1": 0.5}))
            alice = principal_of(agent.sessions, name="alice", role="approver")
            agent.decide(agent.pending()[0]["id"], principal=alice, approve=False,
                         comment="not now")  # the incident closes: rejected
            outbox = Outbox.from_settings(agent.sessions, settings,
                                          attach=closed_incident_attachment(agent.medic))
            outbox.deliver_due(clock() + timedelta(seconds=1))
    finally:
        server.stop()
    closing = [m for _to, m in inbox.mails if "rejected" in m["Subject"]]
    assert closing, [m["Subject"] for _to, m in inbox.mails]
    [report] = [p for p in closing[0].iter_attachments()
                if p.get_content_type() == "application/pdf"]
    assert report.get_filename() == f"medic-incident-{stored.incident_id}.pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report.get_content())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"Incident {stored.incident_id}" in text and "alice" in text
