import numpy as np
import pytest

from ml import data
from ml.data import LABEL
from ml.serving.fastpath import compile_scorer
from ml.training import candidates as models
from tests.conftest import DATA, HEART

CONFIG = {"models": HEART.training.families}


@pytest.mark.parametrize("name", models.CANDIDATES)
def test_fast_scores_equal_the_pipeline_on_every_site(name):
    frame = data.load_site(DATA, "cleveland", HEART)
    pipeline = models.build(name, CONFIG["models"][name], 42, HEART).fit(
        data.features(frame, HEART), frame[LABEL])
    score = compile_scorer(pipeline)
    for site in data.SITES:  # other sites bring missing values the training data lacks
        features = data.features(data.load_site(DATA, site, HEART), HEART)
        expected = pipeline.predict_proba(features)[:, 1]
        np.testing.assert_allclose(score(features.to_numpy(float)), expected, atol=1e-9)


def test_unknown_category_scores_like_sklearn():
    frame = data.load_site(DATA, "cleveland", HEART)
    pipeline = models.build("logreg", CONFIG["models"]["logreg"], 42, HEART).fit(
        data.features(frame, HEART), frame[LABEL])
    odd = data.features(frame, HEART).head(3).copy()
    odd["thal"] = 5.0  # not a category seen in training
    np.testing.assert_allclose(compile_scorer(pipeline)(odd.to_numpy(float)),
                               pipeline.predict_proba(odd)[:, 1], atol=1e-9)
