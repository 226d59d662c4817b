"""Create and check API keys; only a key's SHA-256 is stored."""

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from core import audit
from core.errors import AuthError
from core.tables import ApiKey

ROLES = ("viewer", "predictor", "operator", "approver", "admin")


@dataclass(frozen=True)
class Principal:
    """Who is acting, and with which role."""

    name: str
    role: str

    def can_approve(self) -> bool:
        """Return True for the roles that may approve risky actions."""
        return self.role in ("approver", "admin")


def create(sessions: sessionmaker, *, name: str, role: str) -> str:
    """Store a new key for `name` and return it; it is never shown again."""
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    if not name.strip() or len(name) > 200:
        raise AuthError("a key needs a name of 1-200 characters")
    key = "mdk_" + secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.add(ApiKey(name=name.strip(), role=role, prefix=key[:12], hash=_hash(key)))
        audit.record(session, event="key_created", actor="medic keys", name=name, role=role,
                     prefix=key[:12])
    return key


def authenticate(sessions: sessionmaker, key: str | None) -> Principal:
    """Return the principal behind a key; raise AuthError if there is none."""
    if not key:
        raise AuthError("an API key is required")
    with sessions() as session:
        found = session.scalars(select(ApiKey).where(ApiKey.hash == _hash(key))).first()
    if found is None or found.revoked:
        raise AuthError("unknown or revoked API key")
    return Principal(found.name, found.role)


def principal_named(sessions: sessionmaker, name: str) -> Principal:
    """Return the strongest role held by a key holder of that name (for the local CLI)."""
    with sessions() as session:
        roles = set(session.scalars(select(ApiKey.role).where(
            ApiKey.name == name, ApiKey.revoked.is_(False))))
    if not roles:
        raise AuthError(f"{name!r} holds no API key; create one with "
                        f"`medic keys create --name {name} --role approver`")
    return Principal(name, max(roles, key=ROLES.index))


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
