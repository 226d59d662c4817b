"""Run the embedded profile's agent worker in a child process, off the predictions' GIL.

An incident's run is Python work (the graph's nodes, the drift measure, a retrain, the
checkpointer, SQLAlchemy) that holds the GIL for tens of milliseconds to seconds: in the
serving process every prediction waits behind it. With twenty models, a burst of
incidents showed as stretches of slow rounds in the predictions' p99 (bench/models.py).
`medic up` therefore starts `medic worker`'s loop in one long-lived child: it claims
incidents, sweeps the verifying ones, delivers notifications and expires approvals,
exactly as a production worker process does.

The monitors' tick stays in the serving process, which alone counts the requests the
serving monitors read (its checks run in a child of their own). The parent nudges the
child when it stores work (a byte on the child's stdin) and, should the child die,
frees the incidents it held and starts another. Settings, secrets included, reach the
child on stdin only: never its command line or environment.
"""

import contextlib
import logging
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading

from core.settings import Settings
from services.processes.background import batch_priority, spawn

log = logging.getLogger(__name__)

RESTART_SECONDS = 5.0  # between a dead child and the next one


def build_worker(agent, medic, settings: Settings, *, monitor=None):
    """Return a worker over `agent` with the notification outbox and the periodic jobs.

    `monitor` is the monitors' scheduled checks (`services.monitors.run.scheduled`), or
    None where another process runs them.
    """
    from agent_graph.runtime import external_versions
    from agent_graph.runtime.worker import Worker
    from core.outbox import Outbox
    from services.reports import closed_incident_attachment

    worker = Worker(agent, poll_seconds=settings.worker_poll_seconds,
                    lease_seconds=settings.worker_lease_seconds,
                    outbox=Outbox.from_settings(agent.sessions, settings,
                                                attach=closed_incident_attachment(medic)),
                    monitor=monitor, jobs=[external_versions.job(agent, settings)])
    medic.worker, medic.on_work = worker, worker.nudge
    return worker


class WorkerProcess:
    """The agent worker in a child process: started, nudged, restarted when it dies, stopped."""

    def __init__(self, settings: Settings, sessions) -> None:
        """`sessions` is the app database's, to free what a dead child held."""
        self._settings, self._sessions = settings, sessions
        self._lock = threading.Lock()
        self._child: subprocess.Popen | None = None
        self._closing = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        """Return the child's process id, or None when none runs."""
        child = self._child
        return child.pid if child is not None else None

    def start(self) -> None:
        """Start the child, and a thread that starts another whenever it dies."""
        with self._lock:
            self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="agent-worker-watch",
                                         daemon=True)
        self._watcher.start()

    def nudge(self) -> None:
        """Have the child look for work now (a new incident, a decided approval)."""
        child = self._child
        if child is None:
            return
        with contextlib.suppress(OSError, ValueError):  # a full pipe already says "look";
            os.write(child.stdin.fileno(), b"\n")       # a dead child is being replaced

    def close(self, grace: float = 120.0) -> None:
        """Let the child finish the incident at hand (up to `grace` s), then stop it."""
        self._closing.set()
        with self._lock:
            child, self._child = self._child, None
        if child is not None:
            with contextlib.suppress(OSError):
                child.stdin.close()  # end of its input: it finishes, gives back, exits
            try:
                child.wait(grace)
            except subprocess.TimeoutExpired:
                log.error("agent worker (pid %d) still busy after %.0f s: killed", child.pid,
                          grace)
                child.kill()
                child.wait(10)
        if self._watcher is not None:
            self._watcher.join(10)

    def _spawn(self) -> None:
        child = spawn(__name__)
        child.stdin.write(pickle.dumps((self._settings, logging.getLogger().level)))
        child.stdin.flush()
        os.set_blocking(child.stdin.fileno(), False)  # a nudge never waits on the child
        self._child = child
        log.info("agent worker started (pid %d)", child.pid)

    def _watch(self) -> None:
        while not self._closing.is_set():
            child = self._child
            if child is None:
                return
            code = child.wait()
            if self._closing.is_set():
                return
            # exit code 0: stopped by a SIGTERM, often the server's own group being stopped
            (log.info if code == 0 else log.error)(
                "agent worker (pid %d) ended (exit code %s); its incidents are freed and "
                "another starts in %.0f s unless the server stops", child.pid, code,
                RESTART_SECONDS)
            self._free(child.pid)
            if self._closing.wait(RESTART_SECONDS):
                return
            with self._lock:
                if self._closing.is_set():
                    return
                self._spawn()

    def _free(self, pid: int) -> None:
        from core import work

        try:
            freed = work.abandon_leases(self._sessions,
                                        owner_prefix=f"{socket.gethostname()}:{pid}:")
        except Exception:  # the database is away: the leases run out by themselves
            log.warning("could not free the dead worker's incidents", exc_info=True)
            return
        if freed:
            log.warning("took over %d incident(s) the dead worker held", freed)


def _main() -> None:
    """Run the worker until stdin closes; each line read is a nudge."""
    from agent_graph.runtime.runner import open_agent
    from services.context import Medic

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it closes stdin
    batch_priority()
    os.dup2(2, 1)  # what a library prints goes to the log
    try:
        settings, level = pickle.load(sys.stdin.buffer)
    except (EOFError, pickle.UnpicklingError, OSError):  # the parent died first
        return
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    with open_agent(settings) as agent:
        worker = build_worker(agent, Medic.over(agent, settings), settings)
        worker.start()
        log.info("agent worker ready (pid %d)", os.getpid())
        signal.signal(signal.SIGTERM, _stop)  # the whole group stopped (systemd): finish, end
        try:
            while sys.stdin.buffer.readline():  # b"" at the end: the parent closed it, or died
                worker.nudge()
        except _Stopped:
            log.info("agent worker (pid %d): stopped by SIGTERM", os.getpid())
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one: already stopping
            worker.close()  # the incident at hand is finished; one leased ahead given back


class _Stopped(Exception):
    """SIGTERM arrived: stop reading nudges."""


def _stop(_signum, _frame) -> None:
    raise _Stopped


if __name__ == "__main__":
    _main()
