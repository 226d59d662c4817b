"""Keep warm PDF renderer children per process: started on first use, reused, replaced.

Each child (`_pdf_child.py`) imports WeasyPrint and loads its fonts once, under its
address-space cap, then renders one document per request. A child that passes the time cap
is killed; one that hits the memory cap, fails, dies or has rendered its share exits, and
the next document starts another. At most `keep` idle children wait per process (the
gate's renderers), and none outlives the process: they are stopped at exit, and one whose
parent died reads the end of its input and exits.
"""

import atexit
import contextlib
import logging
import os
import selectors
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

CHILD = Path(__file__).with_name("_pdf_child.py")


class TimedOut(Exception):
    """The child did not answer within the time cap (it was killed)."""


class Died(Exception):
    """The child ended without an answer; `returncode` and the end of its log say how."""

    def __init__(self, returncode: int | None, last: str) -> None:
        super().__init__(f"exit {returncode}: {last}")
        self.returncode, self.last = returncode, last


class Child:
    """One renderer process under a memory cap; `render` sends a document, awaits the PDF."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb, self.renders, self.retired = memory_mb, 0, False
        self._log = tempfile.TemporaryFile()
        # One malloc arena: each thread's own arena reserves 64 MB or more of address space
        # (a fresh child sat at 223 MB of its 300 MB cap with them, 92 MB without), and a
        # thread Pango starts mid-render could then not be created under the cap (GLib ends
        # the process: SIGTRAP, seen in CI). The cap should measure what a document needs.
        self.process = subprocess.Popen(
            [sys.executable, "-P", str(CHILD), str(memory_mb)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._log,
            env={**os.environ, "MALLOC_ARENA_MAX": "1"})

    @property
    def pid(self) -> int:
        return self.process.pid

    def render(self, html: bytes, *, timeout: float) -> tuple[bytes, bytes]:
        """Return (status, body) for one document; raise TimedOut or Died."""
        deadline = time.monotonic() + timeout
        self.renders += 1
        try:
            answer = _exchange(self.process, struct.pack(">I", len(html)) + html, deadline)
        except TimedOut:
            self.stop(grace=0)
            raise
        if answer is None:
            last = self.last_log_line()
            self.stop(grace=1)
            raise Died(self.process.returncode, last)
        status, retire, body = answer
        self.retired = retire or status != b"P"
        return status, body

    def last_log_line(self) -> str:
        """Return the last line the child wrote to its log (or 'no output')."""
        self._log.seek(0)
        lines = self._log.read()[-4096:].decode("utf-8", "replace").strip().splitlines()
        return (lines or ["no output"])[-1][:300]

    def stop(self, grace: float = 2.0) -> None:
        """End the child: close its input (it exits), kill it after `grace` s."""
        self.retired = True
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        with contextlib.suppress(OSError, ValueError):
            self.process.stdout.close()
        self._log.close()


class Pool:
    """Idle children by memory cap, at most `keep` of them; every live child, to stop at exit."""

    def __init__(self, keep: int = 2) -> None:
        self.keep = keep
        self._lock = threading.Lock()
        self._idle: list[Child] = []
        self._live: set[Child] = set()
        self._at_exit = False

    def take(self, memory_mb: int, *, fresh: bool = False) -> Child:
        """Return an idle child with this cap (unless `fresh`), or start one."""
        with self._lock:
            dead = [c for c in self._idle if c.process.poll() is not None]
            self._idle = [c for c in self._idle if c not in dead]
            self._live.difference_update(dead)
            found = next((c for c in reversed(self._idle)
                          if c.memory_mb == memory_mb and not fresh), None)
            if found is not None:
                self._idle.remove(found)
            if not self._at_exit:
                atexit.register(self.close)
                self._at_exit = True
        for child in dead:
            log.warning("PDF renderer (pid %d) ended while idle (exit %s): %s", child.pid,
                        child.process.returncode, child.last_log_line())
            child.stop(grace=0)
        if found is not None:
            return found
        child = Child(memory_mb)
        log.info("PDF renderer started (pid %d, %d MB cap)", child.pid, memory_mb)
        with self._lock:
            self._live.add(child)
        return child

    def start(self, memory_mb: int) -> None:
        """Start a child now, so it imports WeasyPrint while this process does other work."""
        with self._lock:
            if any(c.memory_mb == memory_mb for c in self._idle):
                return
        self.give_back(self.take(memory_mb, fresh=True))

    def give_back(self, child: Child) -> None:
        """Keep a healthy child for the next document; stop it if retired or not needed."""
        with self._lock:
            keep = not child.retired and child.process.poll() is None
            if keep:
                self._idle.append(child)
                spare = self._idle[:-self.keep] if len(self._idle) > self.keep else []
                self._idle = self._idle[len(spare):]
            else:
                spare = [child]
            for stopped in spare:
                self._live.discard(stopped)
        for stopped in spare:
            stopped.stop()

    def pids(self) -> list[int]:
        """Return the process ids of the children alive now (idle or rendering)."""
        with self._lock:
            return sorted(c.pid for c in self._live if c.process.poll() is None)

    def close(self) -> None:
        """Stop every child (at exit, or when the service shuts down)."""
        with self._lock:
            children, self._live, self._idle = list(self._live), set(), []
        for child in children:
            child.stop(grace=1 if child.renders else 0)  # one that never rendered holds nothing

    def forget(self) -> None:
        """Drop a forked parent's children without stopping them (they are not ours)."""
        for child in self._live:
            for pipe in (child.process.stdin, child.process.stdout):
                with contextlib.suppress(OSError, ValueError):
                    pipe.close()
        self._lock = threading.Lock()
        self._live, self._idle = set(), []


def _exchange(process: subprocess.Popen, request: bytes,
              deadline: float) -> tuple[bytes, bool, bytes] | None:
    """Write `request`, read one answer, both before `deadline`; None if the child ended."""
    received = bytearray()
    sending = memoryview(request)
    with selectors.DefaultSelector() as selector:
        os.set_blocking(process.stdin.fileno(), False)
        selector.register(process.stdin, selectors.EVENT_WRITE)
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut
            for key, _ in selector.select(left):
                if key.fileobj is process.stdin:
                    try:
                        sending = sending[os.write(process.stdin.fileno(), sending[:65536]):]
                    except BrokenPipeError:
                        sending = sending[:0]  # it died: its output says how
                    if not sending:
                        selector.unregister(process.stdin)
                    continue
                chunk = os.read(process.stdout.fileno(), 1 << 20)
                if not chunk:
                    return None
                received += chunk
                if len(received) >= 6:
                    need = 6 + struct.unpack(">I", received[2:6])[0]
                    if len(received) >= need:
                        return bytes(received[:1]), received[1:2] == b"1", bytes(received[6:need])


pool = Pool()
os.register_at_fork(after_in_child=pool.forget)
