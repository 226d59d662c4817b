import json

import mlflow
import pytest
import yaml
from typer.testing import CliRunner

from cli.main import app
from core.errors import BelowMinimumF1
from core.settings import PROJECT_ROOT
from ml.training import train
from ml.training.lineage import dvc_dir_hash
from tests.conftest import DATA, HEART, make_settings


def test_first_run_registers_a_champion_with_full_lineage(trained):
    settings, registry, first, _ = trained
    assert first.decision == "champion" and first.version == "1"
    assert {c.name for c in first.candidates} == {"logreg", "random_forest", "xgboost", "lightgbm"}
    client = registry._client
    parent = client.get_run(first.parent_run_id)
    assert parent.data.tags["data_version"] == dvc_dir_hash(DATA)
    assert parent.data.tags["git_commit"]
    children = client.search_runs(
        [parent.info.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{first.parent_run_id}'",
    )
    assert len(children) == 4
    for child in children:
        assert {"test_f1", "test_roc_auc", "test_accuracy", "test_precision", "test_recall",
                "cv_f1"} <= set(child.data.metrics)
        artifacts = {a.path for a in client.list_artifacts(child.info.run_id, "plots")}
        assert artifacts == {"plots/confusion_matrix.png", "plots/roc_curve.png"}
    report = mlflow.artifacts.load_dict(f"runs:/{first.parent_run_id}/validation/report.json")
    assert report["success"] is True


def test_data_version_is_the_hash_dvc_records():
    lock = yaml.safe_load((PROJECT_ROOT / "dvc.lock").read_text())
    deps = {d["path"]: d["md5"] for d in lock["stages"]["train"]["deps"]}
    assert deps["data/raw"] == dvc_dir_hash(DATA)


def test_champion_scores_and_loads(trained):
    _, registry, first, _ = trained
    champion = registry.champion()
    best = next(c for c in first.candidates if c.name == first.best)
    assert champion.metrics["test_f1"] == pytest.approx(best.test["f1"])
    assert best.test["f1"] >= 0.75 and best.test["roc_auc"] >= 0.85
    model = registry.load("champion")
    frame = train.data.features(train.data.load_site(DATA, "cleveland", HEART), HEART).head(5)
    probability = model.predict_proba(frame)[:, 1]
    assert probability.shape == (5,) and ((probability >= 0) & (probability <= 1)).all()


def test_same_data_gives_same_metrics_and_passes_the_gate(trained):
    _, registry, first, second = trained
    assert [c.test for c in first.candidates] == [c.test for c in second.candidates]
    assert [c.cv for c in first.candidates] == [c.cv for c in second.candidates]
    assert second.decision == "champion" and second.version == "2"
    first_best = next(c for c in first.candidates if c.name == first.best)
    assert second.champion_test_metric == "f1"
    assert second.champion_test_score == pytest.approx(first_best.test["f1"])
    assert registry.alias("champion") == "2" and registry.alias("previous") == "1"


def test_a_worse_model_stays_challenger(trained, tmp_path):
    settings, registry, _, second = trained
    weak = {"min_f1": 0.1}  # overrides of the spec's recipe
    weak["models"] = {
        "logreg": {"C": 0.0005, "max_iter": 200},
        "random_forest": {"n_estimators": 1, "max_depth": 1},
        "xgboost": {"n_estimators": 1, "max_depth": 1},
        "lightgbm": {"n_estimators": 1, "num_leaves": 2},
    }
    config_path = tmp_path / "weak.yaml"
    config_path.write_text(yaml.safe_dump(weak))
    weak_settings = make_settings(settings.home, training_config=config_path)
    result = train.run(weak_settings, registry)
    assert result.decision == "challenger"
    assert result.champion_test_score > max(c.test["f1"] for c in result.candidates)
    assert registry.alias("champion") == second.version
    assert registry.alias("challenger") == result.version
    assert "kept as challenger" in registry.history()[-1].reason


def test_below_minimum_f1_registers_nothing(trained):
    settings, registry, _, _ = trained
    before = len(registry.versions())
    with pytest.raises(BelowMinimumF1, match="under the minimum 0.990; nothing registered"):
        train.run(make_settings(settings.home, min_f1=0.99), registry)
    assert len(registry.versions()) == before


def test_cli_train_says_why_and_exits_non_zero(trained, monkeypatch):
    settings, _, _, _ = trained
    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    result = CliRunner().invoke(app, ["train", "--min-f1", "0.99"])
    assert result.exit_code == 1
    assert "nothing registered" in result.output and "Traceback" not in result.output


def test_cli_train_json(trained, monkeypatch, tmp_path):
    settings, registry, _, _ = trained
    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    out = tmp_path / "training.json"
    result = CliRunner().invoke(app, ["train", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    saved = json.loads(out.read_text())
    assert saved["decision"] == "champion" and saved["version"] == "3"
