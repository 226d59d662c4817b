"""A champion that cannot be loaded: counted, the old model keeps serving, the monitor fires."""

import shutil
import time
from pathlib import Path

import pytest

from api.metrics import ServingWindows
from core.errors import ModelLoadError
from core.tables import Incident, ModelArtifact
from ml.serving.model import ServingModel
from services.monitors import run as monitors
from tests.api.conftest import PATIENT
from tests.processes import PATIENCE


def break_champion(registry, folder: Path) -> str:
    """Point the champion at a garbled copy of its files, with no stored scorer; return its
    version. (A copy: the trained home's artifacts are shared by every test of the session.)
    """
    found = registry.champion_artifact()
    broken = folder / "broken-artifact"
    shutil.copytree(Path(found.uri.removeprefix("file://")), broken)
    (broken / "model.pkl").write_bytes(b"not a pickle")
    with registry.sessions.begin() as session:
        artifact = session.get(ModelArtifact, (registry.name, found.version))
        artifact.scorer, artifact.uri = None, broken.as_uri()
    return found.version


def test_a_failed_load_is_counted_and_the_model_before_stays(trained):
    registry = trained[1]
    failures = []
    serving = ServingModel(registry, on_load_failure=lambda: failures.append(1))
    before = serving.reload()
    version = break_champion(registry, trained[0].home)
    registry.request_reload(actor="test")
    for attempt in (1, 2):
        with pytest.raises(ModelLoadError, match=f"version {version} \\(UnpicklingError\\)"):
            serving.reload()
        assert len(failures) == attempt
    assert serving.current is before


def test_the_load_failures_monitor_fires_on_a_champion_that_cannot_load(api, trained):
    headers = api.as_role("predictor")
    windows = ServingWindows(api.root.metrics)
    break_champion(trained[1], trained[0].home)
    trained[1].request_reload(actor="test")
    deadline = time.monotonic() + 30 * PATIENCE
    while windows(15, "heart-disease").load_failures < 3 and time.monotonic() < deadline:
        time.sleep(0.1)  # the watcher retries every 0.2 s here, failing each time
    assert api.post("/v1/predict", json=PATIENT, headers=headers).status_code == 200

    scraped = api.get("/metrics", headers=api.as_role("viewer")).text
    [line] = [x for x in scraped.splitlines() if x.startswith("medic_model_load_failures_total")]
    assert float(line.split()[1]) >= 3

    checked = {r.name: r for r in monitors.run_checks(api.root.medic, serving=windows)}
    failed = checked["load_failures"]
    assert failed.value >= 3 and failed.state == "critical"
    assert checked["data_drift"].note == "no reference: the champion could not be loaded"
    with api.root.sessions() as session:
        [incident] = session.query(Incident).all()
    assert incident.alert_type == "system_error"
    assert incident.alert["labels"]["monitor"] == "load_failures"
    assert incident.alert["values"]["load_failures"] == failed.value
