"""`medic models shadow | canary | abort | rollout`: approvers act, everyone reads."""

import json

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_an_approver_shadows_canaries_and_aborts_from_the_command_line(trained, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(trained[0].home))
    admin = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "root"])
    key = admin.output.strip()
    approver = runner.invoke(app, ["keys", "create", "--role", "approver", "--name", "ana",
                                   "--key", key]).output.strip()
    viewer = runner.invoke(app, ["keys", "create", "--role", "viewer", "--name", "vera",
                                 "--key", key]).output.strip()

    none = runner.invoke(app, ["models", "rollout", "heart-disease"])
    assert none.exit_code == 0 and "no rollout yet" in none.output
    refused = runner.invoke(app, ["models", "shadow", "heart-disease", "--version", "1",
                                  "--key", viewer])
    assert refused.exit_code == 2 and "approver, admin" in refused.output
    shadow = runner.invoke(app, ["models", "shadow", "heart-disease", "--version", "1",
                                 "--key", approver, "--reason", "retrained on VA"])
    assert shadow.exit_code == 0, shadow.output
    assert "version 1 in shadow beside champion 2" in shadow.output
    canary = runner.invoke(app, ["models", "canary", "heart-disease", "--share", "0.1",
                                 "--key", approver, "--json"])
    assert json.loads(canary.output)["share"] == 0.1
    runner.invoke(app, ["models", "abort", "heart-disease", "--key", approver])
    shown = json.loads(runner.invoke(app, ["models", "rollout", "heart-disease",
                                           "--json"]).output)
    assert shown["stage"] == "aborted" and shown["stage_code"] == 4 and shown["actor"] == "ana"
    assert shown["evidence"]["paired"] == 0
