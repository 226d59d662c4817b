import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, f1_score

from core.alerts import Alert, AlertType
from core.errors import ConfigError
from ml import data
from ml.monitoring import checks, definitions, health, hysteresis, performance, reference
from ml.monitoring.hysteresis import MonitorState, step
from ml.monitoring.kinds import KINDS
from ml.monitoring.stattests import choose_test, column_drift
from ml.serving.fastpath import compile_scorer
from ml.training import candidates
from ml.training.train import TrainingConfig, split
from tests.conftest import DATA, HEART, PROJECT_ROOT

CONFIG = TrainingConfig.from_spec(HEART)
SHIPPED = definitions.load(PROJECT_ROOT / "configs" / "monitors.yaml")


@pytest.fixture(scope="module")
def cleveland():
    return data.load_site(DATA, "cleveland", HEART)


@pytest.fixture(scope="module")
def logreg_reference(cleveland):
    x_train, _x_test, y_train, _y_test = split(cleveland, CONFIG, HEART)
    model = candidates.build("logreg", CONFIG.models["logreg"], CONFIG.seed, HEART).fit(x_train,
                                                                                   y_train)
    return reference.build(cleveland, compile_scorer(model), CONFIG, HEART)


def log_frame(features: pd.DataFrame, probability, *, version="1", target=None, latency=1.0):
    """A window as `ml.serving.prediction_log.window` returns it."""
    probability = np.asarray(probability, dtype="float64")
    return features.loc[:, list(HEART.feature_names)].reset_index(drop=True).assign(
        probability=probability, label=(probability >= 0.5).astype("int64"),
        model_version=version, latency_ms=latency,
        target=np.nan if target is None else np.asarray(target, dtype="float64"))


def definition(**fields):
    base = {"name": "m", "kind": "data_drift", "warning": 0.4, "critical": 0.5}
    return definitions.MonitorDefinition(**(base | fields))


@pytest.mark.parametrize(("kind", "reference_rows", "distinct", "test"), [
    ("numerical", 242, 40, "ks"), ("numerical", 242, 5, "chisquare"),
    ("numerical", 242, 2, "z"), ("categorical", 242, 4, "chisquare"),
    ("categorical", 242, 2, "z"), ("categorical", 1000, 3, "chisquare"),
    ("numerical", 1001, 40, "wasserstein"), ("numerical", 1001, 4, "jensenshannon"),
    ("categorical", 5000, 2, "jensenshannon"),
])
def test_the_test_follows_evidentlys_choice(kind, reference_rows, distinct, test):
    assert choose_test(kind, reference_rows, distinct) == test


def test_a_column_of_only_missing_values_is_refused():
    with pytest.raises(ValueError, match="no values"):
        column_drift("ca", "categorical", np.array([0.0, 1.0]), np.array([np.nan, np.inf]))


def test_shipped_definitions_load_and_are_frozen():
    names = [m.name for m in SHIPPED.enabled]
    assert names[:2] == ["data_drift", "prediction_drift"]
    assert {m.kind for m in SHIPPED.monitors} == set(KINDS)
    with pytest.raises(Exception, match="frozen"):
        SHIPPED.get("data_drift").warning = 0.9


@pytest.mark.parametrize(("text", "message"), [
    ("monitors:\n  d:\n    kind: data_drift\n    warning: 0.6\n    critical: 0.5\n",
     "monitors.d: Value error, critical must be at or above warning"),
    ("monitors:\n  p:\n    kind: performance\n    warning: 0.7\n    critical: 0.8\n",
     "critical must be at or below warning"),
    ("monitors:\n  d:\n    kind: nonsense\n    warning: 1\n    critical: 2\n", "monitors.d.kind"),
    ("monitors:\n  d:\n    kind: data_drift\n    warning: 1\n    critical: 2\n    extra: 1\n",
     "monitors.d.extra"),
    ("monitors: [1, 2]\n", "expected a 'monitors' mapping"),
    ("monitors: {a: [\n", "not valid YAML"),
])
def test_bad_definitions_name_the_problem(tmp_path, text, message):
    path = tmp_path / "monitors.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        definitions.load(path)
    with pytest.raises(ConfigError, match="cannot read"):
        definitions.load(tmp_path / "missing.yaml")


