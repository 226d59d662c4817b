import math

import pytest

from core.errors import BadValues, DataError, DataFileMissing, EmptyData, WrongColumns
from ml.data import load, load_site
from tests.conftest import DATA, HEART


def test_cleveland_reads_as_documented():
    frame = load_site(DATA, "cleveland", HEART)
    assert len(frame) == 303
    assert list(frame.columns) == [*HEART.reference.read.columns, "target"]
    assert frame["ca"].isna().sum() == 4 and frame["thal"].isna().sum() == 2
    assert frame["num"].value_counts().sort_index().tolist() == [164, 55, 36, 35, 13]
    assert frame["target"].sum() == 303 - 164


def test_zero_cholesterol_is_missing():
    frame = load_site(DATA, "switzerland", HEART)
    assert frame["chol"].isna().all()
    assert (load_site(DATA, "va", HEART)["chol"].isna().sum()) >= 49


def test_a_header_row_is_accepted(tmp_path):
    lines = (DATA / "processed.cleveland.data").read_text().splitlines()[:5]
    path = tmp_path / "with-header.csv"
    path.write_text(",".join(HEART.reference.read.columns) + "\n" + "\n".join(lines) + "\n")
    frame = load(path, HEART)
    assert len(frame) == 5 and frame["age"].iloc[0] == 63


def test_features_only_traffic_is_accepted(tmp_path):
    path = tmp_path / "traffic.csv"
    path.write_text(",".join(HEART.feature_names) + "\n63,1,1,145,233,1,2,150,0,2.3,3,?,6\n")
    frame = load(path, HEART)
    assert "target" not in frame and math.isnan(frame["ca"].iloc[0])


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (None, DataFileMissing, "no such file"),
        ("", EmptyData, "empty"),
        ("\n\n", EmptyData, "no rows"),
        ("age,sex\n", WrongColumns, "missing cp"),
        ("1,2,3\n", WrongColumns, "has 3 fields, expected 14"),
        ("63,1,1,145,abc,1,2,150,0,2.3,3,0,6,0\n", BadValues,
         "'chol' holds a non-numeric value (line 1)"),
        (b"\xff\xfe\x00garbage", BadValues, "not UTF-8 text"),
    ],
)
def test_bad_files_get_one_clear_error(tmp_path, content, error, words):
    path = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(error) as raised:
        load(path, HEART)
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


def test_load_errors_never_echo_file_content(tmp_path):
    """Hardening item 1: a header cell or a value of the file never reaches the message."""
    header = tmp_path / "secrets.csv"
    header.write_text("age,DB_PASSWORD=hunter2\n1,2\n")
    value = tmp_path / "values.csv"
    value.write_text("63,1,1,145,API_KEY=sk-live-123,1,2,150,0,2.3,3,0,6,0\n")
    for path, secret in [(header, "hunter2"), (value, "sk-live-123")]:
        with pytest.raises(DataError) as raised:
            load(path, HEART, source="evidence file x.csv")
        assert secret not in str(raised.value)
        assert str(raised.value).startswith("evidence file x.csv: ")
