"""Shared fixtures: settings on a temporary home, a trained registry, PostgreSQL."""

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from core.settings import PROJECT_ROOT, Settings  # noqa: E402
from ml import spec  # noqa: E402

DATA = PROJECT_ROOT / "data" / "raw"
HEART = spec.load(PROJECT_ROOT / "configs" / "models" / "heart-disease.yaml")
BIKE = spec.load(PROJECT_ROOT / "configs" / "models" / "bike-demand.yaml")
# bike-demand's light recipe for the tests: one small forest, two folds (seconds, not minutes)
LIGHT = {"cv_folds": 2, "models": {"random_forest": {"n_estimators": 30, "max_depth": 10}}}
# heart-disease's, for tests whose retrain is a step on the way (two families, three folds)
HEART_LIGHT = {"cv_folds": 3, "models": {
    "logreg": {"C": 0.5, "max_iter": 2000},
    "random_forest": {"n_estimators": 60, "max_depth": 6, "min_samples_leaf": 2}}}


# Fixtures that start programs (a `medic up`, a browser, Debian's servers) for their module.
STARTS_PROGRAMS = {"console_server", "browser", "processes"}


def pytest_collection_modifyitems(items):
    """Run the files with the most `slow` tests first, then those starting programs, then the rest.

    `make test` hands whole files to its xdist workers in collection order, so the files
    that take minutes start at once instead of last behind the quick ones. Each file's tests
    keep their own order. Among the slow files, the longest one that needs the trained home
    goes first (its worker trains it), then the slow files that need no trained home: the
    other workers spend the training's minute on them, not waiting for it.
    """
    rank: dict[Path, tuple[int, int]] = {}
    trained: set[Path] = set()
    for item in items:
        slow, starts = item.get_closest_marker("slow"), STARTS_PROGRAMS & set(item.fixturenames)
        kind, count = rank.get(item.path, (2, 0))
        rank[item.path] = (min(kind, 0 if slow else 1 if starts else 2), count - bool(slow))
        if "trained_home" in item.fixturenames:
            trained.add(item.path)
    slow_files = sorted((path for path in rank if rank[path][0] == 0), key=rank.get)
    first = next((path for path in slow_files if path in trained), None)
    early = {first: -2} | {path: -1 for path in slow_files if path not in trained}
    items.sort(key=lambda item: (early.get(item.path, 0), rank[item.path]))


@pytest.fixture(autouse=True)
def _no_medic_env(monkeypatch):
    """Keep a developer's MEDIC_* variables and .env out of the tests."""
    for name in list(os.environ):
        if name.startswith("MEDIC_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(PROJECT_ROOT / "tests")


def make_settings(home: Path, **overrides) -> Settings:
    """Return embedded-default settings rooted in `home`.

    Alerts are stored in the app's own process unless a test asks for the intake child
    (`ingest_process=True`, as the API's tests and every real `medic up` do): each child is
    a second interpreter to start, and most tests that build an app never send an alert.
    The agent worker runs on a thread of the app (`root.worker`), not in the child a real
    `medic up` starts. Models without a champion are not trained in the background unless a
    test asks.
    """
    overrides.setdefault("ingest_process", False)
    overrides.setdefault("worker_process", False)  # the tests' apps: `root.worker` is theirs
    overrides.setdefault("train_in_background", False)  # a test trains what it serves itself
    return Settings(home=home, _env_file=None, **overrides)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path / "medic")


