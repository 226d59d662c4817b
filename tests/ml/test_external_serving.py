"""A model trained elsewhere in a flavour that is not scikit-learn is served through its pyfunc,
on the caller's values (text categories as texts)."""

from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from ml import spec as specs
from ml.serving import external
from ml.serving.rows import Rows
from tests.conftest import PROJECT_ROOT

RIDES = [{"season": "spring", "hr": "6am", "holiday": "No", "weekday": None,
          "workingday": "Yes", "weathersit": None, "temp": 8.0, "atemp": 6.0, "hum": 70.0,
          "windspeed": 11.0},
         {"season": "summer", "hr": "5pm", "holiday": "No", "weekday": "Wed",
          "workingday": "Yes", "weathersit": "Clear", "temp": 25.0, "atemp": 24.0,
          "hum": 40.0, "windspeed": 9.0}]


def _spec() -> specs.ModelSpec:
    raw = yaml.safe_load((PROJECT_ROOT / "configs" / "models" / "bike-demand.yaml").read_text())
    return specs.parse({**raw, "name": "city-bikes", "training": "external"}, "city-bikes.yaml")


def test_a_python_model_flavour_is_loaded_as_a_pyfunc_and_answers_rows_as_sent(settings):
    import mlflow
    import mlflow.pyfunc

    from ml.registry import tracking
    from ml.registry.aliases import ChampionArtifact, open_registry

    class RushHour(mlflow.pyfunc.PythonModel):
        """A team's own model: a rule on the raw row, no scikit-learn in it."""

        def predict(self, context, model_input, params=None):
            """Predict 10 rides a degree, 300 more at 5pm; reads the texts as sent."""
            rush = (model_input["hr"] == "5pm").astype(float) * 300.0
            return model_input["temp"] * 10.0 + rush

    tracking.configure(settings)
    with mlflow.start_run():
        logged = mlflow.pyfunc.log_model(name="model", python_model=RushHour(),
                                         pip_requirements=["pandas"])
    mlflow.register_model(logged.model_uri, "city-bikes")
    registry = open_registry(settings).named("city-bikes")
    found = ChampionArtifact(version="1", uri=registry.download_uri("1"))

    model = external.load(registry, found)
    assert "python_function" in model.metadata.flavors  # not unwrapped: no sklearn in it
    rows = Rows(_spec())
    score = external.scorer(model, rows, classifier=False)
    answered = score(rows.matrix([SimpleNamespace(**ride) for ride in RIDES]))
    assert answered.tolist() == pytest.approx([80.0, 550.0])


def test_a_classifiers_answer_is_read_as_the_positive_class_probability():
    assert external.answers(pd.DataFrame({"no": [0.8, 0.3], "yes": [0.2, 0.7]})).tolist() == \
        [0.2, 0.7]
    assert external.answers(pd.Series([0.25, 0.5])).tolist() == [0.25, 0.5]
    assert external.answers([1, 0]).tolist() == [1.0, 0.0]  # a bare class: 1 or 0
