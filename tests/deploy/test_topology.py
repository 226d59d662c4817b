"""The production topology as processes on loopback (issue 13).

PostgreSQL (127.0.0.1:5432), `mlflow server` on PostgreSQL with proxied artifacts, two API
replicas (`medic up --no-worker`, production profile), two `medic worker` processes, and
Prometheus + Alertmanager with deploy/'s configs. The tests run in order on one topology:
an alert storm over both replicas, a drift incident approved on the replica that did not
receive it while its worker is killed mid-retrain, then a champion move both replicas follow.
"""

import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import func, select

from api.security import sign
from core.settings import PROJECT_ROOT, Settings
from core.tables import ActionRun, AgentWork, AlertRecord, AuditEntry, Incident
from tests.api.conftest import PATIENT, role_keys
from tests.conftest import DATA, HEART, fresh_database
from tests.deploy.conftest import need, programs_of
from tests.deploy.monitoring import Monitoring, start_monitoring, wait_until_scraped
from tests.processes import (
    Processes,
    answers,
    free_port,
    local,
    start_mlflow_server,
    wait_for,
    wait_for_mlflow,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
log = logging.getLogger(__name__)  # the figures: pytest --log-cli-level=INFO

SECRET, TOKEN = "webhook-3f9c1a7e5b2d80461c9e7a5f", "token-8d2e6b1f4a9c7035e1b8d6a2f4"
AUDIT_KEY = "audit-5c8e2a1f7b3d9046e2c8a1f5b7"
STORM, SENDERS = 1000, 8


@dataclass
class Topology:
    """The running processes and what the tests need to reach them."""

    settings: Settings  # what every Medic process was started with
    env: dict[str, str]
    apis: list[str]  # the two replicas' URLs
    keys: dict[str, str]  # role -> key
    monitoring: Monitoring
    processes: Processes

    @cached_property
    def sessions(self):
        from core.db import connect

        return connect(self.settings.database_url)

    def workers(self) -> dict[int, subprocess.Popen]:
        """Return the worker processes by pid."""
        return {p.pid: p for name, p in self.processes.started.items()
                if name.startswith("worker")}

    def headers(self, role: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}

    def medic(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run a `medic` command as an operator would, with the topology's environment."""
        return subprocess.run([sys.executable, "-m", "cli", *args], env=self.env,
                              cwd=self.processes.folder, capture_output=True, text=True,
                              timeout=timeout)


def production_env(settings: Settings) -> dict[str, str]:
    """Return the environment of every Medic process: the production profile on loopback."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("MEDIC_")}
    return {**kept, "PYTHONPATH": str(PROJECT_ROOT), "DO_NOT_TRACK": "true",
            "MEDIC_PROFILE": "production", "MEDIC_HOME": str(settings.home),
            "MEDIC_DATABASE_URL": settings.database_url,
            "MEDIC_MLFLOW_TRACKING_URI": settings.mlflow_tracking_uri,
            "MEDIC_WEBHOOK_SECRET": SECRET, "MEDIC_ALERTMANAGER_TOKEN": TOKEN,
            "MEDIC_AUDIT_KEY": AUDIT_KEY, "MEDIC_TRAINING_CONFIG": str(settings.training_config),
            "MEDIC_UI": "false",  # the console is tested on its own; it only slows start-up
            # a take-over within seconds, not the production minute
            "MEDIC_WORKER_LEASE_SECONDS": "6", "MEDIC_WORKER_POLL_SECONDS": "0.2",
            # the monitors check once at start (no traffic yet), not on the test's own rows
            "MEDIC_MONITOR_INTERVAL_SECONDS": "3600"}


def light_training(folder: Path) -> Path:
    """Return overrides of the shipped recipe: fewer folds and trees (same four models)."""
    models = {name: dict(params) for name, params in HEART.training.families.items()}
    for params in models.values():
        if "n_estimators" in params:
            params["n_estimators"] = 50
    config = {"cv_folds": 2, "models": models}
    path = folder / "training.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture(scope="module")
def topology(postgres_server, tmp_path_factory, request):
    for program, package in (("prometheus", "prometheus"),
                             ("prometheus-alertmanager", "prometheus-alertmanager")):
        need(program, package)  # before starting anything
    folder = tmp_path_factory.mktemp("topology")
    began = time.monotonic()
    with fresh_database(postgres_server, prefix="medic_app") as app_db, \
            fresh_database(postgres_server, prefix="medic_mlflow") as mlflow_db, \
            programs_of(request, folder) as processes:
        mlflow = start_mlflow_server(processes, mlflow_db, folder / "proxied-artifacts")
        settings = Settings(_env_file=None, profile="production", home=folder / "medic",
                            database_url=app_db, mlflow_tracking_uri=mlflow,
                            webhook_secret=SECRET, alertmanager_token=TOKEN,
                            audit_key=AUDIT_KEY, training_config=light_training(folder),
                            ui=False)
        env = production_env(settings)
        keys = role_keys(settings)
        ports = [free_port(), free_port()]
        monitoring = start_monitoring(processes, api_ports=ports, viewer_key=keys["viewer"],
                                      alertmanager_token=TOKEN)
        wait_for_mlflow(processes, mlflow)
        mlflow_at = time.monotonic()
        medic = [sys.executable, "-m", "cli"]
        processes.start("train", [*medic, "train"], env=env)  # as an operator would, first
        for i in range(2):
            processes.start(f"worker-{i}", [*medic, "--verbose", "worker"], env=env)
        wait_for(lambda: processes.started["train"].poll() is not None, timeout=300,
                 what="`medic train` against the MLflow server", logs=processes.logs, every=1)
        assert processes.started["train"].returncode == 0, "`medic train` failed"
        trained_at = time.monotonic()
        for i, port in enumerate(ports):  # the registry has a champion: replicas only serve
            processes.start(f"api-{i}", [*medic, "up", "--no-worker", "--port", str(port)],
                            env=env)
        apis = [f"http://127.0.0.1:{port}" for port in ports]
        for url in apis:
            wait_for(lambda url=url: answers(url + "/ready"), timeout=180,
                     what=f"{url}/ready", logs=processes.logs)
        wait_until_scraped(monitoring, processes, targets=2)
        log.info("topology up in %.0f s (mlflow %.0f s, train %.0f s, replicas %.0f s)",
                 time.monotonic() - began, mlflow_at - began, trained_at - mlflow_at,
                 time.monotonic() - trained_at)
        yield Topology(settings, env, apis, keys, monitoring, processes)


def storm_bodies() -> list[tuple[int, bytes]]:
    """Return STORM signed-alert bodies, two per fingerprint, each copy to another replica."""
    jobs = []
    for n in range(STORM // 2):
        for copy in (0, 1):  # the annotation differs, so each body has its own signature
            alert = {"name": f"storm-{n}", "labels": {"severity": "info"},
                     "annotations": {"copy": str(copy)}}
            jobs.append(((n + copy) % 2, json.dumps(alert).encode()))
    random.Random(13).shuffle(jobs)
    return jobs


def send(apis: list[str], jobs: list[tuple[int, bytes]], failures: list) -> None:
    clients = [httpx.Client(base_url=url, timeout=30) for url in apis]
    try:
        for replica, body in jobs:
            headers = {**sign(SECRET, body), "content-type": "application/json"}
            reply = clients[replica].post("/v1/alerts", content=body, headers=headers)
            if reply.status_code != 202:
                failures.append((replica, reply.status_code, reply.text[:200]))
    finally:
        for client in clients:
            client.close()


def test_a_thousand_alerts_over_both_replicas_open_one_incident_per_fingerprint(topology):
    jobs, failures = storm_bodies(), []
    senders = [threading.Thread(target=send, args=(topology.apis, jobs[i::SENDERS], failures))
               for i in range(SENDERS)]
    began = time.monotonic()
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in senders), "a sender hung"
    sent_in = time.monotonic() - began
    assert failures == []
    sessions = topology.sessions
    storm = Incident.title.like("storm-%")

    def all_handled():
        with sessions() as session:
            owed = session.scalar(select(func.count()).select_from(AgentWork)
                                  .where(AgentWork.wakes > AgentWork.done))
            unhandled = session.scalar(select(func.count()).where(storm, ~Incident.handled))
        return owed == 0 and unhandled == 0

    wait_for(all_handled, timeout=300, what="the workers to handle every storm incident",
             logs=topology.processes.logs, every=1)
    handled_in = time.monotonic() - began
    with sessions() as session:
        opened = session.execute(select(Incident.id, Incident.fingerprint, Incident.alert_count,
                                        Incident.state).where(storm)).all()
        ids = [row.id for row in opened]
        stored = session.scalar(select(func.count()).select_from(AlertRecord)
                                .where(AlertRecord.incident_id.in_(ids)))
        runs = session.execute(select(AgentWork.wakes, AgentWork.done)
                               .where(AgentWork.incident_id.in_(ids))).all()
        events = Counter(session.execute(
            select(AuditEntry.event, AuditEntry.incident_id)
            .where(AuditEntry.incident_id.in_(ids))).all())
    assert len(opened) == STORM // 2 == len({row.fingerprint for row in opened})
    assert sum(row.alert_count for row in opened) == STORM and stored == STORM  # none lost
    assert {row.state for row in opened} == {"closed"}  # low severity: logged, nothing run
    assert runs and set(runs) == {(1, 1)}  # each incident owed one run, and had it
    for event in ("alert_received", "triaged", "incident_closed"):  # the graph ran once each
        assert {events[(event, i)] for i in ids} == {1}, event
    assert sum(events[(e, i)] for e in ("alert_joined", "alert_flapped") for i in ids) == \
        STORM // 2
    log.info("%d alerts sent in %.1f s, all handled in %.1f s", STORM, sent_in, handled_in)


def test_a_drift_approved_on_the_other_replica_survives_its_killed_worker(topology):
    from core.clock import utcnow
    from ml.data import load_site
    from tests.ml.conftest import log_traffic

    sessions = topology.sessions
    evidence = topology.settings.evidence_dir / "va.csv"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "processed.va.data", evidence)
    champion = _served(topology.apis[0], topology)
    # labelled production traffic, so that the approved retrain has something to fit
    log_traffic(sessions, load_site(DATA, "va", HEART), start=utcnow(), version=champion)
    fired = local.post(topology.monitoring.alertmanager + "/api/v2/alerts", timeout=10, json=[{
        "labels": {"alertname": "FeatureDrift", "severity": "warning"},
        "annotations": {"summary": "VA patients", "data_path": str(evidence)},
        "startsAt": datetime.now(UTC).isoformat()}])
    assert fired.status_code == 200, fired.text
    logs = topology.processes.logs

    def drift_incident():
        with sessions() as session:
            return session.scalar(select(Incident.id).where(Incident.title.like("FeatureDrift%")))

    incident_id = wait_for(drift_incident, timeout=60, logs=logs,
                           what="Alertmanager to deliver the drift alert to replica 0")

    def receivers() -> set[str]:  # as Prometheus saw it: which replica took the webhook
        return {r["metric"]["instance"] for r in topology.monitoring.query(
            'medic_http_requests_total{route="/v1/alerts/alertmanager", status="202"} > 0')}

    assert wait_for(receivers, timeout=30, logs=logs, what="Prometheus to count the "
                    "webhook") == {topology.apis[0].removeprefix("http://")}
    other = topology.apis[1]
    with httpx.Client(base_url=other, timeout=30) as replica:
        [pending] = wait_for(lambda: [a for a in replica.get(
            "/v1/approvals", headers=topology.headers("viewer")).json()
            if a["incident_id"] == incident_id], timeout=180, logs=logs,
            what="a worker to ask for approval of the retrain")
        assert [a["tool"] for a in pending["actions"]] == ["retrain"]
        approved = replica.post(f"/v1/approvals/{pending['id']}/approve",
                                headers=topology.headers("approver"))
        assert approved.status_code == 200, approved.text

    def retrain_owner():
        with sessions() as session:
            running = session.scalar(select(ActionRun.status).where(
                ActionRun.incident_id == incident_id, ActionRun.tool == "retrain")) == "running"
            owner = session.get(AgentWork, incident_id, populate_existing=True).owner
        return owner if running and owner else None

    owner = wait_for(retrain_owner, timeout=120, logs=logs, every=0.1,
                     what="a worker to start the approved retrain")
    workers = topology.workers()
    victim = workers.pop(int(owner.split(":")[1]))
    victim.send_signal(signal.SIGKILL)  # mid-retrain: no clean shutdown
    victim.wait(timeout=30)
    [survivor] = workers.values()

    def settled():
        with sessions() as session:
            found = session.get(Incident, incident_id, populate_existing=True)
            work = session.get(AgentWork, incident_id, populate_existing=True)
            ended = found.state not in ("open", "awaiting_approval", "remediating",
                                           "verifying")
            return found.state if ended and work.owner is None else None

    # configs/agent.yaml re-runs only harmless actions after a crash: a retrain is reported
    # interrupted and a person decides
    assert "retrain" not in yaml.safe_load(
        (PROJECT_ROOT / "configs" / "agent.yaml").read_text())["rerun_interrupted"]
    assert wait_for(settled, timeout=120, logs=logs, what="the other worker to take over "
                    "when the lease expires") == "escalated"
    assert survivor.poll() is None
    with sessions() as session:
        runs = session.execute(select(ActionRun.tool, ActionRun.status)
                               .where(ActionRun.incident_id == incident_id)).all()
        started = session.scalar(select(func.count()).where(
            AuditEntry.incident_id == incident_id, AuditEntry.event == "action_started"))
        outcome = session.get(Incident, incident_id).outcome
    assert runs == [("retrain", "interrupted")] and started == 1  # counted once
    assert "retrain interrupted" in outcome
    verified = topology.medic("audit", "verify", "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["ok"]


def _served(url: str, topology: Topology) -> str:
    reply = local.post(url + "/v1/predict", json=PATIENT, headers=topology.headers("predictor"),
                       timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()["version"]


def test_a_champion_moved_on_the_server_is_served_by_both_replicas_within_seconds(topology):
    from ml.registry.aliases import open_registry

    registry = open_registry(topology.settings)
    champion = registry.alias("champion")
    assert {_served(url, topology) for url in topology.apis} == {champion}
    model_type = registry.version(champion).model_type
    new = registry.register(registry.source(champion), model_type=model_type)
    seen: dict[str, list[tuple[float, str]]] = {url: [] for url in topology.apis}
    failures, stop = [], threading.Event()

    def load(url: str) -> None:  # ~25 requests a second, under the per-address rate limit
        with httpx.Client(base_url=url, headers=topology.headers("predictor"),
                          timeout=10) as client:
            while not stop.is_set():
                reply = client.post("/v1/predict", json=PATIENT)
                if reply.status_code == 200:
                    seen[url].append((time.monotonic(), reply.json()["version"]))
                else:
                    failures.append((url, reply.status_code, reply.text[:200]))
                time.sleep(0.04)

    threads = [threading.Thread(target=load, args=(url,)) for url in topology.apis]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        moved_at = time.monotonic()
        moved = local.post(f"{topology.apis[0]}/v1/models/versions/{new}/promote", timeout=30,
                           headers=topology.headers("admin"),
                           json={"expected_champion": champion, "reason": "topology test"})
        assert moved.status_code == 200, moved.text
        wait_for(lambda: all(s and s[-1][1] == new for s in seen.values()), timeout=30,
                 what=f"both replicas to serve version {new}", logs=topology.processes.logs)
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert failures == []
    for url, answers_seen in seen.items():
        first_new = next(i for i, (_t, v) in enumerate(answers_seen) if v == new)
        switched = answers_seen[first_new][0] - moved_at  # bounded by the wait above; logged
        assert {v for _t, v in answers_seen[first_new:]} == {new}  # no flapping back
        assert {v for _t, v in answers_seen[:first_new]} <= {champion}
        log.info("%s: version %s served %.2f s after the move", url, new, switched)
    instances = {url.removeprefix("http://") for url in topology.apis}
    wait_for(lambda: {r["metric"]["instance"] for r in topology.monitoring.query(
        f'medic_model_info{{version="{new}"}} == 1')} == instances, timeout=30,
        what=f"Prometheus to see version {new} served by both replicas",
        logs=topology.processes.logs)
