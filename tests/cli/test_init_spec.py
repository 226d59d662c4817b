"""`medic models init-spec` drafts a spec from data that then reads and validates that data."""

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from cli.main import app
from ml import data, spec
from ml.validation import validate

runner = CliRunner()


def _csv(tmp_path):
    """Write 200 rows: a date, a coded number, a text category, a measure with gaps, a target."""
    rng = np.random.default_rng(3)
    rows = 200
    frame = pd.DataFrame({
        "day": pd.date_range("2024-01-01", periods=rows, freq="D").strftime("%Y-%m-%d"),
        "grade": rng.integers(1, 4, rows),
        "colour": rng.choice(["red", "green", "blue"], rows),
        "weight": rng.normal(70, 12, rows).round(1),
        "order_id": [f"A{n:05d}" for n in range(rows)],
    })
    frame.loc[rng.choice(rows, 14, replace=False), "weight"] = np.nan  # 7% missing
    frame["spend"] = (frame["grade"] * 10 + frame["weight"].fillna(70)).round(2)
    frame["bought"] = (frame["spend"] > 95).astype(int)
    path = tmp_path / "shop visits.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_drafted_regression_spec_loads_and_accepts_its_data(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    path, out = _csv(tmp_path), tmp_path / "shop-spend.yaml"
    result = runner.invoke(app, ["models", "init-spec", "--reference", str(path), "--target",
                                 "spend", "--name", "shop-spend", "--out", str(out)])
    assert result.exit_code == 0, result.output
    drafted = spec.load(out)
    assert drafted.task == "regression" and drafted.label == "spend"
    assert drafted.reference.time_column == "day"
    kinds = {f.name: f.kind for f in drafted.features}
    assert kinds == {"grade": "categorical", "colour": "categorical", "weight": "numeric",
                     "bought": "categorical"}  # order_id: 200 distinct texts, left out
    assert drafted.column("grade").categories == (1, 2, 3)
    assert drafted.column("colour").categories == ("blue", "green", "red")
    assert drafted.column("weight").max_missing == 0.1  # 7% seen, rounded up to 5% steps
    assert drafted.training.selection_metric == "mae" and drafted.gate.metric == "mae"
    assert "order_id" in out.read_text().split("\nname:")[0]  # the header says what was left
    frame = data.load(path, drafted)
    assert validate(frame, drafted, source=path.name).success


def test_a_two_valued_target_drafts_a_classifier_printed_for_a_pipe(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    path = _csv(tmp_path)
    result = runner.invoke(app, ["models", "init-spec", "--reference", str(path), "--target",
                                 "bought"])
    assert result.exit_code == 0, result.output
    (tmp_path / "shop-visits.yaml").write_text(result.output)
    drafted = spec.load(tmp_path / "shop-visits.yaml")  # named after the file
    assert drafted.task == "binary_classification"
    assert drafted.target.label == "bought > 0" and drafted.reference.split.time_column == "day"


def test_bad_requests_get_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    path = _csv(tmp_path)
    taken = tmp_path / "taken.yaml"
    taken.write_text("kept\n")
    for args, words in [(["--target", "price"], "no column 'price' to predict"),
                        (["--target", "colour", "--task", "regression"], "holds text"),
                        (["--target", "spend", "--out", str(taken)], "never written over"),
                        (["--target", "spend", "--reference", str(tmp_path / "none.csv")],
                         "none.csv: no such file")]:
        given = ["--reference", str(path), *args] if "--reference" not in args else args
        result = runner.invoke(app, ["models", "init-spec", *given])
        assert result.exit_code == 2, result.output
        assert words in result.output and len(result.output.strip().splitlines()) == 1
    assert taken.read_text() == "kept\n"
