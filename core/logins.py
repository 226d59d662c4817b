"""Record console logins, so a logout (or a revoked key) ends the session in every replica."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.roles import Principal
from core.tables import ApiKey, ConsoleLogin


def start(session: Session, principal: Principal, *, seconds: int,
          now: datetime | None = None) -> str:
    """Store a new login for `principal` lasting `seconds`; return its id (random, 256 bits)."""
    now = now or utcnow()
    session.execute(delete(ConsoleLogin).where(ConsoleLogin.expires_at < now))
    login_id = secrets.token_urlsafe(32)
    session.add(ConsoleLogin(id=login_id, name=principal.name, role=principal.role,
                             started_at=now, expires_at=now + timedelta(seconds=seconds)))
    return login_id


def live(session: Session, login_id: str, principal: Principal,
         now: datetime | None = None) -> bool:
    """Return whether the login is unexpired, not ended, and its key still held and unrevoked."""
    held = exists().where(ApiKey.name == principal.name, ApiKey.role == principal.role,
                          ApiKey.revoked.is_(False))
    return session.scalar(select(ConsoleLogin.id).where(
        ConsoleLogin.id == login_id, ConsoleLogin.name == principal.name,
        ConsoleLogin.role == principal.role, ConsoleLogin.ended_at.is_(None),
        ConsoleLogin.expires_at > (now or utcnow()), held)) is not None


def end(session: Session, login_id: str, now: datetime | None = None) -> bool:
    """End the login (a logout); return whether it was still open."""
    ended = session.execute(update(ConsoleLogin).where(
        ConsoleLogin.id == login_id, ConsoleLogin.ended_at.is_(None)).values(
        ended_at=now or utcnow()))
    return ended.rowcount > 0
