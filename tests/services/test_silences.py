"""Silences: matching firing alerts are stored and audited, not acted on; CLI and API alike."""

import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.main import app
from core.alerts import from_medic
from core.monitor_tables import SilencedAlert
from core.tables import AgentWork, AuditEntry, Incident
from services import alerts

ALERT = {"name": "MonitorDataDrift", "type": "drift",
         "labels": {"monitor": "data_drift", "model": "heart-disease"}}


def count(sessions, table) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_a_silence_over_the_api_holds_matching_alerts_until_it_is_expired(api):
    medic = api.root.medic
    refused = api.post("/v1/silences", json={"matchers": {"monitor": "data_drift"},
                                             "duration": "2h"}, headers=api.as_role("viewer"))
    assert refused.status_code == 403
    bad = api.post("/v1/silences", json={"matchers": {"monitor": "data_drift"},
                                         "duration": "forever"},
                   headers=api.as_role("operator"))
    assert bad.status_code == 422 and "e.g. 2h" in bad.json()["detail"]
    made = api.post("/v1/silences", json={"matchers": {"monitor": "data_drift"},
                                          "duration": "2h", "comment": "reindexing"},
                    headers=api.as_role("operator"))
    assert made.status_code == 201, made.text
    silence = made.json()["id"]

    held = alerts.submit_alerts(medic, from_medic(ALERT), actor="tests").incidents[0]
    assert held.incident_id is None and held.silenced_by == silence
    other = alerts.submit_alerts(medic, from_medic({**ALERT, "labels": {"monitor": "perf"}}),
                                 actor="tests").incidents[0]
    assert other.incident_id is not None  # not matched: handled as ever
    assert count(medic.sessions, SilencedAlert) == 1
    with medic.sessions() as session:
        audited = session.scalars(select(AuditEntry)
                                  .where(AuditEntry.event == "alert_silenced")).one()
        assert audited.data["silence_id"] == silence
        assert session.scalar(select(func.count()).select_from(Incident)) == 1
    listed = api.get("/v1/silences", headers=api.as_role("viewer")).json()
    assert [(s["id"], s["held"], s["comment"]) for s in listed] == [(silence, 1, "reindexing")]

    ended = api.post(f"/v1/silences/{silence}/expire", headers=api.as_role("operator"))
    assert ended.status_code == 200 and ended.json()["active"] is False
    assert api.get("/v1/silences", headers=api.as_role("viewer")).json() == []
    after = alerts.submit_alerts(medic, from_medic(ALERT), actor="tests").incidents[0]
    assert after.incident_id is not None and after.new
    assert api.post("/v1/silences/999/expire",
                    headers=api.as_role("operator")).status_code == 404


def test_medic_silence_add_list_expire(settings, monkeypatch):
    from services import keys
    from services.context import open_medic

    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    with open_medic(settings) as medic:
        admin = keys.create(medic, name="root", role="admin", principal=None).key
    runner = CliRunner()
    made = runner.invoke(app, ["silence", "add", "--match", "monitor=data_drift", "--match",
                               "model=heart-disease", "--for", "90m", "--comment", "deploy",
                               "--key", admin, "--json"])
    assert made.exit_code == 0, made.output
    silence = json.loads(made.output)
    assert silence["matchers"] == {"monitor": "data_drift", "model": "heart-disease"}
    shown = runner.invoke(app, ["silence", "list"])
    for shown_part in ("monitor=data_drift", "model=heart-disease", "deploy"):
        assert shown_part in shown.output
    bad = runner.invoke(app, ["silence", "add", "--match", "monitor", "--for", "2h",
                              "--key", admin])
    assert bad.exit_code == 2 and "write KEY=VALUE" in bad.output
    ended = runner.invoke(app, ["silence", "expire", str(silence["id"]), "--key", admin])
    assert ended.exit_code == 0 and f"silence {silence['id']} ended" in ended.output
    assert json.loads(runner.invoke(app, ["silence", "list", "--json"]).output) == []
    with open_medic(settings) as medic:
        assert count(medic.sessions, AgentWork) == 0


