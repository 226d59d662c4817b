import json

from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_alert_incident_approval_audit_through_the_cli(trained, tmp_path, monkeypatch):
    settings = trained[0]
    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    alert = tmp_path / "alert.json"
    alert.write_text(json.dumps({"name": "ModelF1Drop", "type": "performance",
                                 "values": {"f1": 0.5}}))
    sent = runner.invoke(app, ["alert", "send", str(alert), "--json"])
    assert sent.exit_code == 0, sent.output
    [incident] = json.loads(sent.output)
    assert incident["verdict"] == "approval"

    pending = json.loads(runner.invoke(app, ["approvals", "list", "--json"]).output)
    assert pending[0]["actions"][0]["tool"] == "rollback"
    refused = runner.invoke(app, ["approvals", "approve", str(pending[0]["id"]), "--by", "eve"])
    assert refused.exit_code == 2 and "holds no API key" in refused.output

    key = runner.invoke(app, ["keys", "create", "--role", "approver", "--name", "alice"])
    assert key.output.startswith("mdk_")
    approved = runner.invoke(app, ["approvals", "approve", str(pending[0]["id"]),
                                   "--by", "alice", "--comment", "ok", "--json"])
    assert approved.exit_code == 0, approved.output
    assert json.loads(approved.output)["status"] == "approved"

    shown = json.loads(runner.invoke(app, ["incidents", "show",
                                           str(incident["incident_id"]), "--json"]).output)
    assert shown["state"] == "resolved" and shown["decided_by"] == "rules"
    assert (shown["plan"][0]["execution"], shown["plan"][0]["risk"]) == ("success", "risky")
    listed = json.loads(runner.invoke(app, ["incidents", "list", "--json"]).output)
    assert listed[0]["id"] == incident["incident_id"]

    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    from core.db import make_engine

    engine = make_engine(settings.database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        connection.execute(text("DELETE FROM audit_log WHERE id = 3"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "broken at entry 4" in broken.output
