"""Over real HTTP on 127.0.0.1: hot model reload without failed requests, flush on shutdown."""

import signal
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select

from core.tables import Prediction
from tests.api.conftest import PATIENT, SECRET, TOKEN, api_settings, role_keys
from tests.processes import log_of, start_medic, wait_for


@pytest.fixture
def server(trained):
    settings = api_settings(trained[0].home)
    made = role_keys(settings)
    process, url = start_medic(settings.home, env={
        "MEDIC_WEBHOOK_SECRET": SECRET, "MEDIC_ALERTMANAGER_TOKEN": TOKEN,
        "MEDIC_RELOAD_SECONDS": "0.5", "MEDIC_LOG_FLUSH_SECONDS": "60"})
    yield url, {"X-API-Key": made["predictor"]}, process, settings
    if process.poll() is None:
        process.kill()
        process.wait()


def test_champion_move_is_served_within_seconds_without_failed_requests(server, trained):
    url, headers, _process, settings = server
    registry = trained[1]
    seen, failures, stop = [], [], threading.Event()

    def load():
        with httpx.Client(base_url=url, headers=headers, timeout=5) as client:
            while not stop.is_set():
                reply = client.post("/v1/predict", json=PATIENT)
                if reply.status_code != 200:
                    failures.append(reply.status_code)
                else:
                    seen.append((time.monotonic(), reply.json()["version"]))

    worker = threading.Thread(target=load)
    worker.start()
    try:  # counted, not timed: some answers by the old champion, then the move
        wait_for(lambda: len(seen) >= 20, timeout=30, what="20 answers before the move",
                 logs=[log_of(settings.home)], every=0.05)
        moved_at = time.monotonic()
        registry.rollback(expected="2", actor="test", reason="hot reload")
        wait_for(lambda: sum(v == "1" and t > moved_at for t, v in seen) >= 20, timeout=30,
                 what="20 answers by version 1 after the move", logs=[log_of(settings.home)],
                 every=0.05)
    finally:
        stop.set()
        worker.join()
    assert failures == []
    assert seen[-1][1] == "1" and len(seen) > 20


def test_clean_shutdown_writes_every_queued_prediction(server):
    url, headers, process, settings = server
    with httpx.Client(base_url=url, headers=headers, timeout=5) as client:
        ids = [client.post("/v1/predict", json=PATIENT).json()["request_id"] for _ in range(200)]
    process.send_signal(signal.SIGTERM)  # the log flushes every 60 s here: nothing written yet
    assert process.wait(timeout=60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal
    assert "Application shutdown complete" in log_of(settings.home).read_text()
    from core.db import make_engine

    engine = make_engine(settings.database_url)
    with engine.connect() as connection:
        written = connection.scalar(select(func.count()).select_from(Prediction)
                                    .where(Prediction.request_id.in_(ids)))
    assert written == 200
