"""`medic simulate` against a real `medic up` on 127.0.0.1: VA patients, labels, then monitors."""

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.main import app
from core.db import connect
from core.tables import Feedback, Prediction
from tests.api.conftest import SECRET, TOKEN, api_settings, role_keys
from tests.processes import free_port, start_medic, stop, wait_for


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
    # the table is on stdout; a monitor that fires in this process also logs to stderr
    drift_row = next(line for line in done.stdout.splitlines() if "data_drift" in line)
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


def sent_patients(settings, count: int) -> list[tuple]:
    """Wait until `count` predictions are logged; return their patients, oldest first."""
    sessions = connect(settings.database_url)

    def logged() -> int:
        with sessions() as session:
            return session.scalar(select(func.count()).select_from(Prediction))

    wait_for(lambda: logged() >= count, timeout=60, what=f"{count} predictions logged")
    with sessions() as session:
        return [tuple(sorted(f.items())) for f in session.scalars(
            select(Prediction.features).order_by(Prediction.created_at, Prediction.id))]


def test_a_later_run_sends_patients_not_sent_before_unless_asked_again(served):
    url, keys, settings = served
    runner = CliRunner()
    base = ["simulate", "--site", "va", "--url", url, "--key", keys["predictor"], "--no-check"]

    for _ in range(2):  # e.g. before and after a retrain on the first run's labels
        done = runner.invoke(app, [*base, "--rows", "80", "--labels"])
        assert done.exit_code == 0, done.output
    logged = sent_patients(settings, 160)
    first, second = logged[:80], logged[80:]
    assert len(second) == 80 and not set(first) & set(second)

    again = runner.invoke(app, [*base, "--rows", "20", "--again"])
    assert again.exit_code == 0, again.output
    assert sent_patients(settings, 180)[160:] == first[:20]

    wrapped = runner.invoke(app, [*base, "--rows", "60"])
    assert wrapped.exit_code == 0, wrapped.output
    assert "va has 200 patients and 160 were sent before: 20 of these 60 are sent again" in \
        " ".join(wrapped.output.split())
