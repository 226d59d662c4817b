"""Alert webhooks, incidents, approvals, chat and audit over HTTP."""

import json
import time

import pytest
from sqlalchemy import func, select

from api.security import sign
from core.tables import AlertRecord, Incident
from tests.api.conftest import SECRET, TOKEN
from tests.conftest import HEART
from tests.processes import PATIENCE

INTAKE_CHILD = True  # the `api` fixture stores alerts in the intake child, as `medic up` does


def signed(api, payload, *, timestamp=None, secret=SECRET):
    body = json.dumps(payload).encode()
    headers = {**sign(secret, body, timestamp), "content-type": "application/json"}
    return api.post("/v1/alerts", content=body, headers=headers)


F1_DROP = {"name": "ModelF1Drop", "type": "performance", "values": {"f1": 0.5}}


def test_signed_alert_is_stored_and_handled_in_the_background(api):
    reply = signed(api, F1_DROP)
    assert reply.status_code == 202
    incident_id = reply.json()["incidents"][0]["incident_id"]
    assert api.root.worker.idle()
    found = api.get(f"/v1/incidents/{incident_id}", headers=api.as_role("viewer")).json()
    assert found["state"] == "awaiting_approval" and found["plan"][0]["tool"] == "rollback"
    assert [e["event"] for e in found["timeline"]][:3] == ["alert_received", "triaged",
                                                          "severity_assessed"]


def test_bad_signatures_stale_timestamps_and_replays_are_refused(api):
    assert signed(api, F1_DROP, secret="x" * 32).status_code == 401
    assert signed(api, F1_DROP, timestamp=time.time() - 301).status_code == 401
    assert api.post("/v1/alerts", json=F1_DROP).status_code == 401
    body = json.dumps(F1_DROP).encode()
    headers = {**sign(SECRET, body), "content-type": "application/json"}
    assert api.post("/v1/alerts", content=body, headers=headers).status_code == 202
    replay = api.post("/v1/alerts", content=body, headers=headers)
    assert replay.status_code == 401 and "replay" in replay.json()["detail"]


def test_replays_are_refused_across_replicas(trained, api):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.conftest import api_settings

    body = json.dumps(F1_DROP).encode()
    headers = {**sign(SECRET, body), "content-type": "application/json"}
    assert api.post("/v1/alerts", content=body, headers=headers).status_code == 202
    with TestClient(create_app(api_settings(trained[0].home))) as replica:
        assert replica.post("/v1/alerts", content=body, headers=headers).status_code == 401


def test_bad_alert_bodies_get_422(api):
    for payload in ({"name": ""}, [], {"version": "4", "alerts": "x"}):
        assert signed(api, payload).status_code == 422


