import pytest

from core.errors import AliasConflict, NotFound


def test_versions_list_aliases_and_metrics(trained):
    _, registry, _, _ = trained
    versions = registry.versions()
    assert [v.version for v in versions] == ["2", "1"]
    assert versions[0].aliases == ["champion"] and versions[1].aliases == ["previous"]
    assert all("test_f1" in v.metrics for v in versions)


def test_promote_refuses_when_the_champion_moved(trained):
    _, registry, _, _ = trained
    with pytest.raises(AliasConflict, match="champion of 'heart-disease' is 2, not 1"):
        registry.promote("1", expected="1", actor="test", reason="stale view")
    assert registry.alias("champion") == "2"


def test_rollback_restores_the_previous_champion(trained):
    _, registry, _, _ = trained
    restored = registry.rollback(expected="2", actor="alice", reason="F1 dropped")
    assert restored == "1"
    assert registry.alias("champion") == "1"
    assert registry.alias("previous") is None  # version 1 replaced nothing
    assert registry._client.get_model_version("heart-disease", "2").tags["rolled_back"] == "true"
    last = registry.history()[-1]
    assert (last.action, last.version, last.replaced, last.actor) == ("rollback", "1", "2", "alice")
    with pytest.raises(NotFound, match="no previous champion"):
        registry.rollback(expected="1", actor="alice", reason="again")


def test_rollback_refuses_a_stale_expectation(trained):
    _, registry, _, _ = trained
    with pytest.raises(AliasConflict):
        registry.rollback(expected="1", actor="bob", reason="stale")
    assert registry.alias("champion") == "2" and registry.alias("previous") == "1"


def test_history_tells_which_version_was_champion_when(trained):
    _, registry, _, _ = trained
    registry.rollback(expected="2", actor="alice", reason="bad")
    registry.promote("2", expected="1", actor="bob", reason="fixed")
    history = [(h.action, h.version, h.replaced) for h in registry.history()]
    assert history == [("promote", "1", None), ("promote", "2", "1"),
                       ("rollback", "1", "2"), ("promote", "2", "1")]
    assert registry.alias("previous") == "1"


def test_unknown_version_is_not_found(trained):
    _, registry, _, _ = trained
    with pytest.raises(NotFound):
        registry.promote("99", expected="2", actor="x", reason="y")


@pytest.mark.postgres
def test_compare_and_set_on_postgresql(trained, postgres_url):
    from ml.registry.aliases import open_registry
    from tests.conftest import make_settings

    settings, _, _, _ = trained
    registry = open_registry(make_settings(settings.home, database_url=postgres_url))
    with pytest.raises(AliasConflict):
        registry.rollback(expected="1", actor="bob", reason="stale")
    assert registry.rollback(expected="2", actor="bob", reason="bad") == "1"
    registry.promote("2", expected="1", actor="bob", reason="fixed")
    assert [h.action for h in registry.history()] == ["rollback", "promote"]


def test_alias_history_is_stamped_by_the_injected_clock(trained):
    from datetime import UTC, datetime

    from ml.registry.aliases import open_registry

    settings = trained[0]
    frozen = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    registry = open_registry(settings, clock=lambda: frozen)
    registry.rollback(expected="2", actor="alice", reason="F1 dropped")
    assert registry.history()[-1].at == frozen
