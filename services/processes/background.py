"""Run periodic jobs in a long-lived child process that the caller's ticks feed and watch.

A job that crunches data (the monitors' checks) holds the GIL while it runs; in the
serving process every request would wait behind it. A child interpreter runs it instead
(at normal priority: niced, it starved on a saturated machine and the checks fell
minutes behind), and the tick that hands it a job returns at once: later ticks
read its answer, or kill it once the job has run past its timeout (the next job starts a
new child), so a crashed or hung job never stops the caller. The child lives on between
jobs, so imports and caches (the monitors' reference) are paid once, not every interval.

Jobs reach the child pickled through its stdin (settings with their secrets: never its
command line or environment); it answers one line per job on a pipe of its own.
"""

import contextlib
import logging
import os
import pickle
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


def batch_priority() -> None:
    """Mark this process's CPU work as batch work (Linux `SCHED_BATCH`, same nice level).

    It keeps its fair share of the CPU, so it never starves (a niced checks child fell
    minutes behind on a saturated machine), but does not preempt a serving process that
    wakes for a request: on a shared core a prediction waits less behind it.
    """
    with contextlib.suppress(AttributeError, OSError):  # not Linux: normal scheduling
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))


def spawn(module: str) -> subprocess.Popen:
    """Start `python -m module` with pipes for its stdin and stdout.

    With this process's import path, and not the working folder (-P): a `services` folder
    there (the tests' own) must not stand in for this package.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.Popen([sys.executable, "-P", "-m", module], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


class ChildJob:
    """Run `target(*args)` in the child, one job at a time; kill a job past `timeout` s."""

    def __init__(self, name: str, target: Callable[..., None], *, timeout: float) -> None:
        self._name, self._target, self._timeout = name, target, timeout
        self._process: subprocess.Popen | None = None
        self._sent: float | None = None  # when the job under way was handed over
        self.last_answer: str | None = None
        """How the last job ended: "ok", its error's name, or "" when the child died."""

    @property
    def pid(self) -> int | None:
        """Return the child's process id, or None when no child is alive."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """Return whether a job is under way; note its answer, or kill it when late."""
        if self._sent is None or self._answered(0):
            return False
        if time.monotonic() - self._sent <= self._timeout:
            return True
        log.error("%s killed (pid %d): still running after %.0f s", self._name, self.pid,
                  self._timeout)
        self._stop(grace=0)
        return False

    def start(self, *args) -> None:
        """Hand the child `target(*args)`, starting a child first if none is alive."""
        if self.running:
            raise RuntimeError(f"{self._name} is already running")
        if self._process is not None and self._process.poll() is not None:
            log.warning("%s: the child ended between jobs (exit code %s); starting another",
                        self._name, self._process.returncode)
            self._stop(grace=0)
        if self._process is None:
            self._process = spawn(__name__)
        self._sent = time.monotonic()
        try:
            self._process.stdin.write(pickle.dumps((self._target, args)))
            self._process.stdin.flush()
        except OSError:  # the child died since its last job: its answer says how
            self._answered(5)

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the job under way; return whether none runs."""
        if self._sent is not None:
            self._answered(timeout)
        return not self.running

    def close(self, grace: float = 5.0) -> None:
        """Let a job under way finish for `grace` seconds, then stop the child."""
        if self._process is not None:
            self._stop(grace=grace)

    def _answered(self, timeout: float) -> bool:
        out = self._process.stdout
        if not select.select([out], [], [], timeout)[0]:
            return False
        answer = os.read(out.fileno(), 256).decode(errors="replace").strip()
        seconds, self._sent, self.last_answer = time.monotonic() - self._sent, None, answer
        if answer == "ok":
            log.info("%s done in %.1f s", self._name, seconds)
        elif answer:
            log.warning("%s failed after %.1f s (%s; the child's log says why)", self._name,
                        seconds, answer)
        else:  # end of file: the child is gone
            log.warning("%s: the child ended (exit code %s) after %.1f s", self._name,
                        self._process.wait(10), seconds)
            self._process = None
        return True

    def _stop(self, *, grace: float) -> None:
        process, self._process, self._sent = self._process, None, None
        process.stdin.close()  # end of its input: an idle child exits
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.stdout.close()


def _main() -> None:
    """Run jobs from stdin until it closes; answer each on the original stdout.

    When the parent is gone (its end of stdin closed, or of the answers' pipe: a write
    fails with a broken pipe) the child ends quietly: nobody is left to answer.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it closes stdin
    batch_priority()
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # what a library prints goes to the log, not into the answers
    while True:
        try:
            target, args = pickle.load(sys.stdin.buffer)
        except (EOFError, pickle.UnpicklingError, OSError):  # the parent closed it, or died
            return                                            # in the middle of a job
        try:
            target(*args)
        except Exception as error:  # one failed job; the child stays for the next one
            log.error("job failed", exc_info=True)
            answer = f"{type(error).__name__}\n".encode()
        else:
            answer = b"ok\n"
        try:
            answers.write(answer)
        except OSError:  # a broken pipe: the parent is gone
            log.warning("the parent is gone: background child (pid %d) exits", os.getpid())
            return


if __name__ == "__main__":
    _main()
