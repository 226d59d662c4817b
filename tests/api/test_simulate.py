"""`medic simulate` against a real `medic up` on 127.0.0.1: VA patients, labels, then monitors."""

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.main import app
from core.db import connect
from core.tables import Feedback, Prediction
from tests.api.conftest import SECRET, TOKEN, api_settings, role_keys
from tests.processes import free_port, start_medic, stop


@pytest.fixture
def served(trained, monkeypatch):
    settings = api_settings(trained[0].home)
    made = role_keys(settings)
    env = {"MEDIC_WEBHOOK_SECRET": SECRET, "MEDIC_ALERTMANAGER_TOKEN": TOKEN,
           "MEDIC_HOME": str(settings.home)}
    process, url = start_medic(settings.home, env=env)
    for name in ("WEBHOOK_SECRET", "ALERTMANAGER_TOKEN", "HOME"):
        monkeypatch.setenv(f"MEDIC_{name}", env[f"MEDIC_{name}"])
    yield url, made, settings
    stop(process, timeout=60)


def test_va_patients_with_labels_reach_the_log_and_the_monitors_see_drift(served):
    url, keys, settings = served
    runner = CliRunner()
    done = runner.invoke(app, ["simulate", "--site", "va", "--rows", "150", "--labels",
                               "--url", url, "--key", keys["predictor"]])
    assert done.exit_code == 0, done.output
    assert "150 predictions answered, 0 refused, 150 labels sent" in done.output, done.output
    drift_row = next(line for line in done.output.splitlines() if "data_drift" in line)
    assert "150/100" in drift_row and ("critical" in drift_row or "warning" in drift_row)
    sessions = connect(settings.database_url)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Prediction)) == 150
        assert session.scalar(select(func.count()).select_from(Feedback)) == 150


def test_simulate_says_in_one_line_what_is_wrong(served):
    url, keys, _settings = served
    runner = CliRunner()
    viewer = runner.invoke(app, ["simulate", "--rows", "1", "--url", url,
                                 "--key", keys["viewer"]])
    assert viewer.exit_code == 2 and "refused the key" in viewer.output
    site = runner.invoke(app, ["simulate", "--site", "mars", "--key", keys["predictor"]])
    assert site.exit_code == 2 and "--site must be one of" in site.output
    closed = runner.invoke(app, ["simulate", "--rows", "1", "--url", f"http://127.0.0.1:"
                                 f"{free_port()}", "--key", keys["predictor"], "--no-check"])
    assert closed.exit_code == 2 and "cannot reach" in closed.output
