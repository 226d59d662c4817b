"""Store alert payloads in a child process, so ingestion never holds the serving GIL.

Storing alerts is Python work (reading incidents, deciding each alert, building the audit
entries, SQLAlchemy) that runs for milliseconds per payload while holding the GIL. In the
serving process every prediction waits behind it: during a burst of alerts the
predictions' p99 rose from ~5 ms to 20–30 ms (bench/ingest.py). Here the API process
keeps what belongs to HTTP (reading the body, checking the signature, the rate limits)
and hands each body to one long-lived child, which reads, parses and stores it exactly
as in-process ingestion does (`services.alerts.store_body`: all or nothing, grouped with
the payloads sent meanwhile).

Payloads and answers are pickled through the child's stdin and stdout, tagged with a
number. A child that ends or stops answering never leaves a caller hanging: every
payload it holds is answered 503, the child is killed if it still runs, and the next
payload starts another. What it had not committed is rolled back; a payload committed
just before it died is answered 503 too, and sent again joins its incident (a signed one
is refused as a replay). Settings, secrets
included, reach it on stdin only: never its command line or environment.
"""

import asyncio
import contextlib
import itertools
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from core.errors import MedicError, Unavailable
from core.ingest import Ingested
from core.settings import Settings
from services.processes.background import spawn

log = logging.getLogger(__name__)

CALLERS = 64  # payloads the child stores at once


