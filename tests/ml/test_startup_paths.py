"""What users wait for: the champion loads without MLflow; training shows its progress."""

import os
import subprocess
import sys

import pytest
import yaml

from core.settings import PROJECT_ROOT
from tests.conftest import LIGHT

LOAD = """
import sys
from core.settings import Settings
from ml.registry.aliases import open_registry
from ml.serving.model import ServingModel
import numpy as np
loaded = ServingModel(open_registry(Settings())).reload()
row = np.array([[63, 1, 1, 145, 233, 1, 2, 150, 0, 2.3, 3, 0, 6]], dtype=float)
probability = loaded.score(row)[0]
before = "sklearn" in sys.modules
print(loaded.version, before, "mlflow" in sys.modules, type(loaded.model).__name__,
      abs(probability - loaded.model.predict_proba(
          __import__("pandas").DataFrame(row, columns=loaded.model.feature_names_in_))[0, 1])
      < 1e-9)
"""


def _env(home) -> dict:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("MEDIC_")},
            "MEDIC_HOME": str(home), "PYTHONPATH": str(PROJECT_ROOT), "DO_NOT_TRACK": "true"}


def test_serving_scores_the_champion_before_importing_sklearn_or_mlflow(trained):
    settings = trained[0]
    out = subprocess.run([sys.executable, "-c", LOAD], env=_env(settings.home), text=True,
                         capture_output=True, check=True, cwd=PROJECT_ROOT).stdout.split()
    assert out == ["2", "False", "False", "Pipeline", "True"]


def test_artifact_load_scores_exactly_as_mlflow_load(trained):
    import pandas as pd

    from ml import data
    from ml.serving.model import load_artifact
    from tests.conftest import DATA, HEART

    registry = trained[1]
    found = registry.champion_artifact()
    version, uri = found.version, found.uri
    assert version == "2" and uri.startswith("file://") and found.scorer["kind"] == "linear"
    rows = data.features(data.load_site(DATA, "hungarian", HEART), HEART)
    ours = load_artifact(uri).predict_proba(pd.DataFrame(rows))[:, 1]
    theirs = registry.load(version).predict_proba(pd.DataFrame(rows))[:, 1]
    assert (ours == theirs).all()


def test_a_remote_or_missing_artifact_falls_back_to_mlflow(trained, tmp_path):
    from ml.serving.model import load_artifact

    assert load_artifact("s3://bucket/models/m-1/artifacts") is None
    assert load_artifact(f"file://{tmp_path}/nothing-here") is None


@pytest.mark.slow
def test_train_shows_model_and_fold_and_keeps_library_info_lines_quiet(tmp_path):
    # every family and fold of the shipped recipe, each fitting a few trees: the output is
    # the point here, and trained_home trains the shipped recipe itself
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(yaml.safe_dump({"cv_folds": 5, "models": {
        "logreg": {"C": 0.5, "max_iter": 2000},
        "random_forest": {"n_estimators": 20, "max_depth": 6},
        "xgboost": {"n_estimators": 20, "max_depth": 3},
        "lightgbm": {"n_estimators": 20, "num_leaves": 8, "min_child_samples": 10}}}))
    env = {**_env(tmp_path / "medic"), "FORCE_COLOR": "1", "COLUMNS": "120",
           "MEDIC_TRAINING_CONFIG": str(recipe)}
    done = subprocess.run([sys.executable, "-m", "cli", "train"], env=env, text=True,
                          capture_output=True, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in ("logreg", "random_forest", "xgboost", "lightgbm"):
        assert f"{name}: fold 1 of 5" in done.stderr and f"{name}: fold 5 of 5" in done.stderr
    terminal = done.stdout + done.stderr
    assert "INFO" not in terminal and "Successfully registered" not in terminal
    assert "champion" in done.stdout


@pytest.mark.slow
def test_first_medic_up_trains_quietly_and_shows_each_secret_once(tmp_path):
    from tests.processes import log_of, start_medic, stop

    home, recipe = tmp_path / "medic", tmp_path / "light.yaml"
    recipe.write_text(yaml.safe_dump(LIGHT))  # what is printed is the point, not the model
    env = {k: v for k, v in _env(home).items() if k != "PYTHONPATH"}
    process, _url = start_medic(home, env={**env, "MEDIC_UI": "false",
                                           "MEDIC_TRAINING_CONFIG": str(recipe)}, timeout=300)
    stop(process)
    terminal = log_of(home).read_text()
    assert "training first" in terminal
    assert "Successfully registered" not in terminal and "Created version" not in terminal
    assert "INFO mlflow" not in terminal and "INFO great_expectations" not in terminal
    assert terminal.count("an admin key was created (shown once)") == 1
