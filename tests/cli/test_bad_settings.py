"""A MEDIC_* variable that is not valid: a one-line error naming it, never a traceback."""

from typer.testing import CliRunner

from cli.main import app


def test_a_bad_setting_is_one_line_naming_the_variable_and_not_its_value(monkeypatch,
                                                                          tmp_path):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "medic"))
    monkeypatch.setenv("MEDIC_WORKER_PROCESS", "maybe-s3cr3t")
    monkeypatch.setenv("MEDIC_WORKER_POLL_SECONDS", "-1")
    result = CliRunner().invoke(app, ["up", "--port", "1"])
    said = result.output
    assert result.exit_code == 2, said
    assert "MEDIC_WORKER_PROCESS" in said and "MEDIC_WORKER_POLL_SECONDS" in said
    assert "Traceback" not in said and "maybe-s3cr3t" not in said
    assert result.exception is None or isinstance(result.exception, SystemExit)
