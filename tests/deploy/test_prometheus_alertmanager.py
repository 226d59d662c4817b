"""Prometheus and Alertmanager with deploy/'s configs: a rule on Medic's gauge fires, resolves."""

import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import select, update

from core.clock import utcnow
from core.settings import PROJECT_ROOT
from core.tables import AlertRecord, Approval, Incident
from tests.conftest import make_settings
from tests.deploy.conftest import need
from tests.servers import free_port, wait_for

pytestmark = pytest.mark.slow

DEPLOY = PROJECT_ROOT / "deploy"
TOKEN = "t" * 32
RULE = "MedicApprovalsWaiting"


def prometheus_config(tmp: Path, *, api_port: int, am_port: int, key_file: Path) -> Path:
    """The shipped config and rule, pointed at loopback and evaluated every second."""
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["alerting"]["alertmanagers"][0]["static_configs"] = [
        {"targets": [f"127.0.0.1:{am_port}"]}]
    [job] = config["scrape_configs"]
    del job["dns_sd_configs"]
    job["static_configs"] = [{"targets": [f"127.0.0.1:{api_port}"]}]
    job["authorization"]["credentials_file"] = str(key_file)
    rules = yaml.safe_load((DEPLOY / "prometheus" / "rules.yml").read_text())
    [rule] = [r for g in rules["groups"] for r in g["rules"] if r["alert"] == RULE]
    rule["for"] = "0s"
    (tmp / "rules.yml").write_text(yaml.safe_dump({"groups": [{"name": "medic",
                                                                "rules": [rule]}]}))
    path = tmp / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def alertmanager_config(tmp: Path, *, api_port: int, token_file: Path) -> Path:
    """The shipped route, aimed at the test's API, grouping within a second."""
    config = yaml.safe_load((DEPLOY / "alertmanager" / "alertmanager.yml").read_text())
    config["route"].update(group_wait="1s", group_interval="1s")
    [hook] = config["receivers"][0]["webhook_configs"]
    assert hook["url"].endswith("/v1/alerts/alertmanager")
    hook["url"] = f"http://127.0.0.1:{api_port}/v1/alerts/alertmanager"
    hook["http_config"]["authorization"]["credentials_file"] = str(token_file)
    path = tmp / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture
def medic_api(tmp_path):
    """Medic's API under uvicorn in a thread on a free port, with a viewer key for Prometheus."""
    import uvicorn

    from api.app import create_app
    from core import keys
    from core.audit_seal import Seal
    from core.db import connect

    settings = make_settings(tmp_path / "medic", alertmanager_token=TOKEN,
                             webhook_secret="w" * 32, worker_poll_seconds=0.5)
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    with sessions.begin() as session:
        viewer = keys.create(session, name="prometheus", role="viewer", actor="tests")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, 60, "Medic's API to start")
    yield port, viewer, sessions
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def spawn(tmp_path):
    """Start a program with its output in a log file; stop it (by its own pid) at the end."""
    started: list[subprocess.Popen] = []

    def start(args: list[str], log: Path) -> subprocess.Popen:
        process = subprocess.Popen(args, cwd=tmp_path, stdout=log.open("w"),
                                   stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def alertmanager_records(sessions) -> list[tuple[int, str]]:
    with sessions() as session:
        return [(incident_id, status) for incident_id, status, payload in session.execute(
            select(AlertRecord.incident_id, AlertRecord.status, AlertRecord.payload)
            .order_by(AlertRecord.id)) if payload.get("name") == RULE]


def test_a_rule_on_medics_gauge_reaches_medic_as_an_incident_and_resolves(
        medic_api, spawn, tmp_path):
    prometheus = need("prometheus", "prometheus")
    alertmanager = need("prometheus-alertmanager", "prometheus-alertmanager")
    began = time.monotonic()
    api_port, viewer, sessions = medic_api
    key_file, token_file = tmp_path / "viewer_key", tmp_path / "am_token"
    key_file.write_text(viewer)
    token_file.write_text(TOKEN)
    am_port, prom_port = free_port(), free_port()
    logs = [tmp_path / "alertmanager.log", tmp_path / "prometheus.log"]
    spawn([alertmanager, "--config.file",
           str(alertmanager_config(tmp_path, api_port=api_port, token_file=token_file)),
           "--storage.path", str(tmp_path / "am-data"),
           "--web.listen-address", f"127.0.0.1:{am_port}", "--cluster.listen-address="],
          logs[0])
    spawn([prometheus, "--config.file", str(prometheus_config(
               tmp_path, api_port=api_port, am_port=am_port, key_file=key_file)),
           "--storage.tsdb.path", str(tmp_path / "prom-data"),
           "--web.listen-address", f"127.0.0.1:{prom_port}",
           "--rules.alert.resend-delay", "1s"], logs[1])

    prom = f"http://127.0.0.1:{prom_port}"
    wait_for(lambda: _scraped(prom), 30, "Prometheus to scrape Medic's /metrics "
             "with the viewer key", logs=logs)
    with sessions.begin() as session:  # a person has not decided yet: the gauge becomes 1
        incident = Incident(fingerprint="waiting", title="drift", alert_type="drift",
                            state="awaiting_approval", alert={}, handled=True)
        session.add(incident)
        session.flush()
        session.add(Approval(incident_id=incident.id, digest="d" * 64, actions=[],
                             context={}, expires_at=utcnow() + timedelta(hours=1)))

    [(incident_id, status)] = wait_for(lambda: alertmanager_records(sessions), 30,
                                       f"{RULE} to reach Medic", logs=logs)
    assert status == "firing"
    with sessions() as session:
        opened = session.get(Incident, incident_id)
        assert opened.title and opened.alert["source"] == "alertmanager"
        assert opened.alert["labels"]["severity"] == "warning"

    with sessions.begin() as session:  # decided: the gauge drops to 0
        session.execute(update(Approval).values(status="rejected"))
    records = wait_for(lambda: [r for r in alertmanager_records(sessions)
                                if r[1] == "resolved"], 30,
                       f"{RULE} to resolve in Medic", logs=logs)
    assert records[0][0] == incident_id
    assert time.monotonic() - began < 60


def _scraped(prom: str) -> bool:
    try:
        reply = httpx.get(prom + "/api/v1/query", params={"query": 'up{job="medic"}'},
                          timeout=2)
    except httpx.HTTPError:
        return False
    results = reply.json().get("data", {}).get("result", []) if reply.is_success else []
    return any(r["value"][1] == "1" for r in results)
