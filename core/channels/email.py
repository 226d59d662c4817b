"""Send messages as plain-text email over SMTP (STARTTLS and login when configured)."""

import smtplib
import ssl
from email.message import EmailMessage

from pydantic import SecretStr

from core.channels.message import Message
from core.errors import DeliveryError

SEVERITY_TAG = {"high": "[HIGH] ", "medium": "[medium] ", "low": "", None: ""}


class EmailChannel:
    """One SMTP server and a fixed list of recipients."""

    name = "email"

    def __init__(self, *, host: str, port: int, sender: str, recipients: list[str],
                 user: str = "", password: SecretStr | None = None, starttls: bool = True,
                 timeout: float = 5.0) -> None:
        self._host, self._port = host, port
        self._sender, self._recipients = sender, recipients
        self._user, self._password = user, password or SecretStr("")
        self._starttls, self._timeout = starttls, timeout

    def send(self, message: Message) -> None:
        """Hand the message to the SMTP server; raise DeliveryError if it refuses."""
        mail = EmailMessage()
        mail["Subject"] = SEVERITY_TAG[message.severity] + message.subject
        mail["From"] = self._sender
        mail["To"] = ", ".join(self._recipients)
        mail.set_content(message.text())
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                if self._starttls:  # the server's certificate is verified (SSL_CERT_FILE works)
                    smtp.starttls(context=ssl.create_default_context())
                if self._user:
                    smtp.login(self._user, self._password.get_secret_value())
                smtp.send_message(mail)
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(f"smtp refused ({error.smtp_code})") from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"smtp failed ({type(error).__name__})") from None
