"""bike-demand trains from its spec alone: regressors, MAE, registered under its own name."""

import math

import pandas as pd
import pytest
import yaml

from core.errors import BelowMinimumF1
from ml.registry.aliases import open_registry
from ml.training import train
from tests.conftest import make_settings

LIGHT = {"cv_folds": 2, "models": {
    "random_forest": {"n_estimators": 20, "max_depth": 8},
    "xgboost": {"n_estimators": 40, "max_depth": 5, "learning_rate": 0.1},
    "lightgbm": {"n_estimators": 40, "num_leaves": 15, "learning_rate": 0.1},
}}


def _bike_settings(home, tmp_path, **overrides):
    light = tmp_path / "light.yaml"
    light.write_text(yaml.safe_dump(LIGHT))
    return make_settings(home, default_model="bike-demand", model_name="bike-demand",
                         experiment="bike-demand", training_config=light, **overrides)


@pytest.fixture(scope="module")
def bike(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bike")
    settings = _bike_settings(folder / "medic", folder)
    registry = open_registry(settings)
    return settings, registry, train.run(settings, registry)


def test_bike_demand_trains_regressors_and_registers_the_lowest_mae(bike):
    _, registry, result = bike
    assert {c.name for c in result.candidates} == {"random_forest", "xgboost", "lightgbm"}
    best = min(result.candidates, key=lambda c: c.cv["mae"])
    assert result.best == best.name and result.decision == "champion"
    assert registry.name == "bike-demand" and registry.alias("champion") == result.version
    for candidate in result.candidates:
        assert set(candidate.test) == {"mae", "rmse", "r2"}
        assert 0 < candidate.test["mae"] < 60 and candidate.test["r2"] > 0.3
    assert registry.version(result.version).metrics["test_mae"] == pytest.approx(
        best.test["mae"])


def test_the_champion_reads_rows_as_the_csv_has_them(bike):
    _, registry, _ = bike
    model = registry.load("champion")
    rows = pd.DataFrame([
        {"season": "spring", "hr": "6am", "holiday": "No", "weekday": None,
         "workingday": "Yes", "weathersit": None, "temp": 8.2, "atemp": 6.0, "hum": 70.0,
         "windspeed": 11.0},
        {"season": "spring", "hr": "5pm", "holiday": "No", "weekday": "Wed",
         "workingday": "Yes", "weathersit": "Clear", "temp": 14.0, "atemp": 13.0, "hum": 40.0,
         "windspeed": 9.0},
    ])
    early, rush = model.predict(rows)
    assert math.isfinite(early) and rush > early  # the evening rush hour rents more


def test_a_regressor_over_its_maximum_mae_registers_nothing(bike, tmp_path):
    settings, registry, _ = bike
    before = len(registry.versions())
    strict = _bike_settings(settings.home, tmp_path, min_f1=1.0)
    with pytest.raises(BelowMinimumF1, match=r"held-out MAE \d+\.\d{3}, over the maximum "
                                             r"1\.000; nothing registered"):
        train.run(strict, registry)
    assert len(registry.versions()) == before


def test_cli_train_names_the_known_models_for_an_unknown_one(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["train", "--model", "nope"])
    assert result.exit_code == 1
    assert "unknown model 'nope'; known: bike-demand, heart-disease" in result.output
    assert len(result.output.strip().splitlines()) == 1
