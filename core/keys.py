"""Create, check, list and revoke API keys; only a key's SHA-256 is stored."""

import hashlib
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import AuthError, Conflict, NotFound
from core.roles import ROLES, Principal
from core.tables import ApiKey

__all__ = ["ROLES", "Principal", "authenticate", "count", "create", "listing", "revoke",
           "revocations"]


def create(session: Session, *, name: str, role: str, actor: str) -> str:
    """Store a new key for `name` (unique) and return it; it is never shown again."""
    name = name.strip()
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    if not name or len(name) > 200:
        raise AuthError("a key needs a name of 1-200 characters")
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
             "created_at": k.created_at.isoformat(), "revoked": k.revoked}
            for k in session.scalars(select(ApiKey).order_by(ApiKey.id))]


def revoke(session: Session, *, name: str, actor: str) -> dict:
    """Revoke the key with this name (refused at once by every process)."""
    found = session.scalars(select(ApiKey).where(ApiKey.name == name)).first()
    if found is None:
        raise NotFound(f"no key named {name!r}")
    if not found.revoked:
        found.revoked = True
        audit.record(session, event="key_revoked", actor=actor, name=name, prefix=found.prefix)
    return {"name": found.name, "role": found.role, "prefix": found.prefix, "revoked": True}


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
