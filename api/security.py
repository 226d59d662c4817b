"""Authenticate keys and webhooks, limit rates and sizes, add security headers."""

import hmac
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from core import keys
from core.errors import AuthError, RateLimited, SignatureError
from core.keys import Principal

WINDOW_SECONDS = 300


class KeyCache:
    """Remember authenticated keys briefly so the hot path does not hit the database.

    A revocation anywhere (another process included) empties the cache within
    `recheck` seconds: the count of revoked keys is read at most that often.
    """

    def __init__(self, sessions, ttl: float = 30.0, recheck: float = 0.5) -> None:
        self._sessions, self._ttl, self._recheck = sessions, ttl, recheck
        self._seen: dict[str, tuple[float, Principal]] = {}
        self._revoked, self._next_check = -1, 0.0

    def principal(self, key: str | None) -> Principal:
        """Return who holds the key; raise AuthError for a missing or unknown key."""
        if not key:
            raise AuthError("an API key is required (X-API-Key)")
        now = time.monotonic()
        if now >= self._next_check:
            self._forget_if_revoked(now)
        digest = keys.digest(key)
        cached = self._seen.get(digest)
        if cached and cached[0] > now:
            return cached[1]
        with self._sessions() as session:
            principal = keys.authenticate(session, key)
        self._seen[digest] = (now + self._ttl, principal)
        return principal

    def forget(self) -> None:
        """Drop every cached key (after a revocation in this process)."""
        self._seen.clear()
        self._next_check = 0.0

    def _forget_if_revoked(self, now: float) -> None:
        with self._sessions() as session:
            revoked = keys.revocations(session)
        if revoked != self._revoked:
            self._seen.clear()
            self._revoked = revoked
        self._next_check = now + self._recheck


class RateLimiter:
    """Token buckets per key and per client address."""

    def __init__(self, per_minute: int) -> None:
        self._rate = per_minute / 60.0
        self._capacity = float(max(per_minute, 1))
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, *names: str) -> None:
        """Take one token from each named bucket; raise RateLimited if any is empty."""
        if self._rate <= 0:
            return
        now = time.monotonic()
        with self._lock:
            updated = {}
            for name in names:
                tokens, last = self._buckets.get(name, (self._capacity, now))
                tokens = min(self._capacity, tokens + (now - last) * self._rate)
                if tokens < 1:
                    raise RateLimited((1 - tokens) / self._rate)
                updated[name] = (tokens - 1, now)
            self._buckets.update(updated)


class FailureLimiter:
    """Count failed webhook signatures or tokens per client address; 429 past the limit."""

    TRACKED = 10_000  # addresses remembered before stale ones are swept

    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self._limit, self._window = per_minute, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def guard(self, address: str) -> Iterator[None]:
        """Refuse an address over its limit; count the AuthError the block raises."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent(address, now)
            if len(recent) >= self._limit:
                raise RateLimited(recent[0] + self._window - now)
        try:
            yield
        except AuthError:
            with self._lock:
                self._failures.setdefault(address, deque()).append(time.monotonic())
                if len(self._failures) > self.TRACKED:
                    for known in list(self._failures):
                        self._recent(known, time.monotonic())
            raise

    def _recent(self, address: str, now: float) -> deque[float]:
        recent = self._failures.get(address, deque())
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        if not recent:
            self._failures.pop(address, None)
        return recent


def client_address(request) -> str:
    """Return the peer's address (a proxy's X-Forwarded-For only if MEDIC_TRUSTED_PROXIES)."""
    return request.client.host if request.client else "unknown"


def verify_signature(*, secret: str, timestamp: str | None, signature: str | None,
                     body: bytes, now: datetime | None = None) -> str:
    """Check `sha256=HMAC(secret, "timestamp.body")` and the 5-minute window.

    Returns the signature to spend: it is spent in the transaction that stores the alerts,
    so a replay is refused and a failed store leaves it unspent (`core.ingest`, which also
    forgets signatures too old to be replayed anyway).
    """
    if not timestamp or not signature:
        raise SignatureError("X-Medic-Timestamp and X-Medic-Signature are required")
    _check_window(timestamp, "X-Medic-Timestamp", now)
    expected = "sha256=" + _mac(secret, timestamp.encode() + b"." + body)
    if not hmac.compare_digest(expected, signature.strip()):
        raise SignatureError("the signature does not match")
    return expected[7:]


def verify_slack_signature(*, secret: str, timestamp: str | None, signature: str | None,
                           body: bytes, now: datetime | None = None) -> str:
    """Check Slack's `v0=HMAC(signing secret, "v0:timestamp:body")` and the 5-minute window.

    Returns the signature to spend, so each request is taken once.
    """
    if not timestamp or not signature:
        raise SignatureError("X-Slack-Request-Timestamp and X-Slack-Signature are required")
    _check_window(timestamp, "X-Slack-Request-Timestamp", now)
    expected = "v0=" + _mac(secret, b"v0:" + timestamp.encode() + b":" + body)
    if not hmac.compare_digest(expected, signature.strip()):
        raise SignatureError("the signature does not match")
    return expected[3:]


def _check_window(timestamp: str, header: str, now: datetime | None) -> None:
    try:
        sent = datetime.fromtimestamp(int(timestamp), UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise SignatureError(f"{header} must be Unix seconds") from error
    now = now or datetime.now(UTC)
    if abs((now - sent).total_seconds()) > WINDOW_SECONDS:
        raise SignatureError("the timestamp is outside the 5-minute window")


def _mac(secret: str, message: bytes) -> str:
    return hmac.digest(secret.encode(), message, "sha256").hex()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Return the headers a sender puts on a Medic webhook (for clients and tests)."""
    stamp = str(int(timestamp if timestamp is not None else time.time()))
    return {"X-Medic-Timestamp": stamp,
            "X-Medic-Signature": "sha256=" + _mac(secret, stamp.encode() + b"." + body)}


def sign_slack(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Return the headers Slack puts on a request to Medic (for tests and stand-ins)."""
    stamp = str(int(timestamp if timestamp is not None else time.time()))
    return {"X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": "v0=" + _mac(secret, b"v0:" + stamp.encode() + b":" + body)}


def bearer_token(header: str | None) -> str | None:
    """Return the token of `Authorization: Bearer <token>`, else None.

    As RFC 6750 (and RFC 9110 for auth schemes) says: the scheme is required, in any case.
    """
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def check_bearer(header: str | None, token: str) -> None:
    """Check Alertmanager's `Authorization: Bearer <token>`."""
    given = bearer_token(header)
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise AuthError("a valid bearer token is required")
