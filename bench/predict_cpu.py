"""CPU per single-row prediction: Medic's `/v1/predict` against a bare FastAPI endpoint.

Both apps run in one process and are called through ASGI (no sockets: uvicorn's share is
the same for both and is left out). Medic is built as `medic up` builds it (console
mounted, agent and worker opened) and does all its work: key check, rate limit, validation,
scoring, metrics, and the prediction log, whose rows are written before the clock stops.
The bare endpoint calls the same compiled scorer. The clock is the CPU time of the serving
thread and the prediction log's writer (the agent's worker and its monitors are left out:
they do not scale with requests), so this holds up on a loaded machine far better than
requests per second.

Usage: .venv/bin/python bench/predict_cpu.py [--requests 5000] [--rounds 5]
Prints CPU per request for each round and `ratio:` = bare / Medic (the throughput Medic
would have on one core, as a share of the bare endpoint's), median of the rounds.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATIENT = {"age": 63, "sex": 1, "cp": 1, "trestbps": 145, "chol": 233, "fbs": 1, "restecg": 2,
           "thalach": 150, "exang": 0, "oldpeak": 2.3, "slope": 3, "ca": 0, "thal": 6}
BODY = json.dumps(PATIENT).encode()


def bare_app(score):
    """The peer: one FastAPI route that parses the row and calls the compiled scorer."""
    import numpy as np
    from fastapi import FastAPI, Request

    app, columns = FastAPI(), list(PATIENT)

    @app.post("/v1/predict")
    async def fast_path(request: Request):
        row = await request.json()
        x = np.array([[row[c] for c in columns]], dtype=float)
        return {"probability": float(score(x)[0])}

    return app


async def post(app, key: str | None) -> int:
    """POST the patient to /v1/predict through ASGI; return the status."""
    headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
               (b"content-length", str(len(BODY)).encode())]
    if key:
        headers.append((b"x-api-key", key.encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/v1/predict",
             "raw_path": b"/v1/predict", "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 8000), "state": {}}
    messages = [{"type": "http.request", "body": BODY, "more_body": False}]
    status = []

    async def receive():
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def request_path_cpu() -> float:
    """Return the CPU seconds of this thread and of the prediction log's writer."""
    writer = next(t for t in threading.enumerate() if t.name == "prediction-log")
    return time.thread_time() + time.clock_gettime(time.pthread_getcpuclockid(writer.ident))


async def cpu_per_request(app, key: str | None, requests: int, done=None) -> float:
    """Microseconds of request-path CPU per request (`done` runs inside the timing)."""
    if await post(app, key) != 200:
        raise SystemExit("the warm-up request was refused")
    started = request_path_cpu()
    for _ in range(requests):
        await post(app, key)
    if done is not None:
        done()
    return (request_path_cpu() - started) / requests * 1e6


async def measure(args, key: str) -> list[tuple[float, float]]:
    from api.app import create_app
    from core.settings import Settings

    settings = Settings()
    medic = create_app(settings)
    if settings.ui:
        from ui.console import mount

        mount(medic, settings)
    rounds = []
    async with medic.router.lifespan_context(medic):
        services = medic.state.root
        await asyncio.to_thread(lambda: services.agent)  # measure once the agent is open
        bare = bare_app(services.serving.current.score)
        for _ in range(args.rounds):
            rounds.append((await cpu_per_request(medic, key, args.requests,
                                                 done=services.predictions.flush_now),
                           await cpu_per_request(bare, None, args.requests)))
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="medic-cpu-"))
    os.environ.update({"MEDIC_HOME": str(home), "DO_NOT_TRACK": "true",
                       "GRADIO_ANALYTICS_ENABLED": "False", "MEDIC_RATE_LIMIT_PER_MINUTE": "0"})
    cli = [sys.executable, "-m", "cli"]
    try:
        subprocess.run([*cli, "train"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        admin = subprocess.run([*cli, "keys", "create", "--role", "admin", "--name", "admin"],
                               cwd=ROOT, check=True, capture_output=True, text=True).stdout
        key = subprocess.run([*cli, "keys", "create", "--role", "predictor", "--name", "bench",
                              "--key", admin.strip()], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
        sys.path.insert(0, str(ROOT))
        rounds = asyncio.run(measure(args, key))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{args.requests} requests a round; CPU of the serving thread and the log writer")
    for n, (medic, bare) in enumerate(rounds, 1):
        print(f"  round {n}: medic {medic:6.1f} µs/request, bare {bare:6.1f} µs/request, "
              f"bare / medic {bare / medic:.2f}")
    print(f"ratio: {statistics.median(bare / medic for medic, bare in rounds):.2f}")


if __name__ == "__main__":
    main()
