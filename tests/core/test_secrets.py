"""Item 5: no guessable or empty default secret; generated ones are private and shown once."""

import json
import os
import stat
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli.main import app
from cli.secrets import refuse_public_exposure, show_first_start
from core.errors import ConfigError
from core.settings import PROJECT_ROOT, Settings
from tests.conftest import make_settings

runner = CliRunner()
NAMES = ("webhook_secret", "alertmanager_token", "audit_key", "ui_session_secret")
WEBHOOK, TOKEN = "webhook-3f9c1a7e5b2d80461c9e7a5f", "token-8d2e6b1f4a9c7035e1b8d6a2f4"
GIVEN = "given-7e1c3a9f5b2d8046c1e9a7f3b5"


def test_item5_default_secrets_are_generated_random_private_and_stable(tmp_path):
    first = make_settings(tmp_path / "a")
    values = {name: getattr(first, name).get_secret_value() for name in NAMES}
    assert all(len(value) >= 32 and value != "change-me" for value in values.values())
    assert len(set(values.values())) == len(NAMES)
    path = tmp_path / "a" / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = make_settings(tmp_path / "a")
    assert {name: getattr(again, name).get_secret_value() for name in NAMES} == values
    other = make_settings(tmp_path / "b")
    assert other.webhook_secret.get_secret_value() != values["webhook_secret"]
    assert first.generated_secrets == frozenset(NAMES)


def test_item5_processes_starting_together_agree_on_one_set_of_secrets(tmp_path):
    code = ("import json, sys; from core.settings import Settings; s = Settings(home=sys.argv[1],"
            " _env_file=None); print(s.webhook_secret.get_secret_value(),"
            " s.audit_key.get_secret_value())")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIC_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    started = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "h")], env=env,
                                cwd=PROJECT_ROOT,
                                stdout=subprocess.PIPE, text=True) for _ in range(4)]
    answers = {process.communicate(timeout=60)[0] for process in started}
    assert len(answers) == 1 and len(answers.pop().split()) == 2


@pytest.mark.parametrize("profile", ["embedded", "production"])
@pytest.mark.parametrize("value", ["change-me", "", "   ", "secret", "short"])
def test_item5_placeholder_or_empty_secrets_are_refused_in_every_profile(tmp_path, profile,
                                                                         value):
    for name in NAMES:
        given = {n: GIVEN for n in NAMES} | {name: value}
        with pytest.raises(ConfigError, match=f"MEDIC_{name.upper()} is a placeholder"):
            Settings(home=tmp_path, _env_file=None, profile=profile,
                     database_url="postgresql://db/medic", **given)


def test_item5_production_never_generates_secrets(tmp_path):
    with pytest.raises(ConfigError, match="MEDIC_AUDIT_KEY is a placeholder"):
        Settings(home=tmp_path, _env_file=None, profile="production",
                 database_url="postgresql://db/medic", webhook_secret=WEBHOOK,
                 alertmanager_token=TOKEN)
    assert not (tmp_path / "secrets.json").exists()


def test_item5_secrets_are_refused_from_the_environment_too(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_ALERTMANAGER_TOKEN", "change-me")
    with pytest.raises(ConfigError, match="MEDIC_ALERTMANAGER_TOKEN is a placeholder"):
        Settings(home=tmp_path, _env_file=None)


def test_item5_secrets_show_prints_the_generated_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("MEDIC_WEBHOOK_SECRET", "an-operator-chose-this-one")
    shown = runner.invoke(app, ["secrets", "show", "--json"])
    assert shown.exit_code == 0, shown.output
    settings = Settings(_env_file=None)
    assert json.loads(shown.output) == {
        "webhook_secret": None,  # set in the environment: not Medic's to show
        "alertmanager_token": settings.alertmanager_token.get_secret_value()}
    table = runner.invoke(app, ["secrets", "show"]).output
    assert "set in the environment (not shown)" in table
    assert "an-operator-chose-this-one" not in table
    session_secret = settings.ui_session_secret.get_secret_value()
    assert session_secret not in shown.output + table  # it would sign a session as anyone


def test_console_session_secret_is_generated_with_the_others_and_required_in_production(
        tmp_path):
    embedded = make_settings(tmp_path / "h")
    stored = json.loads((tmp_path / "h" / "secrets.json").read_text())
    assert stored["ui_session_secret"] == embedded.ui_session_secret.get_secret_value()
    assert len(stored["ui_session_secret"]) >= 32
    production = {"profile": "production", "database_url": "postgresql://db/medic",
                  **{name: GIVEN for name in NAMES if name != "ui_session_secret"}}
    with pytest.raises(ConfigError, match="MEDIC_UI_SESSION_SECRET is a placeholder"):
        Settings(home=tmp_path / "p", _env_file=None, **production)
    without_console = Settings(home=tmp_path / "p", _env_file=None, ui=False, **production)
    assert without_console.ui_session_secret.get_secret_value() == ""
    assert not (tmp_path / "p" / "secrets.json").exists()


def test_item5_up_refuses_a_public_address_with_generated_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "h"))
    refused = runner.invoke(app, ["up", "--host", "0.0.0.0"])
    assert refused.exit_code == 2
    assert refused.output.startswith("error: refusing to listen on 0.0.0.0 with generated "
                                     "secrets (MEDIC_ALERTMANAGER_TOKEN, MEDIC_WEBHOOK_SECRET)")
    assert not (tmp_path / "h" / "mlflow.db").exists()  # refused before any work
    for host in ("127.0.0.1", "localhost", "::1"):
        refuse_public_exposure(make_settings(tmp_path / "h"), host)
    refuse_public_exposure(make_settings(tmp_path / "h", webhook_secret=WEBHOOK,
                                         alertmanager_token=TOKEN), "0.0.0.0")
    refuse_public_exposure(make_settings(tmp_path / "h",
                                         allow_public_with_generated_secrets=True), "0.0.0.0")