def test_alertmanager_needs_its_bearer_token(api):
    payload = {"version": "4", "status": "firing", "alerts": [{
        "status": "firing", "labels": {"alertname": "Serving5xx", "severity": "warning"},
        "annotations": {"error_rate": "0.08"}, "startsAt": "2026-11-26T10:00:00Z",
        "fingerprint": "am-1"}]}
    assert api.post("/v1/alerts/alertmanager", json=payload).status_code == 401
    reply = api.post("/v1/alerts/alertmanager", json=payload,
                     headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 202
    assert api.root.worker.idle()
    found = api.get(f"/v1/incidents/{reply.json()['incidents'][0]['incident_id']}",
                    headers=api.as_role("viewer")).json()
    assert found["state"] == "verifying" and found["actions"][0]["tool"] == "reload_model"


def test_only_approvers_approve_and_twice_is_harmless(api):
    signed(api, F1_DROP)
    assert api.root.worker.idle()
    [pending] = api.get("/v1/approvals", headers=api.as_role("viewer")).json()
    url = f"/v1/approvals/{pending['id']}/approve"
    for role in ("viewer", "operator", "predictor"):
        assert api.post(url, headers=api.as_role(role)).status_code == 403
    first = api.post(url, json={"comment": "ok"}, headers=api.as_role("approver"))
    second = api.post(url, json={"comment": "again"}, headers=api.as_role("approver"))
    assert first.status_code == second.status_code == 200
    assert second.json()["comment"] == "ok"
    assert api.root.worker.idle()
    found = api.get(f"/v1/incidents/{pending['incident_id']}",
                    headers=api.as_role("viewer")).json()
    assert found["state"] == "verifying" and len(found["actions"]) == 1
    rejected = api.post(f"/v1/approvals/{pending['id']}/reject", headers=api.as_role("approver"))
    assert rejected.status_code == 409
    assert api.post("/v1/approvals/999/approve", headers=api.as_role("approver")).status_code \
        == 404
    # one approval, decided: who, when, what it ran, its context
    shown = api.get(f"/v1/approvals/{pending['id']}", headers=api.as_role("viewer")).json()
    assert (shown["status"], shown["comment"], shown["incident_state"]) == (
        "approved", "ok", "verifying")
    assert shown["actions"] == pending["actions"] and shown["context"] == pending["context"]
    assert api.get("/v1/approvals/999", headers=api.as_role("viewer")).status_code == 404


def test_chat_and_audit(api):
    answer = api.post("/v1/chat", json={"question": "which model is in production?"},
                      headers=api.as_role("viewer")).json()
    assert answer["decided_by"] == "rules" and "Version 2" in answer["answer"]
    signed(api, F1_DROP)
    assert api.root.worker.idle()
    log = api.get("/v1/audit", headers=api.as_role("viewer")).json()
    assert log["verified"]["ok"] and log["entries"][-1]["event"] == "approval_requested"


@pytest.mark.slow
def test_a_burst_of_1000_alerts_nine_in_ten_repeats_loses_nothing(api):
    """1,000 alerts of 100 problems: every alert stored, one incident a problem, each handled.

    (The worker's pace on many incidents is bench/scale.py's; 100 keep this test short.)
    """
    for i in range(1000):
        payload = {"name": f"Burst{i % 100}", "type": "drift", "values": {"drift_share": 0.6}}
        assert signed(api, {**payload, "annotations": {"n": str(i)}}).status_code == 202
    assert api.root.worker.idle(timeout=300 * PATIENCE)  # 100 incidents triaged
    with api.root.sessions() as session:
        stored = session.scalar(select(func.count()).select_from(AlertRecord))
        opened = session.scalar(select(func.count()).select_from(Incident))
        unhandled = session.scalar(select(func.count()).where(Incident.handled.is_(False)))
        joined = session.scalars(select(Incident.alert_count)).all()
    assert (stored, opened, unhandled) == (1000, 100, 0)  # each open, awaiting approval
    assert set(joined) == {10}  # each problem's ten alerts joined its one incident


def test_incidents_left_unhandled_by_a_crash_are_picked_up_on_start(trained):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from core import incidents
    from core.alerts import Alert
    from core.audit_seal import Seal
    from core.db import init_db, make_engine, sessions
    from core.ingest import ingest
    from tests.api.conftest import api_settings

    settings = api_settings(trained[0].home)
    engine = make_engine(settings.database_url)
    init_db(engine)
    [stored] = ingest(sessions(engine, seal=Seal.of(settings)),
                      Alert(**F1_DROP))  # stored, then "crashed"
    app = create_app(settings)
    with TestClient(app):
        assert app.state.root.worker.idle()
        with app.state.root.sessions() as session:
            found = incidents.get(session, stored.incident_id)
            assert found.handled and found.state == "awaiting_approval"


@pytest.mark.postgres
def test_production_database_path_on_postgresql(trained, postgres_url):
    """Two replicas on one PostgreSQL: shared replay protection, one incident, approval."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.conftest import api_settings, role_keys

    settings = api_settings(trained[0].home, database_url=postgres_url)
    made = role_keys(settings)
    body = json.dumps(F1_DROP).encode()
    headers = {**sign(SECRET, body), "content-type": "application/json"}
    first_app, second_app = create_app(settings), create_app(settings)
    with TestClient(first_app) as first, TestClient(second_app) as second:
        assert first.post("/v1/alerts", content=body, headers=headers).status_code == 202
        assert second.post("/v1/alerts", content=body, headers=headers).status_code == 401
        again = json.dumps({**F1_DROP, "annotations": {"n": "2"}}).encode()
        reply = second.post("/v1/alerts", content=again,
                            headers={**sign(SECRET, again), "content-type": "application/json"})
        assert reply.status_code == 202 and reply.json()["incidents"][0]["new"] is False
        assert first_app.state.root.worker.idle()
        [pending] = second.get("/v1/approvals", headers={"X-API-Key": made["viewer"]}).json()
        decided = second.post(f"/v1/approvals/{pending['id']}/approve",
                              headers={"X-API-Key": made["approver"]})
        assert decided.status_code == 200
        assert second_app.state.root.worker.idle()
        found = first.get(f"/v1/incidents/{pending['incident_id']}",
                          headers={"X-API-Key": made["viewer"]}).json()
    assert found["state"] == "verifying" and found["alerts"] == 2


def test_the_agent_measures_the_prediction_log_window(api):
    """Evidence can be a window of logged predictions: drift and F1 from real traffic."""
    from ml import data
    from tests.conftest import DATA

    va = data.load_site(DATA, "va", HEART)  # another hospital's patients: shifted traffic
    headers = api.as_role("predictor")
    accepted = 0
    for _, row in va.head(100).iterrows():
        patient = {k: (None if v != v else v) for k, v in data.features(row.to_frame().T, HEART)
                   .iloc[0].items()}
        reply = api.post("/v1/predict", json=patient, headers=headers)
        if reply.status_code == 422:  # VA codes some missing blood pressures as 0
            continue
        accepted += 1
        labelled = api.post("/v1/feedback", json={"request_id": reply.json()["request_id"],
                                                  "label": int(row["target"])}, headers=headers)
        assert labelled.status_code == 201  # a label for an answered prediction is never lost
    assert accepted >= 60
    for kind, name in (("drift", "TrafficDrift"), ("performance", "TrafficF1")):
        reply = signed(api, {"name": name, "type": kind, "evidence": {"window_minutes": 60}})
        assert reply.status_code == 202
    assert api.root.worker.idle()
    found = api.get("/v1/incidents", headers=api.as_role("viewer")).json()
    details = {i["type"]: api.get(f"/v1/incidents/{i['id']}",
                                  headers=api.as_role("viewer")).json() for i in found}
    drift = next(d for d in details["drift"]["diagnosis"] if d["tool"] == "drift_report")
    assert drift["status"] == "success" and "features drifted" in drift["message"]
    assert details["drift"]["severity_level"] == "high"
    performance = next(d for d in details["performance"]["diagnosis"]
                       if d["tool"] == "performance_summary")
    assert performance["status"] == "success"
    assert f"on {accepted} labelled rows" in performance["message"]
