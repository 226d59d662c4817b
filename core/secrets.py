"""Generate Medic's own secrets on first use and keep them in a 0600 file in its home."""

import fcntl
import json
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import ConfigError
from core.home import private_folder

log = logging.getLogger(__name__)

FILE = "secrets.json"
SHOWN = "secrets.shown"
NAMES = ("webhook_secret", "alertmanager_token", "audit_key", "ui_session_secret")
MIN_LENGTH = 16
PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "placeholder", "example", "secret",
                     "password", "passwd", "xxxx", "replaceme", "replace-me", "dummy",
                     "qwerty", "letmein", "12345678", "abcdefgh")
REPEATED = re.compile(r"(.{1,4})\1+")  # one to four characters over and over


def weakness(value: str) -> str | None:
    """Say why a secret someone chose is not one (never quoting it), or None if it may be."""
    folded = value.strip().lower()
    if len(folded) < MIN_LENGTH:
        return f"empty or shorter than {MIN_LENGTH} characters"
    if any(word in folded for word in PLACEHOLDER_WORDS):
        return "a placeholder (it contains a word such as change-me, secret, password, " \
               "example or xxxx)"
    if REPEATED.fullmatch(folded) or len(set(folded)) < 6:
        return "a placeholder (a few characters repeated)"
    return None


def load_or_create(home: Path) -> dict[str, str]:
    """Return every generated secret, creating the missing ones (safe across processes)."""
    private_folder(home)
    path = home / FILE
    with _locked(home):
        stored = read(home)
        missing = [name for name in NAMES if not stored.get(name)]
        if missing:
            stored.update({name: secrets.token_urlsafe(32) for name in missing})
            _write(path, stored)
            log.info("generated %s into %s (mode 0600)", ", ".join(missing), path)
    return {name: stored[name] for name in NAMES}


def read(home: Path) -> dict[str, str]:
    """Return the stored secrets ({} before the first start); refuse a file others can read."""
    path = home / FILE
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return {}
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path} can be read by other users; run `chmod 600 {path}`")
    try:
        stored = json.loads(path.read_text())
    except (ValueError, OSError) as error:
        raise ConfigError(f"{path} cannot be read as Medic's secrets file; restore it from "
                          "a backup (the audit key in it signs the audit log)") from error
    if not isinstance(stored, dict):
        raise ConfigError(f"{path} is not Medic's secrets file; restore it from a backup")
    return {str(k): str(v) for k, v in stored.items()}


def first_showing(home: Path) -> bool:
    """Return True once: the first time generated secrets are about to be shown."""
    try:
        os.close(os.open(home / SHOWN, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True


def _write(path: Path, values: dict[str, str]) -> None:
    """Write the file atomically, never readable by others, even for an instant."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)  # left by a crash: never reuse its mode
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            json.dump(values, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    descriptor = os.open(home / ".secrets.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
