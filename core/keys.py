"""Create, check, list and revoke API keys; only a key's SHA-256 is stored."""

import hashlib
import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import AuthError, Conflict, InvalidInput, NotFound
from core.roles import ROLES, Principal
from core.tables import ApiKey

__all__ = ["ROLES", "Principal", "authenticate", "by_slack", "count", "create", "link_slack",
           "listing", "revoke", "revocations"]

SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,30}")  # Slack's user ids: U… (or W… on Enterprise Grid)


def create(session: Session, *, name: str, role: str, actor: str) -> str:
    """Store a new key for `name` (unique) and return it; it is never shown again."""
    name = name.strip()
    if role not in ROLES:
        raise InvalidInput(f"role: unknown role {role!r}; choose from {', '.join(ROLES)}")
    if not name or len(name) > 200:
        raise InvalidInput("name: a key needs a name of 1-200 characters, not only spaces")
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise Conflict(f"a key named {name!r} exists or existed; names are unique and never "
                       "reused, even after a key is revoked: choose another name")
    key = "mdk_" + secrets.token_urlsafe(32)
    session.add(ApiKey(name=name, role=role, prefix=key[:12], hash=digest(key)))
    audit.record(session, event="key_created", actor=actor, name=name, role=role,
                 prefix=key[:12])
    return key


def authenticate(session: Session, key: str | None) -> Principal:
    """Return the principal behind a key; raise AuthError if there is none."""
    if not key:
        raise AuthError("an API key is required")
    found = session.scalars(select(ApiKey).where(ApiKey.hash == digest(key))).first()
    if found is None or found.revoked:
        raise AuthError("unknown or revoked API key")
    return Principal(found.name, found.role)


def listing(session: Session) -> list[dict]:
    """Return every key's name, role, prefix, creation time and whether it is revoked."""
    return [{"name": k.name, "role": k.role, "prefix": k.prefix,
             "created_at": k.created_at.isoformat(), "revoked": k.revoked,
             "slack_user": k.slack_user}
            for k in session.scalars(select(ApiKey).order_by(ApiKey.id))]


def link_slack(session: Session, *, name: str, slack_user: str, actor: str) -> dict:
    """Link a key holder to their Slack user id: a Slack user is one holder, never two."""
    if not SLACK_USER.fullmatch(slack_user):
        raise InvalidInput(f"slack_user: {slack_user[:40]!r} is not a Slack user id (U…, as "
                           "Slack's profile menu 'Copy member ID' gives it)")
    found = session.scalars(select(ApiKey).where(ApiKey.name == name)).first()
    if found is None or found.revoked:
        raise NotFound(f"no unrevoked key named {name!r}")
    holder = session.scalar(select(ApiKey.name).where(ApiKey.slack_user == slack_user))
    if holder is not None and holder != name:
        raise Conflict(f"Slack user {slack_user} is already linked to {holder!r}: a person is "
                       "one key holder")
    if found.slack_user != slack_user:
        found.slack_user = slack_user
        audit.record(session, event="key_linked_slack", actor=actor, name=name,
                     slack_user=slack_user)
    return {"name": found.name, "role": found.role, "prefix": found.prefix,
            "revoked": found.revoked, "slack_user": slack_user}


def by_slack(session: Session, slack_user: str) -> Principal | None:
    """Return the holder linked to this Slack user, if their key is not revoked."""
    found = session.scalars(select(ApiKey).where(ApiKey.slack_user == slack_user,
                                                 ApiKey.revoked.is_(False))).first()
    return Principal(found.name, found.role) if found is not None else None


def revoke(session: Session, *, name: str, actor: str) -> dict:
    """Revoke the key with this name (refused at once by every process)."""
    found = session.scalars(select(ApiKey).where(ApiKey.name == name)).first()
    if found is None:
        raise NotFound(f"no key named {name!r}")
    if not found.revoked:
        found.revoked = True
        audit.record(session, event="key_revoked", actor=actor, name=name, prefix=found.prefix)
    return {"name": found.name, "role": found.role, "prefix": found.prefix, "revoked": True,
            "slack_user": found.slack_user}


def holds(session: Session, *, name: str, role: str) -> bool:
    """Return whether `name` still holds an unrevoked key with this role."""
    return session.scalar(select(ApiKey.id).where(
        ApiKey.name == name, ApiKey.role == role, ApiKey.revoked.is_(False))) is not None


def revocations(session: Session) -> int:
    """Return how many keys are revoked: a change tells key caches to forget."""
    return session.scalar(select(func.count()).where(ApiKey.revoked.is_(True))) or 0


def count(session: Session) -> int:
    """Return how many keys exist (none: the first one may be made without a key)."""
    return session.scalar(select(func.count()).select_from(ApiKey)) or 0


def digest(key: str) -> str:
    """Return the stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()
