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
    table = runner.invoke(app, ["approvals", "list"])  # the table reads the typed plan too
    assert table.exit_code == 0 and "rollback (risky)" in table.output, table.output
    unknown = runner.invoke(app, ["approvals", "approve", str(pending[0]["id"]),
                                  "--key", "mdk_made-up"])
    assert unknown.exit_code == 2 and "unknown or revoked API key" in unknown.output

    admin = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "root"])
    assert admin.output.startswith("mdk_")  # the very first key needs no key
    no_admin = runner.invoke(app, ["keys", "create", "--role", "approver", "--name", "bob"])
    assert no_admin.exit_code == 2 and "needs an admin key" in no_admin.output
    monkeypatch.setenv("MEDIC_API_KEY", admin.output.strip())
    operator = runner.invoke(app, ["keys", "create", "--role", "operator", "--name", "olga"])
    refused = runner.invoke(app, ["approvals", "approve", str(pending[0]["id"]),
                                  "--key", operator.output.strip()])
    assert refused.exit_code == 2 and "needs approver, admin" in refused.output
    key = runner.invoke(app, ["keys", "create", "--role", "approver", "--name", "alice"])
    same_name = runner.invoke(app, ["keys", "create", "--role", "viewer", "--name", "alice"])
    assert same_name.exit_code == 2 and "names are unique" in same_name.output
    approved = runner.invoke(app, ["approvals", "approve", str(pending[0]["id"]),
                                   "--key", key.output.strip(), "--comment", "ok", "--json"])
    assert approved.exit_code == 0, approved.output
    assert json.loads(approved.output)["status"] == "approved"

    shown = json.loads(runner.invoke(app, ["incidents", "show",
                                           str(incident["incident_id"]), "--json"]).output)
    assert shown["state"] == "verifying" and shown["decided_by"] == "rules"
    assert (shown["plan"][0]["execution"], shown["plan"][0]["risk"]) == ("success", "risky")
    table = runner.invoke(app, ["incidents", "show", str(incident["incident_id"])])
    assert table.exit_code == 0, table.output  # the plan's steps are typed: read, not indexed
    assert "plan: rollback" in table.output and "execution=success" in table.output
    listed = json.loads(runner.invoke(app, ["incidents", "list", "--json"]).output)
    assert listed[0]["id"] == incident["incident_id"]

    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    from core.db import make_engine

    engine = make_engine(settings.database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        connection.execute(text("DELETE FROM audit_log WHERE id = 3"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "broken at entry 3" in broken.output  # the one removed
