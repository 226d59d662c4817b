"""Key the audit chain and anchor its entries in a signed, chained file outside the database.

The key and the anchor file live in Medic's home, never in the database: someone who can
write the database can neither compute a valid entry hash nor move the anchored head back.
Each anchor line is `id hash mac`, where mac is the keyed HMAC of
`anchor2 <mac of the line before> id hash` ("" before the first line): a line cannot be
edited, dropped from the head or the middle, or moved, without the next line's mac failing.
Writers in several processes append under an exclusive lock on the file (read the last
line's mac, write the new lines in one `write`), so the chain of lines stays one sequence;
lines may still arrive out of id order, and verify reads them as claims ("entry N existed
with this hash"). Lines from before the chaining (mac of `anchor id hash` alone) are
accepted at the head of the file only; the first chained line covers the last of them.
"""

import fcntl
import hmac
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

log = logging.getLogger(__name__)

TAIL_BYTES = 4096  # far more than one line: the last line is found in it


@dataclass(frozen=True)
class Anchor:
    """What the anchor file claims: entry id -> hash, and the first line that lies."""

    hashes: dict[int, str] = field(default_factory=dict)
    bad_line: int | None = None
    exists: bool = True


@dataclass(frozen=True)
class Seal:
    """The audit key and the anchor file; open the database's sessions with one.

    `complete`: every process that writes this chain anchors in this one file (the
    embedded default), so a keyed entry missing from it means the file was cut. Replicas
    that anchor separately (the production profile) each cover only what they wrote.
    """

    key: SecretStr
    anchor: Path
    complete: bool = True

    @classmethod
    def of(cls, settings) -> "Seal":
        """Build the seal from the settings' audit key, anchor path and profile."""
        return cls(settings.audit_key, Path(settings.audit_anchor),
                   complete=settings.profile == "embedded")

    def mac(self, message: bytes) -> str:
        """Return the hex HMAC-SHA256 of the message under the audit key."""
        return hmac.digest(self.key.get_secret_value().encode(), message, "sha256").hex()

    def line_mac(self, previous: str, entry_id: int, digest: str) -> str:
        """Return the mac of an anchor line chained to the line before it."""
        return self.mac(f"anchor2 {previous} {entry_id} {digest}".encode())

    def append(self, entries: list[tuple[int, str]]) -> None:
        """Anchor committed entries; a failure is logged, never raised (they are committed)."""
        try:
            self.anchor.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(self.anchor, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)  # released when closed
                previous, lines = _last_mac(descriptor), []
                for entry_id, digest in entries:
                    previous = self.line_mac(previous, entry_id, digest)
                    lines.append(f"{entry_id} {digest} {previous}\n")
                os.write(descriptor, "".join(lines).encode())
            finally:
                os.close(descriptor)
        except OSError as error:
            log.error("could not anchor audit entries %s in %s: %s",
                      [i for i, _ in entries], self.anchor, error)

    def read(self) -> Anchor:
        """Return the anchored hashes; stop at the first line not signed in sequence."""
        try:
            text = self.anchor.read_text()
        except FileNotFoundError:
            return Anchor(exists=False)
        hashes: dict[int, str] = {}
        previous, chained = "", False
        for number, line in enumerate(text.splitlines(), start=1):
            parts = line.split()
            if len(parts) != 3 or not parts[0].isdigit():
                return Anchor(hashes, bad_line=number)
            entry_id, digest, mac = parts
            if hmac.compare_digest(mac, self.line_mac(previous, int(entry_id), digest)):
                chained = True
            elif chained or not hmac.compare_digest(
                    mac, self.mac(f"anchor {entry_id} {digest}".encode())):  # before chaining
                return Anchor(hashes, bad_line=number)
            hashes[int(entry_id)], previous = digest, mac
        return Anchor(hashes)


def _last_mac(descriptor: int) -> str:
    """Return the mac ending the file's last line ("" for an empty file)."""
    size = os.fstat(descriptor).st_size
    tail = os.pread(descriptor, min(size, TAIL_BYTES), max(0, size - TAIL_BYTES))
    lines = tail.decode(errors="replace").split()
    return lines[-1] if lines else ""
