"""Post messages to Slack through an incoming webhook, laid out with Block Kit."""

import httpx
from pydantic import SecretStr

from core.channels.message import Message, pieces
from core.errors import DeliveryError

SEVERITY_MARK = {"high": ":red_circle:", "medium": ":large_orange_circle:",
                 "low": ":white_circle:", None: ":information_source:"}
ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


class SlackChannel:
    """One Slack incoming webhook (its URL is the secret)."""

    name = "slack"
    settings = ("slack_webhook_url", "notify_timeout")

    @classmethod
    def from_settings(cls, settings, *, attach=None) -> "SlackChannel | None":
        """Post to MEDIC_SLACK_WEBHOOK_URL when it is set."""
        if not settings.slack_webhook_url.get_secret_value():
            return None
        return cls(settings.slack_webhook_url, timeout=settings.notify_timeout)

    def __init__(self, webhook_url: SecretStr, *, timeout: float = 5.0) -> None:
        self._url = webhook_url
        self._timeout = timeout

    def send(self, message: Message) -> None:
        """Post the message; raise DeliveryError unless Slack answers 2xx."""
        try:
            reply = httpx.post(self._url.get_secret_value(), json=blocks(message),
                               timeout=self._timeout)
        except httpx.HTTPError as error:
            raise DeliveryError(f"slack unreachable ({type(error).__name__})") from None
        if not reply.is_success:
            raise DeliveryError(f"slack answered {reply.status_code}: {reply.text[:100]}")


def blocks(message: Message) -> dict:
    """Return the Block Kit payload: title, severity and facts, diagnosis, actions, link.

    Every value that came from outside (an alert's name reaches the subject, the plan's
    reasons, the diagnosis) is escaped, so `<!channel>` or `<http://…|label>` in it shows
    as text instead of pinging everyone or drawing a link.
    """
    title = f"{SEVERITY_MARK[message.severity]} {escape(message.subject)}"
    payload: list[dict] = [
        {"type": "header", "text": {"type": "plain_text",
                                    "text": escape(message.subject, limit=150)}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{label}*\n{escape(value)}"}
                                       for label, value in message.facts()]},
    ]
    for text, table in pieces(message.body):  # tables in code blocks keep their columns
        payload.append(_section(_code(text) if table else escape(text.strip("\n"),
                                                                   limit=2900)))
    if message.diagnosis:
        payload.append(_section("*Diagnosis*\n" + _bullets(message.diagnosis)))
    if message.actions:
        payload.append(_section("*Actions waiting*\n" + _bullets(message.actions)))
    if message.link:
        label = "Review the approval" if message.kind == "approval" else "Open the incident"
        payload.append({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": label},
             "url": message.link}]})
    return {"text": title, "blocks": payload[:50]}  # Slack's limit per message


def escape(text: str, *, limit: int | None = None) -> str:
    """Escape `&`, `<` and `>` as Slack asks; cut to `limit` characters, never inside one."""
    out, size = [], 0
    for char in text:
        piece = ESCAPES.get(char, char)
        if limit is not None and size + len(piece) > limit:
            break
        out.append(piece)
        size += len(piece)
    return "".join(out)


def _code(text: str) -> str:
    """Return a fixed-width table as a code block (escaped; no fence can be closed inside)."""
    return "```\n" + escape(text, limit=2900).replace("```", "`\u200b``") + "\n```"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {escape(line)}" for line in lines)