def test_item5_generated_secrets_are_shown_once_at_first_start(tmp_path, capsys):
    settings = make_settings(tmp_path / "h")
    show_first_start(settings)
    first = capsys.readouterr().out
    assert settings.webhook_secret.get_secret_value() in first
    assert settings.alertmanager_token.get_secret_value() in first
    assert settings.audit_key.get_secret_value() not in first
    show_first_start(make_settings(tmp_path / "h"))
    assert capsys.readouterr().out == ""


def test_item15_secrets_show_prints_the_audit_key_only_when_asked_and_warns(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "h"))
    audit_key = make_settings(tmp_path / "h").audit_key.get_secret_value()
    for shown in (runner.invoke(app, ["secrets", "show", "--json"]),
                  runner.invoke(app, ["secrets", "show"])):
        assert shown.exit_code == 0 and audit_key not in shown.stdout + shown.stderr
    assert "audit_key" not in json.loads(runner.invoke(app, ["secrets", "show", "--json"]).stdout)
    assert "not shown (--include-audit-key)" in runner.invoke(app, ["secrets", "show"]).stdout
    asked = runner.invoke(app, ["secrets", "show", "--json", "--include-audit-key"])
    assert json.loads(asked.stdout)["audit_key"] == audit_key
    assert "whoever holds MEDIC_AUDIT_KEY can rewrite the audit log" in asked.stderr


@pytest.mark.parametrize("profile", ["embedded", "production"])
@pytest.mark.parametrize("value", [
    "change-me-please-now-123", "ChangeMe-ChangeMe-2026", "change_me_before_going_live",
    "your-placeholder-value-here", "an-example-webhook-token", "my-webhook-secret-for-prod",
    "Password1234567890!", "xxxx-xxxx-xxxx-xxxx-xxxx", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "abababababababababababab", "1234567890123456789", "abcdefghijklmnopqrstuvwxyz",
    "aaaabbbbaaaabbbbccccdddd"])
def test_item15_obvious_placeholders_are_refused_by_pattern(tmp_path, profile, value):
    for name in NAMES:
        given = {n: GIVEN for n in NAMES} | {name: value}
        with pytest.raises(ConfigError, match=f"MEDIC_{name.upper()} is a placeholder") as refused:
            Settings(home=tmp_path, _env_file=None, profile=profile,
                     database_url="postgresql://db/medic", **given)
        assert value not in str(refused.value)  # the message never quotes the secret


def test_item15_real_secrets_are_accepted(tmp_path):
    import secrets

    for value in (secrets.token_urlsafe(32), secrets.token_hex(32), "an-operator-chose-this-one",
                  "correct horse battery staple"):
        given = dict.fromkeys(NAMES, value)
        chosen = Settings(home=tmp_path, _env_file=None, profile="production",
                          database_url="postgresql://db/medic", **given)
        assert chosen.audit_key.get_secret_value() == value


def test_item15_a_taken_key_name_says_names_are_never_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "h"))
    admin = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "root"])
    monkeypatch.setenv("MEDIC_API_KEY", admin.stdout.strip())
    runner.invoke(app, ["keys", "create", "--role", "viewer", "--name", "alice"])
    revoked = runner.invoke(app, ["keys", "revoke", "alice"])
    assert revoked.exit_code == 0, revoked.output
    again = runner.invoke(app, ["keys", "create", "--role", "viewer", "--name", "alice"])
    assert again.exit_code == 2 and "revoke it first" not in again.output
    assert "never reused, even after a key is revoked: choose another name" in again.output
