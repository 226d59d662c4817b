"""Training sets are pushed to the DVC remote the settings name, wherever it points."""

from pathlib import Path

import pytest

from ml.data import load_site
from ml.training.snapshot import SOURCE, snapshot
from tests.conftest import DATA, HEART, make_settings


@pytest.fixture(scope="module")
def rows():
    return load_site(DATA, "cleveland", HEART).assign(**{SOURCE: "reference-cleveland"})


def in_remote(remote: Path, md5: str) -> bool:
    """Say whether a DVC 3 remote holds the file with this md5."""
    return (remote / "files" / "md5" / md5[:2] / md5[2:]).is_file()


def test_sets_go_to_the_remote_named_and_follow_a_change(rows, tmp_path):
    folder, first, second = tmp_path / "sets", tmp_path / "team-a", tmp_path / "team-b"

    one = snapshot(rows.head(100), folder, HEART, remote=str(first))
    assert in_remote(first, one.md5)
    two = snapshot(rows.head(120), folder, HEART, remote=str(second))

    assert in_remote(second, one.md5) and in_remote(second, two.md5)  # what b lacked, too
    assert not in_remote(first, two.md5)
    config = (folder / ".dvc" / "config").read_text()
    assert f"url = {second}" in config and "remote = medic" in config


@pytest.mark.parametrize("remote", ["a file", "nosuch://bucket/secret-path"])
def test_a_remote_that_cannot_take_the_set_keeps_it_locally(rows, tmp_path, caplog, remote):
    if remote == "a file":
        remote = tmp_path / "not-a-folder"
        remote.write_text("a file where the remote should be")

    kept = snapshot(rows.head(100), tmp_path / "sets", HEART, remote=str(remote))

    assert Path(kept.path).is_file() and Path(f"{kept.path}.dvc").is_file()
    assert "kept locally: push to the DVC remote failed" in caplog.text
    assert str(remote) not in caplog.text


def test_the_remote_setting_defaults_to_home_and_resolves_folders(tmp_path, monkeypatch):
    assert make_settings(tmp_path / "h").dvc_remote == str(tmp_path / "h" / "dvc-remote")
    monkeypatch.chdir(tmp_path)
    assert make_settings(tmp_path / "h", dvc_remote="shared/dvc").dvc_remote == \
        str(tmp_path / "shared" / "dvc")
    assert make_settings(tmp_path / "h", dvc_remote="s3://bucket/medic").dvc_remote == \
        "s3://bucket/medic"
