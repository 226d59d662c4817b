"""Render HTML to PDF with WeasyPrint in a warm child process, with a wall-time and a memory cap.

The caps hold for every document: the child is killed when one passes the time cap, and one
that hits the memory cap in a child that had rendered before is tried once more in a fresh
child (what a warm child holds must not count against the document).
"""

import logging
import signal

from core.errors import ReportError
from services.reports.renderer import Died, TimedOut, pool

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60.0
MEMORY_MB = 1024


def to_pdf(html: str, *, timeout: float = TIMEOUT_SECONDS, memory_mb: int = MEMORY_MB) -> bytes:
    """Return the PDF for `html`; raise ReportError if the child is too slow, too big or fails."""
    document = html.encode("utf-8")
    for fresh_only in (False, True):
        child = pool.take(memory_mb, fresh=fresh_only)
        fresh = child.renders == 0
        try:
            status, body = child.render(document, timeout=timeout)
        except TimedOut as error:
            raise ReportError(f"the report took longer than {timeout:g} s to render; "
                              "it was stopped") from error
        except Died as died:
            if fresh or died.returncode == 3 or "MemoryError" in died.last:
                return _failed(died.returncode, died.last, memory_mb)
            continue  # a warm child that died between documents: start another
        finally:
            pool.give_back(child)
        if status == b"P" and body.startswith(b"%PDF"):
            return body
        if status == b"M" and not fresh:
            continue  # what the warm child held may have counted: once more, fresh
        return _failed(3 if status == b"M" else 1, body.decode("utf-8", "replace"), memory_mb)
    raise AssertionError("unreachable: the second try is in a fresh child")


def warm_up(memory_mb: int = MEMORY_MB) -> None:
    """Start a renderer child now (it loads WeasyPrint meanwhile), unless one is idle."""
    pool.start(memory_mb)


CRASHES = {-signal.SIGSEGV: "SIGSEGV", -signal.SIGBUS: "SIGBUS", -signal.SIGABRT: "SIGABRT",
           -signal.SIGTRAP: "SIGTRAP"}
"""Deaths a C library (cairo, pixman, Pango) meets when an allocation fails under the cap.

GLib ends the process with SIGTRAP on a fatal error, such as a thread Pango cannot start
because its stack cannot be mapped under the cap ("Error creating thread: Resource
temporarily unavailable", seen once in CI on an image bomb)."""


def _failed(code: int | None, last: str, memory_mb: int) -> bytes:
    """Raise the ReportError a failed render means."""
    if code == 3 or "MemoryError" in last:
        raise ReportError(f"the report needs more than {memory_mb} MB to render; "
                          "it was stopped")
    if code in CRASHES:  # Python raises MemoryError at the cap; C code may crash instead
        raise ReportError(f"the report likely needs more than {memory_mb} MB to render: the "
                          f"renderer died of {CRASHES[code]} under that cap; it was stopped")
    log.warning("PDF renderer exited with %s: %s", code, last[:300])
    raise ReportError(f"the PDF renderer failed (exit {code})")
