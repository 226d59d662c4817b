"""`medic incidents prune-checkpoints`: admins only; the incident stays shown."""

import json
import time

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_admin_prunes_a_closed_incident_and_it_is_still_shown(trained, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(trained[0].home))
    alert = tmp_path / "alert.json"
    alert.write_text(json.dumps({"name": "FeatureDrift", "type": "drift",
                                 "values": {"drift_share": 0.05}}))
    [sent] = json.loads(runner.invoke(app, ["alert", "send", str(alert), "--json"]).output)
    admin = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "root"])
    viewer = runner.invoke(app, ["keys", "create", "--role", "viewer", "--name", "vera",
                                 "--key", admin.output.strip()])
    time.sleep(1.1)

    refused = runner.invoke(app, ["incidents", "prune-checkpoints", "--older-than", "1s",
                                  "--key", viewer.output.strip()])
    assert refused.exit_code == 2 and "needs admin" in refused.output
    bad = runner.invoke(app, ["incidents", "prune-checkpoints", "--older-than", "a week",
                              "--key", admin.output.strip()])
    assert bad.exit_code == 2 and "write a number" in bad.output
    kept = runner.invoke(app, ["incidents", "prune-checkpoints", "--json",
                               "--key", admin.output.strip()])  # the 168 h retention
    assert json.loads(kept.output) == {"incidents": [], "older_than_hours": 168.0}
    pruned = runner.invoke(app, ["incidents", "prune-checkpoints", "--older-than", "1s",
                                 "--json", "--key", admin.output.strip()])
    assert pruned.exit_code == 0, pruned.output
    assert json.loads(pruned.output)["incidents"] == [sent["incident_id"]]

    shown = json.loads(runner.invoke(app, ["incidents", "show", str(sent["incident_id"]),
                                           "--json"]).output)
    assert shown["state"] == "resolved"
    assert shown["timeline"][-1]["event"] == "checkpoints_pruned"
    assert shown["timeline"][-1]["actor"] == "root"