class IntakeProcess:
    """Store webhook bodies in a child process; `store` is awaited until its own is stored.

    Awaited on the API's event loop: the caller only queues its body for the writer
    thread (a pipe to a hung child could block a write, never the loop) and waits for
    its answer, which the reader thread hands back.
    """

    def __init__(self, settings: Settings, *, timeout: float = 60.0) -> None:
        self._settings, self.timeout = settings, timeout
        self._lock = threading.Lock()  # the child and the pending table
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()  # (child, bytes), or None
        self._writer: threading.Thread | None = None
        self._child: subprocess.Popen | None = None
        self._pending: dict[int, asyncio.Future] = {}
        self._numbers = itertools.count(1)

    @property
    def pid(self) -> int | None:
        """Return the child's process id, or None when none runs."""
        child = self._child
        return child.pid if child is not None else None

    def start(self) -> None:
        """Start the child now, so the first payload does not wait for its imports."""
        with self._lock:
            self._ensure_child()

    async def store(self, body: bytes, *, format: str,
                    signature: str | None) -> list[Ingested]:
        """Store a webhook body's alerts all or nothing (in the child); return where each went.

        The child reads and parses the body too: that is most of the Python work per alert.
        """
        answer = asyncio.get_running_loop().create_future()
        with self._lock:
            child = self._ensure_child()
            number = next(self._numbers)
            self._pending[number] = answer
        self._outbox.put((child, pickle.dumps((number, body, format, signature))))
        try:
            return await asyncio.wait_for(asyncio.shield(answer), self.timeout)
        except TimeoutError:
            self._replace(child, f"did not answer in {self.timeout:.0f} s")
            return await answer  # answered 503 by the replacement

    def close(self, grace: float = 10.0) -> None:
        """Let the child store what it holds, then stop it."""
        with self._lock:
            child, self._child = self._child, None
            writer, self._writer = self._writer, None
        if writer is not None:
            self._outbox.put(None)  # after what is queued: then the child's input ends
            writer.join(grace)
        if child is None:
            return
        with contextlib.suppress(OSError):
            child.stdin.close()  # end of its input: it finishes what it holds, then exits
        try:
            child.wait(grace)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)

    def _write(self) -> None:
        """Write queued bodies to the child they were meant for, in order, until told to stop."""
        while (item := self._outbox.get()) is not None:
            child, message = item
            try:
                child.stdin.write(message)
                child.stdin.flush()
            except (OSError, ValueError):  # it died or was replaced: its callers get 503
                pass

    def _ensure_child(self) -> subprocess.Popen:
        if self._child is None:
            child = spawn(__name__)
            child.stdin.write(pickle.dumps(self._settings))
            child.stdin.flush()
            threading.Thread(target=self._read, args=(child,), name="intake-reader",
                             daemon=True).start()
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name="intake-writer",
                                                daemon=True)
                self._writer.start()
            self._child = child
            log.info("alert intake started (pid %d)", child.pid)
        return self._child

    def _read(self, child: subprocess.Popen) -> None:
        """Hand each answer to its caller; when the child's output ends, fail the rest."""
        while True:
            try:
                number, stored, error = pickle.load(child.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                break
            with self._lock:
                answer = self._pending.pop(number, None)
            if answer is not None:
                _answer(answer, stored, _rebuilt(error))
        self._replace(child, f"ended (exit code {child.wait()})")

    def _replace(self, child: subprocess.Popen, why: str) -> None:
        """Stop `child` if still current; answer 503 to every payload it held."""
        with self._lock:
            if self._child is not child:
                return  # already replaced
            self._child, held, self._pending = None, self._pending, {}
        if child.poll() is None:
            child.kill()
        if held or child.returncode not in (0, -signal.SIGKILL):
            log.error("alert intake (pid %d) %s; %d payload(s) not stored, answered 503",
                      child.pid, why, len(held))
        for answer in held.values():
            _answer(answer, None, Unavailable("alert intake restarted before this payload "
                                               "was stored; send it again"))


def _answer(answer: asyncio.Future, stored: list[Ingested] | None,
            error: Exception | None) -> None:
    """Settle a caller's future from any thread, on its own event loop."""
    def settle() -> None:
        if not answer.done():
            if error is not None:
                answer.set_exception(error)
            else:
                answer.set_result(stored)

    with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
        answer.get_loop().call_soon_threadsafe(settle)


def _rebuilt(error: tuple[type | None, str] | None) -> Exception | None:
    """Return the child's error as the caller would have seen it in-process."""
    if error is None:
        return None
    kind, message = error
    if kind is None:  # not one of Medic's: a 500, as it would have been here
        return RuntimeError(message)
    try:
        return kind(message)
    except TypeError:  # an error with arguments of its own: keep its kind's message
        return MedicError(message)


def _main() -> None:
    """Store payloads from stdin until it closes; answer each on the original stdout."""
    from services.alerts import store_body
    from services.context import open_medic

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it closes stdin
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what a library prints goes to the log, not into the answers
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    writing = threading.Lock()
    try:
        settings = pickle.load(sys.stdin.buffer)
    except (EOFError, pickle.UnpicklingError, OSError):  # the API process died first
        return

    def store(medic, number: int, body: bytes, format: str, signature: str | None) -> None:
        stored, error = None, None
        try:
            stored = store_body(medic, body, format=format, signature=signature)
        except MedicError as failure:  # the caller's 4xx: its kind and one-line message
            error = (type(failure), str(failure))
        except Exception:  # a 500: the traceback stays in this log, never in the answer
            log.error("storing a payload failed", exc_info=True)
            error = (None, "alert intake: the payload could not be stored (see its log)")
        with writing:
            try:
                answers.write(pickle.dumps((number, stored, error)))
                answers.flush()
            except OSError:  # a broken pipe: the API process is gone, nobody waits for it
                log.warning("the API process is gone: payload %d was %s, its answer is "
                            "lost", number, "not stored" if error else "stored")

    try:
        with open_medic(settings) as medic, ThreadPoolExecutor(CALLERS) as pool:
            while True:
                try:
                    number, *request = pickle.load(sys.stdin.buffer)
                except (EOFError, pickle.UnpicklingError, OSError):  # closed, or the API
                    return  # process died mid-payload; the pool finishes what it holds
                pool.submit(store, medic, number, *request)
    finally:
        with contextlib.suppress(OSError):  # answers left unsent: the API process is gone
            answers.close()


if __name__ == "__main__":
    _main()