def test_hysteresis_fires_after_consecutive_breaches_and_resolves_after_clears():
    state, events = MonitorState(), []
    for observed in ["warning", "ok", "warning", "critical", "critical", "insufficient_data",
                     "ok", "ok", "warning", "ok", "ok", "ok", "ok"]:
        state, event = step(state, observed, fire_after=2, resolve_after=3)
        events.append(event)
    assert events == [None, None, None, "fire", None, None,
                      None, None, None, None, None, "resolve", None]
    assert not state.firing and state.level == "ok"


def test_insufficient_data_neither_fires_nor_resolves():
    firing = MonitorState(firing=True, breaches=5, level="critical")
    for _ in range(10):
        firing, event = step(firing, "insufficient_data", fire_after=1, resolve_after=1)
        assert event is None
    assert firing.firing and firing.level == "critical"


def test_advance_keeps_per_monitor_state_for_the_caller_to_persist(cleveland, logreg_reference):
    window = log_frame(data.features(data.load_site(DATA, "va", HEART), HEART), np.full(200, 0.6))
    found = [checks.check(SHIPPED.get("data_drift"), window, logreg_reference)]
    states, events = hysteresis.advance({}, found, SHIPPED)
    assert events == [] and states["data_drift"].breaches == 1
    states, events = hysteresis.advance(states, found, SHIPPED)
    assert [(r.name, e) for r, e in events] == [("data_drift", "fire")]
    assert MonitorState.model_validate(states["data_drift"].model_dump()).firing


def test_too_few_rows_is_insufficient_data_for_every_window_kind(logreg_reference):
    window = log_frame(data.features(data.load_site(DATA, "va", HEART), HEART).head(20),
                       np.full(20, 0.9))
    for name in ("data_drift", "prediction_drift", "performance", "estimated_performance",
                 "latency_p99", "error_rate"):
        found = checks.check(SHIPPED.get(name), window, logreg_reference)
        assert found.state == "insufficient_data", name
    counts = health.ServingCounts(requests=5, errors=5)
    found = checks.check(SHIPPED.get("error_rate"), window, logreg_reference, lambda _m: counts)
    assert found.state == "insufficient_data" and found.value == 1.0


def test_drift_result_is_alert_evidence(logreg_reference):
    va = data.features(data.load_site(DATA, "va", HEART), HEART)
    found = checks.check(SHIPPED.get("data_drift"), log_frame(va, np.full(len(va), 0.7)),
                         logreg_reference)
    assert found.state == "critical" and found.rows == 200
    assert found.value == pytest.approx(11 / 13)
    assert {c["column"] for c in found.details["columns"] if c["drifted"]} >= {"cp", "thal"}
    alert = Alert.model_validate(found.to_alert())
    assert alert.type == AlertType.DRIFT and alert.evidence.window_minutes == 60
    assert alert.values["drift_share"] == pytest.approx(11 / 13)
    assert alert.values["rows"] == 200 and alert.annotations["level"] == "critical"
    assert "over the last 60 min (200 rows)" in alert.annotations["summary"]
    milder = found.model_copy(update={"state": "warning", "value": 0.45})
    resolved = Alert.model_validate(milder.to_alert("resolved"))
    assert resolved.fingerprint == alert.fingerprint and resolved.status == "resolved"


def test_performance_per_version_needs_enough_labels(cleveland):
    x, y = data.features(cleveland, HEART), cleveland["target"].to_numpy()
    good = np.where(y == 1, 0.8, 0.2)
    wrong = np.where(y == 1, 0.2, 0.8)
    window = pd.concat([log_frame(x, good, version="1", target=y),
                        log_frame(x.head(40), wrong[:40], version="2", target=y[:40]),
                        log_frame(x.head(100), good[:100], version="3")])
    found = checks.check(SHIPPED.get("performance"), window, None)
    versions = {v["model_version"]: v for v in found.details["versions"]}
    assert versions["1"]["f1"] == 1.0 and versions["1"]["roc_auc"] == 1.0
    assert versions["2"]["labelled"] == 40 and versions["2"]["f1"] is None  # under 50 labels
    assert versions["3"]["labelled"] == 0
    assert found.state == "ok" and found.value == 1.0 and found.rows == 343
    window = pd.concat([window, log_frame(x.head(60), wrong[:60], version="2",
                                          target=y[:60])])
    found = checks.check(SHIPPED.get("performance"), window, None)
    assert found.state == "critical" and found.value == 0.0
    assert found.details["model_version"] == "2"
    alert = Alert.model_validate(found.to_alert())
    assert alert.type == AlertType.PERFORMANCE and alert.values["f1"] == 0.0


