"""Post messages to Slack, laid out with Block Kit.

Through an incoming webhook, or as a Slack app's bot, whose approval messages carry
Approve and Reject buttons (their clicks come back to `/v1/integrations/slack/interactions`).
"""

from pydantic import SecretStr

from core.channels.base import post
from core.channels.message import Message, pieces
from core.errors import DeliveryError
from core.keys import SLACK_USER

SEVERITY_MARK = {"high": ":red_circle:", "medium": ":large_orange_circle:",
                 "low": ":white_circle:", None: ":information_source:"}
ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


class SlackChannel:
    """One Slack incoming webhook (its URL is the secret)."""

    name = "slack"
    settings = ("slack_webhook_url", "slack_bot_token", "slack_channel", "slack_api_url",
                "notify_timeout")

    @classmethod
    def from_settings(cls, settings, *, attach=None) -> "SlackChannel | SlackBot | None":
        """Post as the app's bot (approval buttons) with a bot token, else via the webhook."""
        if settings.slack_bot_token.get_secret_value():
            return SlackBot(SlackApi(settings.slack_bot_token, url=settings.slack_api_url,
                                     timeout=settings.notify_timeout), settings.slack_channel)
        if not settings.slack_webhook_url.get_secret_value():
            return None
        return cls(settings.slack_webhook_url, timeout=settings.notify_timeout)

    def __init__(self, webhook_url: SecretStr, *, timeout: float = 5.0) -> None:
        self._url = webhook_url
        self._timeout = timeout

    def send(self, message: Message) -> None:
        """Post the message; raise DeliveryError unless Slack answers 2xx."""
        reply = post(self._url.get_secret_value(), what="slack", json=blocks(message),
                     timeout=self._timeout)
        if not reply.is_success:
            raise DeliveryError(f"slack answered {reply.status_code}: {reply.text[:100]}")


APPROVE, REJECT, ACK = "medic_approve", "medic_reject", "medic_ack"  # the buttons' action ids


class SlackApi:
    """Slack's Web API, called with the bot token (`chat.postMessage`, `chat.update`)."""

    def __init__(self, token: SecretStr, *, url: str = "https://slack.com/api",
                 timeout: float = 5.0) -> None:
        self._token, self._url, self._timeout = token, url.rstrip("/"), timeout

    def call(self, method: str, payload: dict) -> dict:
        """Call one method; raise DeliveryError unless Slack answers `ok`."""
        reply = post(f"{self._url}/{method}", what="slack", json=payload,
                     timeout=self._timeout,
                     headers={"Authorization": "Bearer " + self._token.get_secret_value()})
        try:
            answer = reply.json() if reply.is_success else {}
        except ValueError:
            answer = {}
        if not answer.get("ok"):
            why = answer.get("error") or f"HTTP {reply.status_code}"
            raise DeliveryError(f"slack {method} failed: {str(why)[:100]}")
        return answer


class SlackBot:
    """A Slack app's bot posting to one channel; approval messages get their buttons."""

    name = "slack"

    def __init__(self, api: SlackApi, channel: str) -> None:
        self._api, self._channel = api, channel

    def send(self, message: Message) -> None:
        """Post the message with `chat.postMessage`; raise DeliveryError on failure."""
        self._api.call("chat.postMessage", {"channel": self._channel,
                                            **blocks(message, buttons=True)})


def blocks(message: Message, *, buttons: bool = False) -> dict:
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
    if message.mentions:  # the people an escalation asks (ids Medic linked, never input)
        payload.insert(1, _section(" ".join(f"<@{user}>" for user in message.mentions
                                            if SLACK_USER.fullmatch(user))))
    for text, table in pieces(message.body):  # tables in code blocks keep their columns
        payload.append(_section(_code(text) if table else escape(text.strip("\n"),
                                                                   limit=2900)))
    if message.diagnosis:
        payload.append(_section("*Diagnosis*\n" + _bullets(message.diagnosis)))
    if message.actions:
        payload.append(_section("*Actions waiting*\n" + _bullets(message.actions)))
    elements = decision_buttons(message) if buttons else []
    if message.link:
        label = "Review the approval" if message.kind == "approval" else "Open the incident"
        elements.append({"type": "button", "text": {"type": "plain_text", "text": label},
                         "url": message.link})
    if elements:
        payload.append({"type": "actions", "elements": elements})
    return {"text": title, "blocks": payload[:50]}  # Slack's limit per message


def decision_buttons(message: Message) -> list[dict]:
    """Return Approve, Reject and "I'm looking" for an approval, bound to its id and digest."""
    if not message.asks_for_decision:
        return []
    value = f"{message.approval_id}:{message.digest}"
    confirm = {"title": {"type": "plain_text", "text": "Approve this plan?"},
               "text": {"type": "plain_text", "text": "Medic runs it as soon as you confirm."},
               "confirm": {"type": "plain_text", "text": "Approve"},
               "deny": {"type": "plain_text", "text": "Cancel"}}
    return [{"type": "button", "action_id": APPROVE, "style": "primary", "value": value,
             "text": {"type": "plain_text", "text": "Approve"}, "confirm": confirm},
            {"type": "button", "action_id": REJECT, "style": "danger", "value": value,
             "text": {"type": "plain_text", "text": "Reject"}},
            {"type": "button", "action_id": ACK, "value": value,
             "text": {"type": "plain_text", "text": "I'm looking"}}]


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
