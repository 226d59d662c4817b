import json

from typer.testing import CliRunner

from cli.main import app
from ml.data import load, load_site
from ml.validation import validate
from tests.conftest import DATA, HEART

runner = CliRunner()


def test_cleveland_passes_every_expectation():
    report = validate(load_site(DATA, "cleveland", HEART), HEART, source="cleveland")
    assert report.success, report.failed
    assert len(report.checks) > 40


def test_another_site_fails_on_missing_values_and_distribution():
    report = validate(load_site(DATA, "hungarian", HEART), HEART, source="hungarian")
    failed = {(c.column, c.expectation) for c in report.failed}
    assert ("ca", "missing at most 5%") in failed
    assert ("age", "mean in [48.0, 60.0]") in failed


def test_out_of_range_and_unknown_category_fail(tmp_path):
    rows = (DATA / "processed.cleveland.data").read_text().splitlines()
    rows[0] = "63.0,1.0,9.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0"  # cp = 9
    rows[1] = "67.0,1.0,4.0,160.0,286.0,0.0,2.0,408.0,1.0,1.5,2.0,3.0,3.0,2"  # thalach 408
    path = tmp_path / "bad.data"
    path.write_text("\n".join(rows) + "\n")
    report = validate(load(path, HEART), HEART, source=str(path))
    failed = {c.column for c in report.failed}
    assert {"cp", "thalach"} <= failed


def test_cli_prints_a_table_saves_json_and_exits_zero(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["validate", str(DATA / "processed.cleveland.data"),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "validation passed" in result.output
    assert json.loads(out.read_text())["success"] is True
    assert list((tmp_path / "home" / "validation").glob("*.json"))


def test_cli_exits_non_zero_when_checks_fail(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    result = runner.invoke(app, ["validate", str(DATA / "processed.va.data")])
    assert result.exit_code == 1
    assert "FAIL" in result.output and "validation failed" in result.output


def test_cli_bad_files_get_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    text = tmp_path / "text.csv"
    text.write_text("63,1,1,145,high,1,2,150,0,2.3,3,0,6,0\n")
    for path, words in [(tmp_path / "missing.csv", "no such file"), (empty, "empty"),
                        (text, "non-numeric")]:
        result = runner.invoke(app, ["validate", str(path)])
        assert result.exit_code == 2
        assert words in result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
