"""Shared fixtures: settings on a temporary home, a trained registry, PostgreSQL."""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from core.settings import PROJECT_ROOT, Settings  # noqa: E402

DATA = PROJECT_ROOT / "data" / "raw"


@pytest.fixture(autouse=True)
def _no_medic_env(monkeypatch):
    """Keep a developer's MEDIC_* variables and .env out of the tests."""
    for name in list(os.environ):
        if name.startswith("MEDIC_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(PROJECT_ROOT / "tests")


def make_settings(home: Path, **overrides) -> Settings:
    """Return embedded-default settings rooted in `home`."""
    return Settings(home=home, _env_file=None, **overrides)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path / "medic")


@pytest.fixture(scope="session")
def trained_home(tmp_path_factory):
    """Train twice on Cleveland: version 1, then version 2 (same data) through the gate."""
    from ml import train
    from ml.registry import open_registry

    home = tmp_path_factory.mktemp("trained") / "medic"
    config = make_settings(home)
    registry = open_registry(config)
    first = train.run(config, registry)
    second = train.run(config, registry)
    return home, first, second


@pytest.fixture
def trained(trained_home, tmp_path):
    """A private copy of the trained home, so a test may move aliases freely."""
    from ml.registry import open_registry

    source, first, second = trained_home
    home = tmp_path / "medic"
    shutil.copytree(source, home)
    config = make_settings(home)
    return config, open_registry(config), first, second


PG_ADMIN_URL = os.environ.get("MEDIC_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_server():
    """Return the admin URL of the PostgreSQL server; skip (fail under CI) when unreachable."""
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        message = f"PostgreSQL unreachable at {PG_ADMIN_URL}: {error}".splitlines()[0]
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the PostgreSQL tests)")
        pytest.skip(message)
    return PG_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server):
    """Create a fresh database for one test and drop it afterwards."""
    import uuid

    import psycopg

    name = f"medic_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = postgres_server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Clock:
    """A clock a test can move forward."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.now = datetime.now(UTC)

    def __call__(self):
        return self.now

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def agent(trained, clock):
    """The agent over a private copy of the trained registry (v2 champion, v1 previous)."""
    from agent_graph.runner import open_agent

    settings = trained[0]
    with open_agent(settings, clock=clock) as running:
        yield running


@pytest.fixture
def approver(agent):
    from core import keys

    keys.create(agent.sessions, name="alice", role="approver")
    return keys.principal_named(agent.sessions, "alice")


def drift_alert(**overrides):
    from core.alerts import Alert

    fields = {"name": "FeatureDrift", "type": "drift",
              "evidence": {"data_path": str(DATA / "processed.va.data")}}
    return Alert.model_validate({**fields, **overrides})
