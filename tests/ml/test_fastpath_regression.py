"""A regressor's fast path: the pipeline's encoding in NumPy, then its trees walked as arrays
(a few rows) or its library (more); the pipeline's numbers."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ml import data
from ml.serving.fastpath import Forest, compile_scorer
from ml.serving.rows import Rows
from ml.training import candidates as models
from tests.ml.test_bike_data import BIKE, HOURLY

LIGHT = {"random_forest": {"n_estimators": 20, "max_depth": 8},
         "xgboost": {"n_estimators": 40, "max_depth": 5, "learning_rate": 0.1},
         "lightgbm": {"n_estimators": 40, "num_leaves": 15, "learning_rate": 0.1}}


@pytest.fixture(scope="module")
def hours():
    frame = data.load(HOURLY, BIKE)
    return data.features(frame, BIKE), frame[BIKE.label]


def _requests(features: pd.DataFrame) -> list:
    """The rows as validated requests carry them: None where the CSV cell was empty."""
    return [SimpleNamespace(**{k: (None if v is None or v != v else v) for k, v in r.items()})
            for r in features.to_dict("records")]


@pytest.mark.parametrize("name", sorted(LIGHT))
def test_fast_predictions_equal_the_pipeline_on_rows_with_missing_values(name, hours):
    features, target = hours
    fitted, later = features.iloc[:3000], features.iloc[3000:5000]
    pipeline = models.build(name, LIGHT[name], 42, BIKE).fit(fitted, target.iloc[:3000])
    rows = Rows(BIKE)
    x = rows.matrix(_requests(later))
    assert np.isnan(x).any()  # weekday and weathersit hold gaps
    score = compile_scorer(pipeline, rows)
    expected = pipeline.predict(later)
    np.testing.assert_allclose(score(x), expected, rtol=1e-6, atol=1e-6)  # the library's
    # A few rows walk the trees as arrays (XGBoost adds its leaves in float32: to 1e-4)
    walked = np.concatenate([score(x[i:i + Forest.MAX_ROWS])
                             for i in range(0, 400, Forest.MAX_ROWS)])
    np.testing.assert_allclose(walked, expected[:400], rtol=1e-4, atol=1e-3)
    assert score(x[:1])[0] == pytest.approx(expected[0], rel=1e-4)


def test_a_category_unseen_in_training_scores_as_the_pipeline_does(hours):
    features, target = hours
    winter = features[features["season"] == "winter"]
    pipeline = models.build("xgboost", LIGHT["xgboost"], 42, BIKE).fit(
        winter, target.loc[winter.index])
    summer = features[features["season"] == "summer"].head(50)  # no summer in training
    rows = Rows(BIKE)
    np.testing.assert_allclose(compile_scorer(pipeline, rows)(rows.matrix(_requests(summer))),
                               pipeline.predict(summer), rtol=1e-6, atol=1e-6)


def test_rows_travel_as_codes_and_come_back_as_sent():
    rows = Rows(BIKE)
    sent = {"season": "fall", "hr": "11pm", "holiday": "Yes", "weekday": None,
            "workingday": "No", "weathersit": "Heavy Rain", "temp": -3.5, "atemp": -9.0,
            "hum": 93.0, "windspeed": 40.0}
    x = rows.matrix([SimpleNamespace(**sent)])
    assert x[0, BIKE.feature_names.index("hr")] == 23.0 and np.isnan(x).sum() == 1
    assert rows.decode(x) == [sent]
