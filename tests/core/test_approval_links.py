"""Approval links: signed, bound to one approval, digest, recipient and decision; expiring."""

from datetime import UTC, datetime, timedelta

import pytest

from core.approval_links import LinkSigner
from core.errors import SignatureError

NOW = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
SIGNER = LinkSigner("webhook-secret-for-links-0123456789")


def made(**changed) -> str:
    claims = {"approval_id": 7, "digest": "d" * 64, "recipient": "Alice@Example.org",
              "decision": "approve", "expires_at": NOW + timedelta(minutes=60)} | changed
    return SIGNER.token(**claims)


def test_a_link_says_what_it_was_made_for():
    link = SIGNER.read(made(), now=NOW)
    assert (link.approval_id, link.digest, link.recipient, link.decision) == \
        (7, "d" * 64, "alice@example.org", "approve")
    assert link.expires_at == NOW + timedelta(minutes=60)


def test_forged_changed_expired_or_foreign_links_are_refused():
    token = made()
    body, _, signature = token.partition(".")
    other = made(approval_id=8).partition(".")[0]
    with pytest.raises(SignatureError, match="not one Medic sent"):
        SIGNER.read(f"{other}.{signature}", now=NOW)  # another approval, this signature
    with pytest.raises(SignatureError, match="not one Medic sent"):
        LinkSigner("another-secret-abcdefghijklmnop").read(token, now=NOW)
    with pytest.raises(SignatureError, match="not one Medic sent"):
        SIGNER.read(body, now=NOW)
    with pytest.raises(SignatureError, match="expired"):
        SIGNER.read(token, now=NOW + timedelta(minutes=61))
