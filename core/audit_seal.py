"""Key the audit chain and anchor its entries in a signed, append-only file outside the database.

The key and the anchor file live in Medic's home, never in the database: someone who can
write the database can neither compute a valid entry hash nor move the anchored head back.
Each anchor line is `id hash mac`, where mac is the keyed HMAC of `anchor id hash`. Lines are
appended with one `write` on a file opened with O_APPEND, so writers in several processes
never interleave inside a line; lines may arrive out of id order, and verify reads them as a
set of claims ("entry N existed with this hash").
"""

import hashlib
import hmac
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    """What the anchor file claims: entry id -> hash, and the first line that lies."""

    hashes: dict[int, str] = field(default_factory=dict)
    bad_line: int | None = None


@dataclass(frozen=True)
class Seal:
    """The audit key and the anchor file; open the database's sessions with one."""

    key: SecretStr
    anchor: Path

    @classmethod
    def of(cls, settings) -> "Seal":
        """Build the seal from the settings' audit key and anchor path."""
        return cls(settings.audit_key, Path(settings.audit_anchor))

    def mac(self, message: bytes) -> str:
        """Return the hex HMAC-SHA256 of the message under the audit key."""
        return hmac.new(self.key.get_secret_value().encode(), message,
                        hashlib.sha256).hexdigest()

    def append(self, entries: list[tuple[int, str]]) -> None:
        """Anchor committed entries; a failure is logged, never raised (they are committed)."""
        lines = "".join(f"{i} {h} {self.mac(f'anchor {i} {h}'.encode())}\n" for i, h in entries)
        try:
            self.anchor.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.anchor, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, lines.encode())
            finally:
                os.close(descriptor)
        except OSError as error:
            log.error("could not anchor audit entries %s in %s: %s",
                      [i for i, _ in entries], self.anchor, error)

    def read(self) -> Anchor:
        """Return the anchored hashes; stop at the first line not signed with this key."""
        try:
            text = self.anchor.read_text()
        except FileNotFoundError:
            return Anchor()
        hashes: dict[int, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            parts = line.split()
            if (len(parts) != 3 or not parts[0].isdigit() or not hmac.compare_digest(
                    parts[2], self.mac(f"anchor {parts[0]} {parts[1]}".encode()))):
                return Anchor(hashes, bad_line=number)
            hashes[int(parts[0])] = parts[1]
        return Anchor(hashes)
