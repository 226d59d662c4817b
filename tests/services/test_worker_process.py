"""`medic up`'s agent worker in a child process: it handles what the server stores, a child
that dies is replaced and the incidents it held are freed, and closing ends it."""

import os
import signal
import socket
from datetime import timedelta

import pytest

from core import work
from core.clock import utcnow
from core.tables import Incident
from services import alerts
from services.context import open_medic
from services.processes.agent_worker import WorkerProcess
from tests.processes import wait_for


def _drift(name: str) -> dict:
    return {"name": name, "type": "drift", "values": {"drift_share": 0.6}}


def _state(medic, incident_id: int) -> str:
    with medic.sessions() as session:
        return session.get(Incident, incident_id).state


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_the_child_handles_stored_incidents_and_one_that_dies_is_replaced(trained, capfd):
    settings = trained[0]
    with open_medic(settings) as medic:
        child = WorkerProcess(settings, medic.sessions)
        medic.on_work = child.nudge  # as `medic up` does: storing an alert nudges the child
        child.start()
        try:
            first = alerts.submit(medic, _drift("drift-a")).incidents[0].incident_id
            wait_for(lambda: _state(medic, first) != "open", timeout=120,
                     what="the child to handle the first incident")
            pid = child.pid
            assert pid is not None and pid != os.getpid()

            os.kill(pid, signal.SIGKILL)
            wait_for(lambda: child.pid not in (None, pid), timeout=60,
                     what="another child to start")
            second = alerts.submit(medic, _drift("drift-b")).incidents[0].incident_id
            wait_for(lambda: _state(medic, second) != "open", timeout=120,
                     what="the new child to handle the second incident")
            replacement = child.pid

            os.kill(replacement, signal.SIGTERM)  # as systemd stops the whole group
            wait_for(lambda: child.pid not in (None, replacement), timeout=60,
                     what="a child after the SIGTERM'd one")
            third = child.pid
        finally:
            child.close(grace=60)
    assert not any(map(_alive, (pid, replacement, third)))  # closing ended it: no orphan
    said = capfd.readouterr().err  # the children's stderr (and, under xdist, stray logging
    assert "_Stopped" not in said and "Exception ignored" not in said  # errors of this one)
    # a SIGTERM ends the child cleanly: the exception its handler raises never escapes


def test_a_dead_childs_leases_are_freed_and_no_others(settings):
    host = socket.gethostname()
    with open_medic(settings) as medic:
        stored = alerts.submit(medic, [_drift("drift-a"), _drift("drift-b")]).incidents
        now = utcnow()
        held = [work.claim(medic.sessions, owner=f"{host}:{pid}:0a1b2c3d", lease_seconds=60,
                           now=now).incident_id for pid in (4242, 42)]
        assert sorted(held) == sorted(i.incident_id for i in stored)

        assert work.abandon_leases(medic.sessions, owner_prefix=f"{host}:4242:") == 1
        # the dead child's incident is due again at once; the live one's stays leased
        again = work.claim(medic.sessions, owner="next", lease_seconds=60,
                           now=now + timedelta(seconds=1))
        assert again is not None and again.incident_id == held[0]
        assert work.claim(medic.sessions, owner="next", lease_seconds=60,
                          now=now + timedelta(seconds=1)) is None
