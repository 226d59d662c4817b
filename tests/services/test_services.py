"""The service layer every interface shares: roles, keys, alerts all or nothing, leases."""

import json
import time

import pytest
from sqlalchemy import func, select

from api.security import sign
from core.errors import Forbidden
from core.tables import AlertRecord, Incident
from tests.api.conftest import SECRET, TOKEN
from tests.conftest import drift_alert, principal_of

INTAKE_CHILD = True  # the `api` fixture stores alerts in the intake child, as `medic up` does


def test_one_role_table_operator_cannot_reject_anywhere(agent, api):
    from services import approvals

    agent.submit(drift_alert())
    [pending] = agent.pending()
    operator = principal_of(agent.sessions, name="olga", role="operator")
    with pytest.raises(Forbidden, match="needs approver, admin"):
        approvals.decide(agent.medic, pending["id"], principal=operator, approve=False)
    signed_body = json.dumps({"name": "F1", "type": "performance",
                              "values": {"f1": 0.5}}).encode()
    sent = api.post("/v1/alerts", content=signed_body,
                    headers={**sign(SECRET, signed_body), "content-type": "application/json"})
    assert api.root.worker.idle()
    new = sent.json()["incidents"][0]["incident_id"]
    [waiting] = [a for a in api.get("/v1/approvals", headers=api.as_role("viewer")).json()
                 if a["incident_id"] == new]
    refused = api.post(f"/v1/approvals/{waiting['id']}/reject", headers=api.as_role("operator"))
    assert refused.status_code == 403 and "needs approver, admin" in refused.json()["detail"]


def test_item8_revoked_key_is_refused_at_once_by_a_running_server(api):
    from services import keys
    from services.context import open_medic

    viewer = api.as_role("viewer")
    assert api.get("/v1/incidents", headers=viewer).status_code == 200  # now cached
    with open_medic(api.root.settings) as elsewhere:  # another process, e.g. the CLI
        admin = keys.authenticate(elsewhere, api.keys["admin"])
        keys.revoke(elsewhere, name="viewer-user", principal=admin)
    time.sleep(0.6)
    refused = api.get("/v1/incidents", headers=viewer)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_item8_keys_list_and_revoke_need_an_admin(api):
    listed = api.get("/v1/keys", headers=api.as_role("admin"))
    assert listed.status_code == 200
    assert {k["name"] for k in listed.json()} >= {"admin-user", "viewer-user"}
    assert all("key" not in k and "hash" not in k for k in listed.json())
    assert api.get("/v1/keys", headers=api.as_role("approver")).status_code == 403
    made = api.post("/v1/keys", json={"name": "admin-user", "role": "viewer"},
                    headers=api.as_role("admin"))
    assert made.status_code == 409 and "unique" in made.json()["detail"]


def test_item9_multi_alert_body_is_stored_all_or_nothing(api):
    body = json.dumps([{"name": "First", "type": "drift", "values": {"drift_share": 0.05}},
                       {"name": "Ghost", "status": "resolved"}]).encode()
    headers = {**sign(SECRET, body), "content-type": "application/json"}
    failed = api.post("/v1/alerts", content=body, headers=headers)
    assert failed.status_code == 404 and "matches no incident" in failed.json()["detail"]
    with api.root.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 0
        assert session.scalar(select(func.count()).select_from(AlertRecord)) == 0
    again = api.post("/v1/alerts", content=body, headers=headers)  # signature not spent
    assert again.status_code == 404


def test_item3_alerts_per_payload_are_capped(api):
    payload = {"version": "4", "status": "firing", "alerts": [
        {"status": "firing", "labels": {"alertname": f"A{i}"}, "annotations": {},
         "startsAt": "2026-11-26T10:00:00Z"} for i in range(1001)]}
    reply = api.post("/v1/alerts/alertmanager", json=payload,
                     headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 413 and "at most 1000" in reply.json()["detail"]


def test_a_dead_workers_lease_expires_and_another_worker_takes_over(agent, clock):
    from core import work
    from core.ingest import ingest

    [stored] = ingest(agent.sessions, drift_alert(), clock=clock)
    first = work.claim(agent.sessions, owner="dead", lease_seconds=60, now=clock())
    assert first.incident_id == stored.incident_id  # ... and its process dies here
    assert work.claim(agent.sessions, owner="other", lease_seconds=60, now=clock()) is None
    clock.advance(seconds=61)
    assert agent.worker.run_once() == stored.incident_id
    assert agent.state(stored.incident_id)["verdict"] == "approval"
    with agent.sessions() as session:
        assert work.pending(session) == 0


def test_a_worker_leases_the_next_incident_as_it_finishes_one_and_gives_it_back_on_close(
        agent, clock):
    from core import work
    from core.alerts import Alert
    from core.ingest import ingest
    from core.tables import AgentWork

    first, second = (ingest(agent.sessions, Alert(name=name, labels={"severity": "info"}),
                            clock=clock)[0].incident_id for name in ("First", "Second"))
    worker = agent.worker
    assert worker.run_once() == first
    ahead = worker._ahead  # leased by the first's finish: its lease already held
    assert ahead.incident_id == second and ahead.alert["name"] == "Second"
    assert work.claim(agent.sessions, owner="other", lease_seconds=60, now=clock()) is None
    worker.close()  # stopping before working on it: given back, no attempt spent
    with agent.sessions() as session:
        back = session.get(AgentWork, second)
        assert (back.owner, back.attempts, back.wakes > back.done) == (None, 0, True)
    assert worker.drain() == [second]  # claimed again, by whichever worker comes
    assert agent.state(second)["verdict"] == "log_only"
