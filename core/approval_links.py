"""One-time links that decide an approval from an email, bound to who received them.

A link names one approval, the digest of the plan the email showed, the recipient's
address and the decision (approve or reject), and expires with the approval; all of it
is signed with a key derived from the webhook secret (rotating that secret voids every
link). Opening a link only shows a confirmation page: the decision is a POST from it, and
spends the link. The recipient must be linked to a key holder who may decide.
"""

import base64
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from core.errors import SignatureError

Decision = Literal["approve", "reject", "ack"]  # ack: "I'm looking", decides nothing
LABEL = b"medic approval links v1"


@dataclass(frozen=True)
class Link:
    """What a valid link says."""

    approval_id: int
    digest: str
    recipient: str
    decision: Decision
    expires_at: datetime
    signature: str
    """The link's own signature: spent when it decides, so it decides once."""


class LinkSigner:
    """Make and read approval links with a key derived from a secret."""

    def __init__(self, secret: str) -> None:
        self._key = hmac.digest(secret.encode(), LABEL, "sha256")

    def token(self, *, approval_id: int, digest: str, recipient: str, decision: Decision,
              expires_at: datetime) -> str:
        """Return the link's token (URL-safe)."""
        claims = {"a": approval_id, "d": digest, "r": recipient.lower(), "x": decision,
                  "e": int(expires_at.timestamp())}
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def read(self, token: str, *, now: datetime) -> Link:
        """Return what the token says; SignatureError if it is forged, malformed or expired."""
        body, _, signature = token.partition(".")
        if not hmac.compare_digest(self._sign(body), signature):
            raise SignatureError("this link is not one Medic sent (or it was changed)")
        try:
            claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            link = Link(approval_id=int(claims["a"]), digest=str(claims["d"]),
                        recipient=str(claims["r"]), decision=claims["x"],
                        expires_at=datetime.fromtimestamp(int(claims["e"]), UTC),
                        signature=signature)
        except (ValueError, KeyError, TypeError) as error:
            raise SignatureError("this link is malformed") from error
        if link.decision not in ("approve", "reject", "ack"):
            raise SignatureError("this link is malformed")
        if link.expires_at <= now:
            raise SignatureError("this link expired with its approval")
        return link

    def _sign(self, body: str) -> str:
        return _b64(hmac.digest(self._key, body.encode(), "sha256"))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
