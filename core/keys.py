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

__all__ = ["ROLES", "Principal", "authenticate", "count", "create", "holder", "link_email",
           "link_slack", "listing", "revoke", "revocations"]

SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,30}")  # Slack's user ids: U… (or W… on Enterprise Grid)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


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
    """Return every key's name, role, prefix, creation time, links and whether it is revoked."""
    return [_row(k) for k in session.scalars(select(ApiKey).order_by(ApiKey.id))]


def _row(key: ApiKey) -> dict:
    return {"name": key.name, "role": key.role, "prefix": key.prefix,
            "created_at": key.created_at.isoformat(), "revoked": key.revoked,
            "slack_user": key.slack_user, "email": key.email}


def link_slack(session: Session, *, name: str, slack_user: str, actor: str) -> dict:
    """Link a key holder to their Slack user id: a Slack user is one holder, never two."""
    if not SLACK_USER.fullmatch(slack_user):
        raise InvalidInput(f"slack_user: {slack_user[:40]!r} is not a Slack user id (U…, as "
                           "Slack's profile menu 'Copy member ID' gives it)")
    return _link(session, name, "slack_user", slack_user, actor)


def link_email(session: Session, *, name: str, email: str, actor: str) -> dict:
    """Link a key holder to their email address: approval links sent there decide as them."""
    email = email.strip().lower()
    if not EMAIL.fullmatch(email) or len(email) > 254:
        raise InvalidInput(f"email: {email[:60]!r} is not an email address")
    return _link(session, name, "email", email, actor)


def holder(session: Session, *, slack_user: str | None = None,
           email: str | None = None) -> Principal | None:
    """Return the holder linked to this Slack user or address, if their key is not revoked."""
    column, value = (ApiKey.slack_user, slack_user) if slack_user else (ApiKey.email,
                                                                          (email or "").lower())
    found = session.scalars(select(ApiKey).where(column == value,
                                                 ApiKey.revoked.is_(False))).first()
    return Principal(found.name, found.role) if found is not None else None


def _link(session: Session, name: str, field: str, value: str, actor: str) -> dict:
    """Set a contact of a holder's; refuse one that is another holder's: a person is one."""
    found = session.scalars(select(ApiKey).where(ApiKey.name == name)).first()
    if found is None or found.revoked:
        raise NotFound(f"no unrevoked key named {name!r}")
    other = session.scalar(select(ApiKey.name).where(getattr(ApiKey, field) == value))
    if other is not None and other != name:
        raise Conflict(f"{value} is already linked to {other!r}: a person is one key holder")
    if getattr(found, field) != value:
        setattr(found, field, value)
        audit.record(session, event=f"key_linked_{field}", actor=actor, name=name,
                     **{field: value})
    return _row(found)


def revoke(session: Session, *, name: str, actor: str) -> dict:
    """Revoke the key with this name (refused at once by every process)."""
    found = session.scalars(select(ApiKey).where(ApiKey.name == name)).first()
    if found is None:
        raise NotFound(f"no key named {name!r}")
    if not found.revoked:
        found.revoked = True
        audit.record(session, event="key_revoked", actor=actor, name=name, prefix=found.prefix)
    return _row(found)


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
