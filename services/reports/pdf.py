"""Render HTML to PDF with WeasyPrint in a child process with a wall-time and a memory cap."""

import logging
import subprocess
import sys
from pathlib import Path

from core.errors import ReportError

log = logging.getLogger(__name__)

CHILD = Path(__file__).with_name("_pdf_child.py")
TIMEOUT_SECONDS = 60.0
MEMORY_MB = 1024


def to_pdf(html: str, *, timeout: float = TIMEOUT_SECONDS, memory_mb: int = MEMORY_MB) -> bytes:
    """Return the PDF for `html`; raise ReportError if the child is too slow, too big or fails."""
    try:
        done = subprocess.run([sys.executable, str(CHILD), str(memory_mb)],
                              input=html.encode("utf-8"), capture_output=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired as error:  # run() has killed the child
        raise ReportError(f"the report took longer than {timeout:g} s to render; "
                          "it was stopped") from error
    if done.returncode == 3 or b"MemoryError" in done.stderr:
        raise ReportError(f"the report needs more than {memory_mb} MB to render; "
                          "it was stopped")
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        log.warning("PDF renderer exited with %s: %s", done.returncode, last[:300])
        raise ReportError(f"the PDF renderer failed (exit {done.returncode})")
    return done.stdout
