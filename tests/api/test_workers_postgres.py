"""Production topology on PostgreSQL: an API that only stores, two `medic worker` processes.

Kill -9 the worker in the middle of an approved retrain: the other worker takes the
incident over when the lease expires, and nothing is left hanging or done twice.
"""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
from sqlalchemy import select

from api.security import sign
from core.settings import PROJECT_ROOT
from core.tables import ActionRun, AgentWork, Incident
from tests.api.conftest import SECRET, api_settings, role_keys
from tests.conftest import DATA, HEART
from tests.processes import wait_for


def start_worker(env, log):
    return subprocess.Popen([sys.executable, "-m", "cli", "--verbose", "worker"],
                            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_killed_worker_hands_its_incident_to_the_other(trained, postgres_url):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from core.clock import utcnow
    from core.db import connect
    from ml.data import load_site
    from tests.ml.conftest import log_traffic

    settings = api_settings(trained[0].home, database_url=postgres_url, run_worker=False)
    made = role_keys(settings)
    evidence = settings.home / "evidence"
    evidence.mkdir(exist_ok=True)
    shutil.copy(DATA / "processed.va.data", evidence / "va.csv")
    sessions = connect(postgres_url)
    # labelled production traffic, so that the approved retrain has something to fit
    log_traffic(sessions, load_site(DATA, "va", HEART), start=utcnow(), version="2")
    env = {**os.environ, "MEDIC_HOME": str(settings.home), "MEDIC_DATABASE_URL": postgres_url,
           "MEDIC_WORKER_LEASE_SECONDS": "6", "MEDIC_WORKER_POLL_SECONDS": "0.2"}
    logs = [open(settings.home / f"worker-{i}.log", "w+b") for i in range(2)]  # noqa: SIM115
    workers = [start_worker(env, log) for log in logs]
    try:
        with TestClient(create_app(settings)) as api:
            assert api.app.state.root.worker is None  # this replica only stores
            body = json.dumps({"name": "FeatureDrift", "type": "drift",
                               "evidence": {"data_path": str(evidence / "va.csv")}}).encode()
            sent = api.post("/v1/alerts", content=body,
                            headers={**sign(SECRET, body), "content-type": "application/json"})
            incident_id = sent.json()["incidents"][0]["incident_id"]
            viewer = {"X-API-Key": made["viewer"]}
            [pending] = wait_for(lambda: api.get("/v1/approvals", headers=viewer).json(),
                                 timeout=180, what="a worker to ask for approval")
            api.post(f"/v1/approvals/{pending['id']}/approve",
                     headers={"X-API-Key": made["approver"]})

            def retrain_owner():
                with sessions() as session:
                    running = session.scalar(select(ActionRun.status).where(
                        ActionRun.tool == "retrain")) == "running"
                    owner = session.get(AgentWork, incident_id, populate_existing=True).owner
                return owner if running and owner else None

            owner = wait_for(retrain_owner, timeout=120, what="a worker to start the retrain")
            pid = int(owner.split(":")[1])
            victim = next(w for w in workers if w.pid == pid)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)

            def settled():
                with sessions() as session:
                    found = session.get(Incident, incident_id, populate_existing=True)
                    waiting = ("open", "awaiting_approval", "remediating")
                    return found.state if found.state not in waiting else None

            settled_as = wait_for(settled, timeout=120, what="the other worker to take over")
            assert settled_as == "escalated"

            def released():
                with sessions() as session:
                    work = session.get(AgentWork, incident_id, populate_existing=True)
                    return work.owner is None and work.done == work.wakes

            wait_for(released, timeout=30, what="the lease to be released")
            with sessions() as session:
                runs = session.scalars(select(ActionRun)).all()
            assert [(r.tool, r.status) for r in runs] == [("retrain", "interrupted")]
            assert api.get("/v1/audit", headers=viewer).json()["verified"]["ok"]
    except BaseException:
        for log in logs:  # what each worker said, to see why a take-over did not happen
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-3000:])
        raise
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
