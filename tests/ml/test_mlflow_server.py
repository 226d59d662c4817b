"""The production MLflow: a tracking server on PostgreSQL with proxied artifacts."""

import threading

import numpy as np
import pytest

from core.errors import AliasConflict
from tests.conftest import fresh_database, make_settings
from tests.processes import Processes, start_mlflow_server, wait_for_mlflow

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def app_database(postgres_server):
    """A second fresh database: Medic's own tables, beside MLflow's."""
    with fresh_database(postgres_server, prefix="medic_app") as url:
        yield url


@pytest.fixture
def mlflow_server(postgres_url, tmp_path):
    """Start `mlflow server` on a fresh PostgreSQL database; return its URL and artifact store."""
    artifacts = tmp_path / "proxied-artifacts"
    with Processes(tmp_path) as processes:
        url = start_mlflow_server(processes, postgres_url, artifacts)
        wait_for_mlflow(processes, url)
        yield url, artifacts


def test_train_compare_and_set_serve_and_hot_reload_against_a_server(
        mlflow_server, app_database, tmp_path):
    from ml.registry.aliases import open_registry
    from ml.serving.fleet import Fleet
    from ml.training import train

    url, artifacts = mlflow_server
    settings = make_settings(tmp_path / "medic", mlflow_tracking_uri=url,
                             database_url=app_database)
    assert settings.mlflow_artifact_root == ""
    registry = open_registry(settings)
    result = train.run(settings, registry)
    assert (result.version, result.decision) == ("1", "champion")
    assert list(artifacts.rglob("MLmodel")), "model files go through the server's proxy"
    assert not (settings.home / "mlartifacts").exists()

    second = registry.register(registry.source("1"), model_type=result.best)
    registry.promote(second, expected="1", actor="test", reason="second version")
    with pytest.raises(AliasConflict):
        registry.promote("1", expected="1", actor="stale", reason="stale view")

    moved = threading.Event()
    fleet = Fleet(settings.model_copy(update={"reload_seconds": 0.2}), registry,
                  on_load_failure=lambda _name: None, on_reload=lambda _name, _v: moved.set())
    serving = fleet.default.serving
    served = serving.reload()
    assert served.version == "2"
    row = np.array([[63, 1, 1, 145, 233, 1, 2, 150, 0, 2.3, 3, 0, 6]], dtype=float)
    assert 0.0 <= float(served.score(row)[0]) <= 1.0

    fleet.start()
    try:
        assert registry.rollback(expected="2", actor="test", reason="hot reload") == "1"
        assert moved.wait(30), "the serving model did not follow the alias"
    finally:
        fleet.close()
    assert serving.current.version == "1"
    assert [h.action for h in registry.history()] == ["promote", "promote", "rollback"]


def test_processes_starting_together_on_an_empty_server_share_one_experiment(
        mlflow_server, app_database, tmp_path):
    from ml.registry import tracking

    url, _artifacts = mlflow_server
    settings = make_settings(tmp_path / "medic", mlflow_tracking_uri=url,
                             database_url=app_database)
    ids, errors = [], []

    def start() -> None:  # what each replica, worker and `medic train` does first
        try:
            ids.append(tracking.configure(settings))
        except Exception as error:  # what a starting process would die of
            errors.append(repr(error)[:300])

    starting = [threading.Thread(target=start, daemon=True) for _ in range(6)]
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join(timeout=60)
    assert errors == []
    assert len(ids) == 6 and len(set(ids)) == 1
