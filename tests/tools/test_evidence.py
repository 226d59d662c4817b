"""Hardening item 1: an alert can make the server read any file and show parts of it."""

import shutil

import pytest

from core.alert_sources.alertmanager import from_alertmanager
from core.alerts import Alert
from core.incidents import detail
from tests.conftest import DATA, make_settings
from tools import TOOLS, ToolContext
from tools.evidence import REFUSED

SECRET = "DB_PASSWORD=hunter2"


@pytest.fixture
def context(tmp_path):
    settings = make_settings(tmp_path / "medic")
    settings.evidence_dir.mkdir(parents=True)
    return ToolContext.build(settings, sessions=None, registry=None, notifier=None)


@pytest.fixture
def outside(tmp_path):
    """A CSV-like file with a secret in its header, outside the evidence folder."""
    path = tmp_path / "app.env.csv"
    path.write_text(f"age,{SECRET}\n1,2\n")
    return path


def test_an_alert_cannot_make_the_server_read_any_file(context, outside):
    evidence = context.evidence_dir
    (evidence / "link.csv").symlink_to(outside)
    (evidence / "folder").mkdir()
    names = ["/etc/passwd", "/etc/shadow", "../../../../etc/passwd", str(outside),
             f"../{outside.parent.name}/../{outside.name}", "link.csv", "folder",
             "missing.csv", str(evidence / "missing.csv"), "/nonexistent/x.csv"]
    for name in names:
        for tool in ("drift_report", "performance_summary"):
            result = TOOLS[tool](context, {"data_path": name})
            assert (result.status, result.message) == ("no_data", REFUSED), (tool, name)


def test_evidence_errors_never_echo_file_content(context):
    hostile = context.evidence_dir / "today.csv"
    hostile.write_text(f"age,sex,{SECRET}\n1,2,3\n")
    result = TOOLS["drift_report"](context, {"data_path": "today.csv"})
    assert result.status == "no_data" and SECRET not in result.message
    assert result.message.startswith("evidence file today.csv: columns do not match")
    assert str(context.evidence_dir) not in result.message  # no server layout either


def test_evidence_inside_the_folder_is_measured(context):
    shutil.copyfile(DATA / "processed.va.data", context.evidence_dir / "va.csv")
    result = TOOLS["drift_report"](context, {"data_path": str(context.evidence_dir / "va.csv")})
    assert result.status == "success" and result.data["drift_share"] > 0.3


def test_settings_default_the_evidence_folder_into_home(tmp_path):
    assert make_settings(tmp_path / "h").evidence_dir == (tmp_path / "h" / "evidence").resolve()
    chosen = make_settings(tmp_path / "h", evidence_dir=tmp_path / "drop")
    assert chosen.evidence_dir == (tmp_path / "drop").resolve()


def test_a_viewer_never_sees_a_file_outside_the_evidence_folder(agent, tmp_path):
    secret = tmp_path / "passwords.csv"
    secret.write_text(f"{SECRET},x\n1,2\n")
    medic_json = Alert(name="FeatureDrift", type="drift", values={"drift_share": 0.4},
                       evidence={"data_path": str(secret)})
    [alertmanager] = from_alertmanager({"version": "4", "status": "firing", "alerts": [{
        "status": "firing", "labels": {"alertname": "FeatureDriftHigh", "type": "drift"},
        "annotations": {"data_path": "/etc/passwd", "drift_share": "0.4"},
        "startsAt": "2026-11-26T10:00:00Z", "fingerprint": "am-1"}]})
    for alert in (medic_json, alertmanager):
        ingested = agent.submit(alert)
        with agent.sessions() as session:
            found = detail(session, ingested.incident_id).model_dump()
        [drift] = [d for d in found["diagnosis"] if d["tool"] == "drift_report"]
        assert (drift["status"], drift["message"]) == ("no_data", REFUSED)
        assert "hunter2" not in str(found) and "root:" not in str(found)
