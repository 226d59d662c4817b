"""Hardening item 12: `reload_model` run from the CLI must reach the serving processes."""

import os
import subprocess
import sys
import time

from sqlalchemy import select

from core.alerts import Alert
from core.tables import ActionRun
from ml.registry.aliases import open_registry
from ml.serving.fleet import Fleet
from ml.serving.model import ServingModel
from tests.conftest import PROJECT_ROOT
from tests.processes import PATIENCE


def _replica(settings):
    """One serving process's models and their watcher, on its own database connection."""
    reloads = []
    fleet = Fleet(settings.model_copy(update={"reload_seconds": 0.1}), open_registry(settings),
                  on_load_failure=lambda _name: None,
                  on_reload=lambda _name, version: reloads.append(version))
    fleet.load()
    fleet.start()
    return fleet.default.serving, fleet, reloads


def test_reload_model_from_the_cli_reaches_every_serving_process(trained, tmp_path):
    settings, registry = trained[0], trained[1]
    replicas = [_replica(settings) for _ in range(2)]
    before = [serving.current for serving, _, _ in replicas]
    alert = tmp_path / "alert.json"  # medium severity: the agent reloads on its own
    alert.write_text(Alert(name="ServingErrors", type="system_error",
                           values={"error_rate": 0.08}).model_dump_json())
    try:
        sent = subprocess.run([sys.executable, "-m", "cli", "alert", "send", str(alert)],
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "MEDIC_HOME": str(settings.home)})
        assert sent.returncode == 0, sent.stderr[-2000:]
        deadline = time.monotonic() + 10 * PATIENCE
        while time.monotonic() < deadline and not all(r for _, _, r in replicas):
            time.sleep(0.1)
    finally:
        for _, watcher, _ in replicas:
            watcher.close()
    for (serving, _, reloads), old in zip(replicas, before, strict=True):
        assert reloads == ["2"]  # each replica reloaded the champion once, and said so
        assert serving.current is not old and serving.current.generation == 1
    with registry.sessions() as session:
        [run] = session.scalars(select(ActionRun)).all()
    # whether it helped is measured later, by the serving monitors (verify's watch)
    assert (run.tool, run.status, run.effective) == ("reload_model", "success", None)
    assert "requested (generation 1)" in run.result["message"]


def test_serving_ignores_polls_without_a_request(trained):
    registry = trained[1]
    serving = ServingModel(registry)
    first = serving.reload()
    assert serving.reload() is first  # nothing moved, nothing requested
    registry.request_reload(actor="test")
    second = serving.reload()
    assert second is not first and (second.version, second.generation) == ("2", 1)
