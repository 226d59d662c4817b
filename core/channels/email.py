"""Send messages as plain-text email over SMTP (STARTTLS and login when configured)."""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from html import escape

from pydantic import SecretStr

from core.approval_links import LinkSigner
from core.channels.base import Attach
from core.channels.message import Message, pieces
from core.errors import ConfigError, DeliveryError

log = logging.getLogger(__name__)

SEVERITY_TAG = {"high": "[HIGH] ", "medium": "[medium] ", "low": "", None: ""}

class EmailChannel:
    """One SMTP server and a fixed list of recipients.

    With `links`, an approval request goes to each recipient alone, with Approve and Reject
    links made for that recipient (`core.approval_links`) under `public_url`.
    """

    name = "email"
    settings = ("smtp_host", "smtp_port", "smtp_user", "smtp_password", "smtp_starttls",
                "email_from", "email_to", "notify_timeout", "webhook_secret", "public_url")

    @classmethod
    def from_settings(cls, settings, *, attach: Attach | None = None) -> "EmailChannel | None":
        """Mail through MEDIC_SMTP_HOST when it is set; it needs a sender and recipients."""
        if not settings.smtp_host:
            return None
        recipients = [a.strip() for a in settings.email_to.split(",") if a.strip()]
        if not recipients or not settings.email_from:
            raise ConfigError("MEDIC_SMTP_HOST needs MEDIC_EMAIL_FROM and MEDIC_EMAIL_TO")
        return cls(host=settings.smtp_host, port=settings.smtp_port,
                   sender=settings.email_from, recipients=recipients, user=settings.smtp_user,
                   password=settings.smtp_password, starttls=settings.smtp_starttls,
                   timeout=settings.notify_timeout, attach=attach,
                   links=LinkSigner(settings.webhook_secret.get_secret_value()),
                   public_url=settings.public_url)

    def __init__(self, *, host: str, port: int, sender: str, recipients: list[str],
                 user: str = "", password: SecretStr | None = None, starttls: bool = True,
                 timeout: float = 5.0, attach: Attach | None = None,
                 links: LinkSigner | None = None, public_url: str = "") -> None:
        self._host, self._port = host, port
        self._sender, self._recipients = sender, recipients
        self._user, self._password = user, password or SecretStr("")
        self._starttls, self._timeout, self._attach = starttls, timeout, attach
        self._links, self._public_url = links, public_url.rstrip("/")

    def send(self, message: Message) -> None:
        """Hand the message to the SMTP server; raise DeliveryError if it refuses."""
        recipients = message.recipients or self._recipients  # an escalation names its people
        if self._links is not None and message.asks_for_decision and message.expires_at:
            mails = [self._mail(message, [to], self._decisions(message, to))
                     for to in recipients]
        else:
            mails = [self._mail(message, recipients, [])]
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                if self._starttls:  # the server's certificate is verified (SSL_CERT_FILE works)
                    smtp.starttls(context=ssl.create_default_context())
                if self._user:
                    smtp.login(self._user, self._password.get_secret_value())
                for mail in mails:
                    smtp.send_message(mail)
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(f"smtp refused ({error.smtp_code})") from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"smtp failed ({type(error).__name__})") from None

    def _mail(self, message: Message, to: list[str],
              decisions: list[tuple[str, str]]) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = SEVERITY_TAG[message.severity] + message.subject
        mail["From"] = self._sender
        mail["To"] = ", ".join(to)
        mail.set_content(message.text(decisions))
        mail.add_alternative(as_html(message, decisions), subtype="html")  # the same, laid out
        self._add_attachment(mail, message)
        return mail

    def _decisions(self, message: Message, recipient: str) -> list[tuple[str, str]]:
        """Return the recipient's own Approve and Reject links for this approval."""
        return [(label, f"{self._public_url}/v1/integrations/email/" + self._links.token(
                    approval_id=message.approval_id, digest=message.digest,
                    recipient=recipient, decision=decision, expires_at=message.expires_at))
                for label, decision in (("Approve", "approve"), ("Reject", "reject"),
                                        ("I'm looking", "ack"))]

    def _add_attachment(self, mail: EmailMessage, message: Message) -> None:
        """Attach what `attach` gives; a failing attachment never stops the mail."""
        if self._attach is None:
            return
        try:
            found = self._attach(message)
        except Exception:  # the message matters more than its attachment
            log.warning("no attachment for %s", message.subject, exc_info=True)
            return
        if found is not None:
            name, data = found
            mail.add_attachment(data, maintype="application", subtype="pdf", filename=name)


def as_html(message: Message, decisions: list[tuple[str, str]] = ()) -> str:
    """Return the message as HTML: every value escaped, tables fixed-width, its links."""
    parts = [f"<h2 style=\"font-size:17px\">{escape(message.subject)}</h2>",
             "<table>" + "".join(f"<tr><th align=\"left\">{escape(label)}</th>"
                                 f"<td>{escape(value)}</td></tr>"
                                 for label, value in message.facts()) + "</table>"]
    for text, table in pieces(message.body):
        parts.append(f"<pre>{escape(text)}</pre>" if table
                     else "<p>" + escape(text.strip()).replace("\n", "<br>") + "</p>")
    for title, lines in (("Diagnosis", message.diagnosis), ("Actions waiting", message.actions)):
        if lines:
            parts.append(f"<p><b>{title}</b></p><ul>"
                         + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")
    if decisions:
        parts.append("<p>" + " &nbsp; ".join(
            f'<a href="{escape(url)}" style="padding:6px 14px;border:1px solid #888">'
            f"{escape(label)}…</a>" for label, url in decisions)
            + "<br><small>Each link opens a page that asks you to confirm; it works once, "
            "for you only.</small></p>")
    if message.link:
        label = "Review the approval" if message.kind == "approval" else "Open the incident"
        parts.append(f'<p><a href="{escape(message.link)}">{label}</a></p>')
    return ("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">"
            + "".join(parts) + "</body></html>")
