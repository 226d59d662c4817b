"""Item 11: `medic validate` answers every file with a table or a one-line error."""

from typer.testing import CliRunner

from cli.main import app
from tests.conftest import DATA

runner = CliRunner()


def test_item11_validate_file_whose_target_column_is_all_missing_prints_a_table(
        tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    rows = (DATA / "processed.cleveland.data").read_text().splitlines()[:20]
    path = tmp_path / "no-diagnosis.data"
    path.write_text("".join(row.rsplit(",", 1)[0] + ",?\n" for row in rows))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a TypeError here before the fix
    assert "20 missing (100.0%)" in result.output
    assert "column empty" in result.output and "validation failed" in result.output


def test_item11_validate_binary_file_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "home"))
    path = tmp_path / "image.data"
    path.write_bytes(bytes(range(256)) * 4)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.output.strip() == f"error: {path}: not UTF-8 text"
