"""Over real HTTP: kill -9 the server while an approved retrain runs; nothing is left hanging."""

import json
import shutil
import signal

import pytest
from sqlalchemy import select

from api.security import sign
from core.tables import ActionRun, Incident, Notification
from tests.api.conftest import SECRET, TOKEN, api_settings, role_keys
from tests.conftest import DATA, HEART
from tests.processes import free_port, local, log_of, start_medic, wait_for


def start(settings, port):
    return start_medic(settings.home, port=port, env={
        "MEDIC_WEBHOOK_SECRET": SECRET, "MEDIC_ALERTMANAGER_TOKEN": TOKEN,
        "MEDIC_WORKER_POLL_SECONDS": "0.2"})


@pytest.mark.slow
def test_item2_crash_during_an_approved_retrain_is_escalated_not_stuck(trained):
    from core.clock import utcnow
    from core.db import connect
    from ml.data import load_site
    from tests.ml.conftest import log_traffic

    settings = api_settings(trained[0].home)
    made = role_keys(settings)
    evidence = settings.home / "evidence"
    evidence.mkdir(exist_ok=True)
    shutil.copy(DATA / "processed.va.data", evidence / "va.csv")
    sessions = connect(settings.database_url)
    # labelled production traffic, so that the approved retrain has something to fit
    log_traffic(sessions, load_site(DATA, "va", HEART), start=utcnow(), version="2")
    port = free_port()
    process, url = start(settings, port)
    try:
        body = json.dumps({"name": "FeatureDrift", "type": "drift",
                           "evidence": {"data_path": str(evidence / "va.csv")}}).encode()
        sent = local.post(url + "/v1/alerts", content=body, timeout=30,
                          headers={**sign(SECRET, body), "content-type": "application/json"})
        incident_id = sent.json()["incidents"][0]["incident_id"]
        viewer, approver = {"X-API-Key": made["viewer"]}, {"X-API-Key": made["approver"]}
        [pending] = wait_for(lambda: local.get(url + "/v1/approvals", headers=viewer,
                                               timeout=30).json(),
                             timeout=120, what="the approval", logs=[log_of(settings.home)])
        assert pending["actions"][0]["tool"] == "retrain"
        local.post(f"{url}/v1/approvals/{pending['id']}/approve", headers=approver, timeout=30)

        def retrain_claimed():  # a durable fact: the row stays whatever the run's status
            with sessions() as session:
                return session.scalar(select(ActionRun.id).where(ActionRun.tool == "retrain"))

        run_id = wait_for(retrain_claimed, timeout=60, what="the retrain to start",
                          logs=[log_of(settings.home)], every=0.05)
        process.send_signal(signal.SIGKILL)  # mid-retrain: no clean shutdown
        process.wait(timeout=30)
        with sessions() as session:  # as the killed process left it (fitting takes seconds)
            assert session.get(ActionRun, run_id).status == "running", \
                "the retrain ended before the kill: nothing was interrupted"
        process, url = start(settings, port)

        def settled():
            with sessions() as session:
                state = session.get(Incident, incident_id, populate_existing=True).state
                return state if state not in ("open", "awaiting_approval", "remediating") \
                    else None

        assert wait_for(settled, timeout=120, what="the incident to settle",
                        logs=[log_of(settings.home)]) == "escalated"
        with sessions() as session:
            [run] = session.scalars(select(ActionRun)).all()
            outcome = session.get(Incident, incident_id).outcome
        assert run.status == "interrupted" and "retrain interrupted" in outcome

        def told_escalated():  # the message is stored after the incident's state
            with sessions() as session:
                return any(f"incident {incident_id}: escalated" in s
                           for s in session.scalars(select(Notification.subject)))

        wait_for(told_escalated, timeout=60, what="the escalation to be told",
                 logs=[log_of(settings.home)])
        audit = local.get(url + "/v1/audit", headers=viewer, timeout=30).json()
        assert audit["verified"]["ok"]
    finally:
        process.kill()
        process.wait()
