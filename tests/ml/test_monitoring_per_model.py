"""A model's monitors: its spec's thresholds over shared windows, its task's metric and kinds."""

import numpy as np
import pandas as pd
import pytest
import yaml

from core import monitor_states
from core.errors import ConfigError
from core.settings import PROJECT_ROOT
from ml import spec as specs
from ml.monitoring import definitions, drift
from ml.monitoring.hysteresis import MonitorState
from ml.monitoring.kinds import performance
from ml.monitoring.results import classify

MODELS = PROJECT_ROOT / "configs" / "models"
BIKE = specs.load(MODELS / "bike-demand.yaml")
HEART = specs.load(MODELS / "heart-disease.yaml")
SHIPPED = definitions.load(PROJECT_ROOT / "configs" / "monitors.yaml")


def with_monitoring(spec: specs.ModelSpec, **monitoring) -> specs.ModelSpec:
    raw = spec.model_dump(mode="json", exclude_none=True)
    raw["monitoring"] = {**raw["monitoring"], **monitoring}
    return specs.ModelSpec.model_validate(raw)


def test_a_regressors_monitors_take_its_mae_levels_and_drop_the_probability_estimate():
    bike = SHIPPED.for_model(BIKE)
    names = [m.name for m in bike.monitors]
    assert "estimated_performance" not in names and "data_drift" in names
    mae = bike.get("performance")
    assert (mae.metric, mae.warning, mae.critical, mae.direction) == ("mae", 60, 90, "above")
    assert mae.window_minutes == SHIPPED.get("performance").window_minutes  # shared window
    assert classify(mae, 45.0, rows=mae.min_rows) == "ok"
    assert classify(mae, 75.0, rows=mae.min_rows) == "warning"
    assert classify(mae, 95.0, rows=mae.min_rows) == "critical"

    heart = SHIPPED.for_model(HEART)
    assert "estimated_performance" in [m.name for m in heart.monitors]
    assert heart.get("performance").direction == "below"


def test_the_serving_counts_are_watched_for_the_served_model_only():
    names = {m.name for m in SHIPPED.for_model(BIKE, serving=False).monitors}
    assert {"error_rate", "load_failures"}.isdisjoint(names) and "latency_p99" in names


def test_a_spec_overrides_any_monitors_levels_by_name_and_a_wrong_one_is_refused():
    tuned = with_monitoring(BIKE, thresholds={"data_drift": {"warning": 0.2, "critical": 0.3}})
    drifted = SHIPPED.for_model(tuned).get("data_drift")
    assert (drifted.warning, drifted.critical) == (0.2, 0.3)
    assert drifted.fire_after == SHIPPED.get("data_drift").fire_after

    unknown = with_monitoring(BIKE, thresholds={"drfit": {"warning": 0.2, "critical": 0.3}})
    with pytest.raises(ConfigError, match=r"bike-demand.yaml: monitoring.thresholds: no "
                                          r"monitor named 'drfit'"):
        SHIPPED.for_model(unknown)
    backwards = with_monitoring(BIKE, thresholds={"data_drift": {"warning": 0.5,
                                                                 "critical": 0.2}})
    with pytest.raises(ConfigError, match=r"for monitor 'data_drift': critical must be at or "
                                          r"above warning"):
        SHIPPED.for_model(backwards)


def test_a_spec_whose_mae_levels_are_backwards_is_refused(tmp_path):
    raw = yaml.safe_load((MODELS / "bike-demand.yaml").read_text())
    raw["monitoring"]["performance"] = {"metric": "mae", "warning": 90, "critical": 60}
    (tmp_path / "bike-demand.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(ConfigError, match=r"bike-demand.yaml: monitoring.performance: "
                                          r"critical must be at or above warning "
                                          r"\(mae: lower is better\)"):
        specs.load(tmp_path / "bike-demand.yaml")


def test_performance_of_a_regressor_is_its_worst_versions_error():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 400, 120).astype("float64")
    window = pd.DataFrame({"model_version": ["1"] * 60 + ["2"] * 60, "target": truth,
                           "prediction": np.r_[truth[:60] + 10, truth[60:] - 100]})
    window.loc[5, "target"] = np.nan  # an hour not counted yet
    mae = SHIPPED.for_model(BIKE).get("performance").model_copy(update={"min_rows": 30})
    checked = performance.check(mae, window, None, None)
    assert checked.value == pytest.approx(100.0) and checked.details["model_version"] == "2"
    assert checked.state == "critical" and checked.values["labelled_rows"] == 60
    assert [v["labelled"] for v in checked.details["versions"]] == [59, 60]


def test_a_category_spelled_as_text_drifts_when_its_shares_move():
    rng = np.random.default_rng(1)
    winter = pd.DataFrame({"season": rng.choice(["winter", "spring"], 400, p=[0.8, 0.2])})
    same = pd.DataFrame({"season": rng.choice(["winter", "spring"], 200, p=[0.8, 0.2])})
    summer = pd.DataFrame({"season": rng.choice(["summer", "spring", None], 200)})
    kinds = {"season": "categorical"}
    assert not drift.measure(winter, same, kinds).columns[0].drifted
    moved = drift.measure(winter, summer, kinds).columns[0]
    assert moved.drifted and moved.current_rows == pytest.approx(200 * 2 / 3, abs=30)


def test_two_models_keep_a_monitor_of_one_name_apart(tmp_path):
    from core.db import init_db, make_engine
    from core.db import sessions as make_sessions

    engine = make_engine(f"sqlite:///{tmp_path / 'medic.db'}")
    init_db(engine)
    sessions = make_sessions(engine)
    fired = MonitorState(firing=True, breaches=2, level="critical").model_dump()
    monitor_states.save(sessions, {"data_drift": fired}, model="bike-demand")
    monitor_states.save(sessions, {"data_drift": MonitorState().model_dump()},
                        model="heart-disease")
    assert monitor_states.load(sessions, model="bike-demand")["data_drift"]["firing"]
    assert not monitor_states.load(sessions, model="heart-disease")["data_drift"]["firing"]
    monitor_states.save_results(sessions, {"data_drift": {"state": "ok"}},
                                now=pd.Timestamp.now(tz="UTC").to_pydatetime(),
                                model="bike-demand")
    assert monitor_states.models(sessions) == ["bike-demand"]
    engine.dispose()