def test_estimate_is_close_to_the_real_f1_on_the_cleveland_hold_out(cleveland,
                                                                     logreg_reference):
    probability = logreg_reference.predictions["probability"].to_numpy()
    truth = logreg_reference.truth
    assert logreg_reference.calibration_error < 0.1
    estimate = performance.estimate(probability, calibration=logreg_reference.calibration_error,
                                    max_calibration_error=0.1)
    assert estimate.reliable
    assert estimate.f1 == pytest.approx(f1_score(truth, probability >= 0.5), abs=0.03)
    assert estimate.accuracy == pytest.approx(accuracy_score(truth, probability >= 0.5),
                                              abs=0.03)


def test_estimate_is_unreliable_when_calibration_is_broken(cleveland, logreg_reference):
    broken = logreg_reference.predictions["probability"].to_numpy() ** 4  # underconfident
    bad = reference.from_scores(logreg_reference.features, broken, logreg_reference.truth)
    assert bad.calibration_error > 0.1
    window = log_frame(data.features(cleveland, HEART), np.full(len(cleveland), 0.3))
    found = checks.check(SHIPPED.get("estimated_performance"), window, bad)
    assert not found.reliable and found.state == "insufficient_data"
    assert "not trusted" in found.note and found.value is not None
    assert Alert.model_validate(found.to_alert()).annotations["summary"].endswith(
        "estimate unreliable (model poorly calibrated on the reference)")
    trusted = checks.check(SHIPPED.get("estimated_performance"), window, logreg_reference)
    assert trusted.reliable and trusted.state == "critical" and trusted.value == 0.0


def test_serving_health_from_counts_and_logged_latency(logreg_reference):
    latency = np.r_[np.full(980, 5.0), np.full(20, 2000.0)]  # 2% slow: p99 is slow
    window = log_frame(pd.DataFrame(np.nan, index=range(1000), columns=list(HEART.feature_names)),
                       np.full(1000, 0.5), latency=latency)
    found = checks.check(SHIPPED.get("latency_p99"), window, logreg_reference)
    assert found.value == pytest.approx(np.percentile(latency, 99)) and found.rows == 1000
    assert found.state == "critical"
    counts = health.ServingCounts(requests=200, errors=12, load_failures=0)
    rate = checks.check(SHIPPED.get("error_rate"), window, logreg_reference, lambda _m: counts)
    assert rate.value == 0.06 and rate.state == "warning"
    assert Alert.model_validate(rate.to_alert()).type == AlertType.SYSTEM_ERROR
    loads = checks.check(SHIPPED.get("load_failures"), window, logreg_reference,
                         lambda _m: health.ServingCounts(requests=0, errors=0, load_failures=3))
    assert loads.state == "critical"
    unknown = checks.check(SHIPPED.get("error_rate"), window, logreg_reference)
    assert unknown.state == "insufficient_data" and "no request counts" in unknown.note


def test_without_a_reference_only_the_checks_that_need_none_measure(cleveland):
    window = log_frame(data.features(cleveland, HEART), np.full(len(cleveland), 0.4))
    def serving(_minutes):
        return health.ServingCounts(requests=10, errors=0, load_failures=4)

    found = {d.name: checks.check(d, window, None, serving) for d in SHIPPED.enabled}
    for name in ("data_drift", "prediction_drift", "estimated_performance"):
        assert found[name].state == "insufficient_data" and found[name].value is None
        assert found[name].note == "no reference: the champion could not be loaded"
    assert found["load_failures"].value == 4 and found["load_failures"].state == "critical"
    assert found["latency_p99"].value == 1.0


def test_definition_thresholds_decide_the_state():
    below = definition(kind="performance", warning=0.75, critical=0.65, min_rows=1)
    from ml.monitoring.results import classify

    assert [classify(below, v, 10) for v in (0.8, 0.75, 0.7, 0.65, 0.6)] == [
        "ok", "ok", "warning", "warning", "critical"]
    above = definition(min_rows=10)
    assert [classify(above, v, 10) for v in (0.3, 0.4, 0.5)] == ["ok", "warning", "critical"]
    assert classify(above, 0.9, 9) == "insufficient_data"