def _silence(api, role, matchers, duration="2h", comment="reindexing"):
    return api.post("/v1/silences", json={"matchers": matchers, "duration": duration,
                                          "comment": comment}, headers=api.as_role(role))


def test_a_silence_needs_a_reason_a_bounded_end_and_an_approver_for_critical_alerts(api):
    from core.tables import Notification
    from services.overview import overview
    from ui.console.overview import render

    narrow = {"monitor": "data_drift"}
    blank = _silence(api, "operator", narrow, comment="  ")
    assert blank.status_code == 422 and "comment" in blank.json()["detail"]
    long = _silence(api, "operator", narrow, duration="25h")
    assert long.status_code == 422
    assert "at most 24 h (MEDIC_SILENCE_MAX_HOURS)" in long.json()["detail"]
    for broad in ({"source": "monitor"}, {"type": "drift"}, {"type": "drift", "model": "m"},
                  {"alertname": "F1Drop", "severity": "critical"}):
        refused = _silence(api, "operator", broad)
        assert refused.status_code == 403, (broad, refused.text)
        assert "approver, admin" in refused.json()["detail"]
    assert _silence(api, "operator", {"type": "drift", "severity": "warning"}).status_code \
        == 201
    made = _silence(api, "approver", {"source": "monitor"}, comment="<b>monitor</b> rebuild")
    assert made.status_code == 201, made.text
    silence = made.json()["id"]

    medic = api.root.medic
    shown = overview(medic).silences
    assert [(s.id, s.matchers, s.created_by) for s in shown][0] == (
        silence, {"source": "monitor"}, "approver-user")
    page = render(overview(medic).model_dump(mode="json"))
    assert "Active silences" in page and "source=monitor" in page
    assert "&lt;b&gt;monitor&lt;/b&gt; rebuild" in page and "<b>monitor</b>" not in page

    assert api.post(f"/v1/silences/{silence}/expire",
                    headers=api.as_role("operator")).status_code == 200
    with medic.sessions() as session:
        told = session.scalars(select(Notification.subject).order_by(Notification.id)).all()
        audited = session.execute(select(AuditEntry.event, AuditEntry.data)
                                  .where(AuditEntry.event.like("silence_%"))
                                  .order_by(AuditEntry.id)).all()
    assert f"Medic silence {silence} added by approver-user" in told
    assert f"Medic silence {silence} expired by operator-user" in told
    assert [(e, d["silence_id"]) for e, d in audited][-2:] == [
        ("silence_added", silence), ("silence_expired", silence)]
    assert all(s.id != silence for s in overview(medic).silences)


def test_medic_silence_add_checks_the_same_roles_and_limits(settings, monkeypatch):
    from services import keys
    from services.context import open_medic

    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    monkeypatch.setenv("MEDIC_SILENCE_MAX_HOURS", "4")
    with open_medic(settings) as medic:
        operator = keys.create(medic, name="olga", role="operator", principal=None).key
    runner = CliRunner()
    add = ["silence", "add", "--key", operator, "--comment", "deploy"]
    broad = runner.invoke(app, [*add, "--match", "source=monitor", "--for", "1h"])
    assert broad.exit_code != 0 and "approver, admin" in broad.output
    long = runner.invoke(app, [*add, "--match", "monitor=data_drift", "--for", "5h"])
    assert long.exit_code != 0 and "at most 4 h" in long.output
    bare = runner.invoke(app, ["silence", "add", "--key", operator, "--match",
                               "monitor=data_drift", "--for", "1h"])
    assert bare.exit_code != 0 and "comment" in bare.output
    assert runner.invoke(app, [*add, "--match", "monitor=data_drift", "--for", "4h"]
                         ).exit_code == 0