def shared_folder(tmp_path_factory) -> Path:
    """Return a folder every xdist worker of this run sees (the run's own temporary root)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def made_once(folder: Path, name: str):
    """Yield the path of `name` in the run's shared folder, and whether it is to be made.

    The first process of the run to ask makes it (the others wait on a file lock), so the
    workers share one copy of what is costly to make: read-only, each test copying it.
    """
    from filelock import FileLock

    path = folder / name
    with FileLock(str(folder / f"{name}.lock")):
        done = folder / f"{name}.done"
        yield path, not done.exists()
        done.touch()


def closed_template(registry, home: Path) -> None:
    """Close the template's app database, so no worker copies it while SQLite's WAL is live.

    An engine left open keeps `medic.db-wal` and `-shm` beside the database until it is
    collected; their disappearing mid-copy broke another worker's `copytree` (4 workers).
    """
    registry.sessions.kw["bind"].dispose()
    live = sorted(p.name for p in home.iterdir() if p.name.endswith(("-wal", "-shm")))
    assert not live, f"the template home still has a database open: {live}"


@pytest.fixture(scope="session")
def trained_home(tmp_path_factory):
    """Train twice on Cleveland: version 1, then version 2 (same data) through the gate.

    Trained once per run, whatever the number of xdist workers; never written to: tests use
    private copies (`trained`, or `shutil.copytree` of it).
    """
    from ml.registry.aliases import open_registry
    from ml.training import train

    with made_once(shared_folder(tmp_path_factory), "trained") as (folder, to_make):
        home, record = folder / "medic", folder / "results.json"
        if to_make:
            config = make_settings(home)
            registry = open_registry(config)
            results = [train.run(config, registry), train.run(config, registry)]
            closed_template(registry, home)
            config.evidence_dir.mkdir(parents=True, exist_ok=True)  # alerts may name only these
            shutil.copyfile(DATA / "processed.va.data", config.evidence_dir / "processed.va.data")
            record.write_text(json.dumps([r.model_dump(mode="json") for r in results]))
    first, second = (train.TrainingResult.model_validate(r) for r in json.loads(record.read_text()))
    return home, first, second


@pytest.fixture(scope="session")
def two_models_home(trained_home, tmp_path_factory):
    """The trained heart-disease home with a bike-demand champion beside it (light recipe).

    Made once per run like `trained_home`, and as read-only: return (home, bike's version,
    the light recipe's file); tests copy the home.
    """
    import yaml

    from ml.registry.aliases import open_registry
    from ml.training import train

    with made_once(shared_folder(tmp_path_factory), "two-models") as (folder, to_make):
        home, light, record = folder / "medic", folder / "light.yaml", folder / "version"
        if to_make:
            shutil.copytree(trained_home[0], home)
            light.write_text(yaml.safe_dump(LIGHT))
            bike = make_settings(home, default_model="bike-demand", model_name="bike-demand",
                                 experiment="bike-demand", training_config=light)
            registry = open_registry(bike)
            record.write_text(train.run(bike, registry).version)
            closed_template(registry, home)
    return home, record.read_text(), light


@pytest.fixture
def trained(trained_home, tmp_path):
    """A private copy of the trained home, so a test may move aliases freely."""
    from ml.registry.aliases import open_registry

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


@contextmanager
def fresh_database(admin_url: str, prefix: str = "medic_test"):
    """Create a fresh database on the server, yield its URL, drop it afterwards."""
    import uuid

    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_server):
    """Create a fresh database for one test and drop it afterwards."""
    with fresh_database(postgres_server) as url:
        yield url


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


class Driver:
    """Drive a real agent through the service layer, handling its work inline (as the CLI)."""

    def __init__(self, agent, settings) -> None:
        from agent_graph.runtime.worker import Worker
        from services.context import Medic

        self.agent, self.context, self.sessions = agent, agent.context, agent.sessions
        self.worker = Worker(agent)
        self.medic = Medic(settings=settings, sessions=agent.sessions,
                           clock=agent.context.clock, agent=agent,
                           _registry=agent.context.tools.registry, worker=self.worker,
                           on_work=self.worker.drain)

    def submit(self, alert):
        from services import alerts

        [accepted] = alerts.submit_alerts(self.medic, [alert]).incidents
        return accepted

    def decide(self, approval_id, **kwargs):
        from services import approvals

        return approvals.decide(self.medic, approval_id, **kwargs).model_dump()

    def pending(self):
        from services import approvals

        return [a.model_dump() for a in approvals.pending(self.medic)]

    def expire(self):
        from services import approvals

        return approvals.expire(self.medic)

    def ask(self, question):
        from services import chat

        return chat.ask(self.medic, question)

    def state(self, incident_id):
        return self.agent.state(incident_id)


def principal_of(sessions, *, name: str, role: str):
    """Create a key for `name` and return its principal, as the key's holder would be."""
    from core import keys

    with sessions.begin() as session:
        return keys.authenticate(session, keys.create(session, name=name, role=role,
                                                      actor="tests"))


@pytest.fixture
def agent(trained, clock):
    """The agent over a private copy of the trained registry (v2 champion, v1 previous)."""
    from agent_graph.runtime.runner import open_agent

    settings = trained[0]
    with open_agent(settings, clock=clock) as running:
        yield Driver(running, settings)


@pytest.fixture
def approver(agent):
    return principal_of(agent.sessions, name="alice", role="approver")


def drift_alert(**overrides):
    from core.alerts import Alert

    fields = {"name": "FeatureDrift", "type": "drift",
              "evidence": {"data_path": "processed.va.data"}}  # in the home's evidence folder
    return Alert.model_validate({**fields, **overrides})
