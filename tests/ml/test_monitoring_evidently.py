"""Medic's drift checks give Evidently's verdicts and numbers on all four UCI sites."""

import os

import numpy as np
import pandas as pd
import pytest

from ml import data
from ml.monitoring import drift
from ml.monitoring.drift_report import evidently_definition, write_evidently_report
from ml.monitoring.stattests import DISPLAY_NAME
from ml.training.train import TrainingConfig, split
from tests.conftest import DATA, HEART, PROJECT_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def evidently():
    """Import Evidently once for the module."""
    os.environ.setdefault("DO_NOT_TRACK", "true")
    import evidently as module
    from evidently.presets import DataDriftPreset

    return module, DataDriftPreset


@pytest.fixture(scope="module")
def training_split():
    config = TrainingConfig.from_spec(HEART)
    x_train, _x_test, _y_train, _y_test = split(data.load_site(DATA, "cleveland", HEART), config,
                                                HEART)
    return x_train


def evidently_verdicts(evidently, reference, current, kinds):
    """Run Evidently's DataDriftPreset; return {column: (test, score, drifted)}, share, drift."""
    module, preset = evidently
    columns = [c for c in kinds if current[c].notna().any()]
    definition = module.DataDefinition(
        numerical_columns=[c for c in columns if kinds[c] == "numerical"],
        categorical_columns=[c for c in columns if kinds[c] == "categorical"])
    snapshot = module.Report([preset(columns=columns)], include_tests=True).run(
        module.Dataset.from_pandas(current.loc[:, columns], data_definition=definition),
        module.Dataset.from_pandas(reference.loc[:, columns], data_definition=definition))
    found = snapshot.dict()
    status = {t["metric_config"]["params"].get("column"): t["status"] for t in found["tests"]}
    verdicts, share = {}, None
    for metric in found["metrics"]:
        column = metric["config"].get("column")
        if column is None:
            share = metric["value"]["share"]
            continue
        verdicts[column] = (metric["config"]["method"], metric["value"], status[column] == "FAIL")
    return verdicts, share, status[None] == "FAIL"


def assert_same(ours: drift.DriftSummary, theirs):
    verdicts, share, dataset_drift = theirs
    tested = [c for c in ours.columns if c.column in verdicts]
    assert len(tested) == len(verdicts)
    for column in tested:
        method, score, drifted = verdicts[column.column]
        assert DISPLAY_NAME[column.test] == method, column.column
        assert column.score == pytest.approx(score, abs=1e-9, rel=1e-9), column.column
        assert column.drifted == drifted, column.column
    assert sum(c.drifted for c in tested) / len(tested) == pytest.approx(share["share"]
                                                                         if isinstance(share, dict)
                                                                         else share)
    assert (sum(c.drifted for c in tested) / len(tested) >= 0.5) == dataset_drift


@pytest.mark.parametrize("site", list(data.SITES))
def test_feature_drift_equals_evidently_on_each_site(evidently, training_split, site):
    current = data.features(data.load_site(DATA, site, HEART), HEART)
    ours = drift.data_drift(training_split, current)
    assert_same(ours, evidently_verdicts(evidently, training_split, current,
                                         drift.feature_kinds(HEART)))
    tests = {c.column: c.test for c in ours.columns}
    # Categorical codes get chi-square or Z, never K-S, on the 242-row training split.
    assert {tests[c] for c in ("cp", "restecg", "slope", "thal")} == {"chisquare"}
    assert {tests[c] for c in ("sex", "fbs", "exang")} == {"z"}
    assert tests["age"] == tests["thalach"] == "ks"


@pytest.mark.parametrize("site", ["cleveland", "va"])
def test_large_reference_switches_to_distances_like_evidently(evidently, site):
    cleveland = data.features(data.load_site(DATA, "cleveland", HEART), HEART)
    reference = cleveland.sample(2000, replace=True, random_state=7)
    current = data.features(data.load_site(DATA, site, HEART), HEART).sample(3000, replace=True,
                                                                random_state=8)
    ours = drift.data_drift(reference, current)
    assert_same(ours, evidently_verdicts(evidently, reference, current, drift.feature_kinds(HEART)))
    tests = {c.column: c.test for c in ours.columns}
    assert tests["age"] == "wasserstein" and tests["cp"] == "jensenshannon"


def test_prediction_columns_equal_evidently(evidently):
    rng = np.random.default_rng(3)
    reference = pd.DataFrame({"probability": rng.beta(2, 3, 61)})
    current = pd.DataFrame({"probability": rng.beta(3, 2, 400)})
    for frame in (reference, current):
        frame["label"] = (frame["probability"] >= 0.5).astype("float64")
    ours = drift.prediction_drift(reference, current)
    assert_same(ours, evidently_verdicts(evidently, reference, current, drift.PREDICTION_KINDS))
    assert ours.drifted == ["label", "probability"]


def test_switzerland_missing_cholesterol_counts_as_drifted(training_split):
    current = data.features(data.load_site(DATA, "switzerland", HEART), HEART)
    assert current["chol"].isna().all()  # Switzerland recorded every cholesterol as 0
    chol = next(c for c in drift.data_drift(training_split, current).columns
                if c.column == "chol")
    assert chol.drifted and chol.test == drift.EMPTY and chol.current_rows == 0


def test_report_of_record_is_evidently_html(evidently, training_split, tmp_path):
    current = data.features(data.load_site(DATA, "switzerland", HEART), HEART)
    path = write_evidently_report(training_split, current, tmp_path / "reports" / "drift.html")
    text = path.read_text()
    assert text.lstrip().lower().startswith("<!doctype html") or "<html" in text[:500]
    assert '"column_name": "thalach"' in text and "K-S p_value" in text
    assert "chi-square p_value" in text and "Z-test p_value" in text
    assert '"column_name": "chol"' not in text  # no values in Switzerland: left out
    definition = evidently_definition(["chol", "cp"])
    assert definition.numerical_columns == ["chol"]
    assert definition.categorical_columns == ["cp"]


def test_the_agents_drift_measure_uses_the_right_tests(evidently):
    from ml.monitoring import evidently as agent_drift

    reference = data.load_site(DATA, "cleveland", HEART)
    current = data.load_site(DATA, "switzerland", HEART)
    result = agent_drift.measure(reference, current, HEART)
    tests = {f.feature: f.test for f in result.features}
    assert tests["cp"] == "chisquare" and tests["sex"] == "z" and tests["age"] == "ks"
    chol = next(f for f in result.features if f.feature == "chol")
    assert chol.drifted and chol.p_value == 0.0
    assert result.drift_share == pytest.approx(10 / 13) and "thal" in result.drifted_features


def test_a_fired_drift_monitor_gets_its_report_of_record(evidently, training_split, tmp_path):
    from ml.monitoring import checks, definitions, reference, runner

    shipped = definitions.load(PROJECT_ROOT / "configs" / "monitors.yaml")
    va = data.features(data.load_site(DATA, "va", HEART), HEART).assign(probability=0.7, label=1)
    ref = reference.from_scores(training_split, np.full(61, 0.4), np.zeros(61))
    read = lambda _sessions, minutes, now=None: va  # noqa: E731
    fired = checks.check(shipped.get("data_drift"), va, ref)
    path = runner.report_of_record(None, ref, fired, tmp_path, read_window=read)
    assert path.parent == tmp_path and path.name.startswith("data_drift-")
    assert '"column_name": "thal"' in path.read_text()
    latency = checks.check(shipped.get("latency_p99"), va.assign(latency_ms=1.0), ref)
    assert runner.report_of_record(None, ref, latency, tmp_path, read_window=read) is None
