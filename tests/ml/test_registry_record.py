"""Medic's record of the registry answers as MLflow does, and follows every alias Medic moves."""

import pytest
from sqlalchemy import delete

from core.tables import ModelFacts
from ml.registry.aliases import open_registry


class NoMlflow:
    """A registry client that fails the test if anything asks MLflow."""

    def __getattr__(self, name):
        raise AssertionError(f"MLflow was asked ({name}) for a recorded answer")


def test_training_records_the_versions_as_mlflow_holds_them(trained):
    _, registry, _, _ = trained
    with registry.sessions() as session:
        assert session.get(ModelFacts, registry.name) is not None  # written by training
    recorded = registry.recorded_versions()
    assert recorded == registry.versions()
    assert [(v.version, v.aliases) for v in recorded] == [("2", ["champion"]),
                                                          ("1", ["previous"])]
    assert recorded[0].data_version.endswith(".dir") and "test_f1" in recorded[0].metrics


def test_an_alias_moved_by_medic_is_recorded_at_once(trained):
    settings, registry, _, _ = trained
    reader = open_registry(settings)  # another process reading the same home
    reader._client = NoMlflow()
    assert reader.recorded_alias("champion") == "2"
    registry.rollback(expected="2", actor="alice", reason="F1 dropped")
    assert (reader.recorded_alias("champion"), reader.recorded_alias("previous")) == ("1", None)
    registry.set_challenger("2", actor="bob", reason="try again")
    assert reader.recorded_alias("challenger") == "2"
    registry.promote("2", expected="1", actor="bob", reason="fixed")
    assert (reader.recorded_alias("champion"), reader.recorded_alias("previous"),
            reader.recorded_alias("challenger")) == ("2", "1", None)
    assert reader.recorded_versions() == registry.versions()
    assert reader.recorded_version("1") == registry.version("1")


def test_a_home_from_before_the_record_is_filled_from_mlflow_once(trained):
    settings, registry, _, _ = trained
    with registry.sessions.begin() as session:
        session.execute(delete(ModelFacts))
    first = open_registry(settings)
    assert first.recorded_versions() == registry.versions()  # asks MLflow, keeps the answer
    again = open_registry(settings)
    again._client = NoMlflow()
    assert again.recorded_versions() == registry.versions()
    assert again.recorded_version("2").metrics == registry.version("2").metrics


def test_a_model_with_no_versions_is_recorded_as_none(settings):
    registry = open_registry(settings)
    assert registry.recorded_versions() == []
    registry._client = NoMlflow()
    assert registry.recorded_alias("champion") is None


@pytest.mark.postgres
def test_the_record_follows_alias_moves_on_postgresql(trained, postgres_url):
    from tests.conftest import make_settings

    settings, _, _, _ = trained
    config = make_settings(settings.home, database_url=postgres_url)
    registry, reader = open_registry(config), open_registry(config)
    assert reader.recorded_alias("champion") == "2"  # a new database: filled from MLflow
    reader._client = NoMlflow()
    registry.rollback(expected="2", actor="bob", reason="bad")
    assert reader.recorded_alias("champion") == "1"
    assert reader.recorded_versions() == registry.versions()
