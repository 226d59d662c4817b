"""The second model's data, and a third model that arrives as a YAML file and a CSV only."""

import pandas as pd
import pytest
import yaml

from core.errors import BadValues, WrongColumns
from core.settings import PROJECT_ROOT
from ml import data, spec
from ml.training.config import TrainingConfig
from ml.training.train import split
from ml.validation import validate
from tests.conftest import DATA, make_settings

BIKE = spec.load(PROJECT_ROOT / "configs" / "models" / "bike-demand.yaml")
HOURLY = DATA / "uci-bike-sharing" / "bike-sharing-hourly.csv"


@pytest.fixture(scope="module")
def hourly() -> pd.DataFrame:
    return data.load(HOURLY, BIKE)


def test_bike_features_are_calendar_and_weather_never_the_riders():
    assert BIKE.task == "regression" and BIKE.label == "cnt"
    assert not {"casual", "registered", "cnt", "dteday"} & set(BIKE.feature_names)
    assert BIKE.reference.time_column == "dteday"
    assert set(BIKE.categorical) == {"season", "hr", "holiday", "weekday", "workingday",
                                     "weathersit"}


def test_the_file_loads_as_written_with_its_deliberate_gaps(hourly):
    assert len(hourly) == 17379
    assert hourly["weekday"].isna().sum() == 875 and hourly["weathersit"].isna().sum() == 1258
    assert hourly.loc[0, "hr"] == "6am" and hourly.loc[0, "season"] == "winter"
    assert hourly["dteday"].dtype.kind == "M" and hourly["cnt"].dtype == "float64"


def test_the_reference_is_the_first_months_of_2011_in_time_order():
    reference = data.reference(BIKE, DATA)
    assert len(reference) == 688 + 649 + 730  # January to March 2011 (PROVENANCE.md)
    assert reference["dteday"].min() == pd.Timestamp("2011-01-01")
    assert reference["dteday"].max() == pd.Timestamp("2011-03-31")
    assert reference["dteday"].is_monotonic_increasing


def test_the_time_split_holds_out_the_latest_days():
    reference = data.reference(BIKE, DATA)
    x_train, x_test, y_train, y_test = split(reference, TrainingConfig.from_spec(BIKE), BIKE)
    assert list(x_train.columns) == list(BIKE.feature_names)
    assert len(x_test) == round(len(reference) * 0.2) and len(y_train) == len(x_train)
    dates = reference["dteday"]
    assert dates[x_train.index].max() <= dates[x_test.index].min()


def test_bike_data_validates_with_its_missing_values(hourly):
    report = validate(hourly, BIKE, source="bike")
    assert report.success, report.failed
    checked = {(c.column, c.expectation) for c in report.checks}
    assert ("weathersit", "missing at most 10%") in checked
    assert ("hr", "values in {12am, 1am, 2am, 3am, 4am, 5am, 6am, 7am, 8am, 9am, 10am, 11am, "
                  "12pm, 1pm, 2pm, 3pm, 4pm, 5pm, 6pm, 7pm, 8pm, 9pm, 10pm, 11pm}") in checked


def test_unknown_weather_too_many_gaps_and_a_rider_column_as_text_are_caught(hourly, tmp_path):
    bad = hourly.copy()
    bad.loc[:9, "weathersit"] = "Snow"
    bad.loc[100:2100, "weekday"] = None  # 11.5% missing: more than the 10% allowed
    failed = {(c.column, c.expectation) for c in validate(bad, BIKE, source="bad").failed}
    assert ("weathersit", "values in {Clear, Mist, Light Rain, Heavy Rain}") in failed
    assert ("weekday", "missing at most 10%") in failed
    text = tmp_path / "text.csv"
    lines = HOURLY.read_text().splitlines()
    text.write_text("\n".join([lines[0], lines[1].replace(",Mist,6.1,", ",Mist,warm,")]) + "\n")
    with pytest.raises(BadValues, match=r"column 'temp' holds a non-numeric value \(line 2\)"):
        data.load(text, BIKE)


def test_requests_without_the_target_and_riders_load_and_validate(tmp_path):
    header = ["dteday", *BIKE.feature_names]
    path = tmp_path / "traffic.csv"
    path.write_text(",".join(header) + "\n2011-04-02,summer,6am,No,,No,,12.3,14.0,55,9.0\n")
    frame = data.load(path, BIKE)
    assert frame.loc[0, "hr"] == "6am" and frame["weekday"].isna().all()
    report = validate(frame, BIKE, source="traffic")
    failed = {c.column for c in report.failed}
    assert failed == {"weekday", "weathersit"}  # one row, both missing: 100% > 10%
    path.write_text("season,hr\nsummer,6am\n")
    with pytest.raises(WrongColumns, match="do not match the bike-demand layout; missing dteday"):
        data.load(path, BIKE)


THIRD = {
    "name": "churn",
    "task": "binary_classification",
    "target": {"name": "left", "kind": "categorical", "categories": ["stayed", "left"],
               "label": "left == left"},
    "features": [
        {"name": "plan", "kind": "categorical", "categories": ["basic", "pro"]},
        {"name": "tenure_months", "kind": "numeric", "range": [0, 240], "max_missing": 0.2},
    ],
    "reference": {"file": "churn.csv", "time_column": "signed_up",
                  "split": {"time_column": "signed_up", "test_size": 0.25}},
    "segments": [{"column": "plan", "values": {"basic": "basic", "pro": "pro"}}],
    "training": "external",
    "gate": {"metric": "accuracy", "reference_tolerance": 0.02, "subgroup_tolerance": 0.05},
    "monitoring": {"performance": {"metric": "roc_auc", "warning": 0.7, "critical": 0.6}},
}


def test_a_third_model_arrives_as_a_yaml_file_and_a_csv(tmp_path):
    models, files = tmp_path / "models", tmp_path / "data"
    models.mkdir()
    files.mkdir()
    (models / "churn.yaml").write_text(yaml.safe_dump(THIRD))
    rows = [f"2024-0{1 + i % 9}-1{i % 10},{'pro' if i % 3 else 'basic'},"
            f"{'' if i % 7 == 0 else i % 60},{'left' if i % 4 == 0 else 'stayed'}"
            for i in range(40)]
    (files / "churn.csv").write_text("signed_up,plan,tenure_months,left\n" + "\n".join(rows))
    settings = make_settings(tmp_path / "medic", models_dir=models, data_dir=files)
    churn = spec.of(settings, "churn")
    frame = data.reference(churn, settings.data_dir)
    assert frame["signed_up"].is_monotonic_increasing and frame["target"].sum() == 10
    assert validate(frame, churn, source="churn").success
    frame.loc[3, "tenure_months"] = 500.0
    failed = validate(frame, churn, source="churn").failed
    assert [(c.column, c.expectation) for c in failed] == [("tenure_months",
                                                            "values in [0.0, 240.0]")]
