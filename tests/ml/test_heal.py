"""Remediation retrains learn from labelled production rows, or do not run at all."""

import json
from datetime import timedelta
from pathlib import Path

from core.clock import utcnow
from ml.training import heal
from ml.training import snapshot as training_set
from tests.ml.conftest import log_traffic


def test_no_label_since_the_champion_means_no_fit(trained, site):
    settings, registry, *_ = trained
    champion = registry.champion()
    before = champion.created_at - timedelta(days=1)
    log_traffic(registry.sessions, site("va").head(60), start=before, version=champion.version,
                label_delay=timedelta(minutes=1))  # labelled long before the champion existed
    versions = len(registry.versions())

    outcome = heal.retrain(settings, registry, registry.sessions, actor="test")

    assert outcome.status == "no_new_data"
    assert "drift without labels" in outcome.reason and "approve a rollback" in outcome.reason
    assert len(registry.versions()) == versions
    assert not (settings.home / "training-sets").exists()


def test_retrain_fits_on_reference_plus_production_and_records_the_set(trained, site):
    import mlflow

    settings, registry, *_ = trained
    champion = registry.champion()
    va = site("va")
    log_traffic(registry.sessions, va, start=utcnow(), version=champion.version,
                model=registry.load(champion.version))

    outcome = heal.retrain(settings, registry, registry.sessions, actor="test")

    assert outcome.status == "trained"
    result = outcome.result
    composition = result.training_set["composition"]
    # VA's 200 rows hold one repeated case: 199 cases, the latest 60 judge, 139 train
    assert composition == {"reference-cleveland": 242, "production": 139}
    snapshot = Path(result.training_set["path"])
    assert snapshot.is_file() and Path(f"{snapshot}.dvc").is_file()
    md5 = result.training_set["md5"]
    assert md5 in Path(f"{snapshot}.dvc").read_text()
    stored = training_set.recorded(registry.sessions, registry.name, result.version)
    assert (stored.path, stored.md5, stored.rows) == (str(snapshot), md5, 242 + 139)
    pushed = settings.home / "dvc-remote" / "files" / "md5" / md5[:2] / md5[2:]
    assert pushed.read_bytes() == snapshot.read_bytes()  # MEDIC_DVC_REMOTE's default
    params = mlflow.get_run(result.parent_run_id).data.params
    assert params["rows_production"] == "139"
    assert params["training_set_md5"] == result.training_set["md5"]
    gate = result.gate
    assert {r["rows"] for r in gate["table"] if r["group"] == "all"} == {60, 61}
    assert result.decision == gate["decision"]
    assert registry.alias(result.decision) == result.version
    child = mlflow.MlflowClient().list_artifacts(result.parent_run_id, "gate")
    assert {a.path for a in child} == {"gate/verdict.json", "gate/table.txt"}
    assert json.loads(Path(mlflow.artifacts.download_artifacts(
        run_id=result.parent_run_id, artifact_path="gate/verdict.json")).read_text())["table"]
