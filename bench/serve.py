"""Serve the same champion three ways and load each the same way on loopback.

Medic's full `/v1/predict` (auth, validation, logging, metrics on), `mlflow models serve`,
and a bare FastAPI endpoint that only calls the loaded model (twice: with sklearn's
`predict_proba` on a DataFrame, and with Medic's compiled scorer — the ceiling of this
stack). Each server is pinned to core 0, the load generator (wrk) to core 1.

Medic and the bare compiled-scorer endpoint run side by side and are loaded in turn,
`--rounds` times (order alternating); the round with the median ratio is the figure.

Usage: .venv/bin/python bench/serve.py [--seconds 10] [--connections 8] [--rounds 3]
                                       [--batch-only]
Needs `wrk` (Debian: apt-get install wrk).
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MEDIC = [sys.executable, "-m", "cli"]  # the checkout's code, whatever the venv's entry point says
PATIENT = {"age": 63, "sex": 1, "cp": 1, "trestbps": 145, "chol": 233, "fbs": 1, "restecg": 2,
           "thalach": 150, "exang": 0, "oldpeak": 2.3, "slope": 3, "ca": 0, "thal": 6}
COLUMNS = list(PATIENT)

BARE = textwrap.dedent('''
    import os, numpy as np, pandas as pd, mlflow.sklearn
    from fastapi import FastAPI, Request
    from ml.serving.fastpath import compile_scorer
    model = mlflow.sklearn.load_model("models:/heart-disease@champion")
    score = compile_scorer(model)
    COLUMNS = {columns!r}
    app = FastAPI()

    @app.post("/sklearn")
    async def sklearn_path(request: Request):
        row = await request.json()
        frame = pd.DataFrame([row], columns=COLUMNS, dtype=float)
        return {{"probability": float(model.predict_proba(frame)[0, 1])}}

    @app.post("/fast")
    async def fast_path(request: Request):
        row = await request.json()
        x = np.array([[row[c] for c in COLUMNS]], dtype=float)
        return {{"probability": float(score(x)[0])}}
''')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, process, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            process.log.seek(0)
            raise SystemExit(f"server exited: {process.log.read().decode()[-2000:]}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"{url} never answered")


def serve(command: list[str], env: dict, ready_url: str, cwd: Path = ROOT):
    log = tempfile.TemporaryFile()  # a pipe nobody reads would block the server's logging
    process = subprocess.Popen(["taskset", "-c", "0", *command], cwd=cwd, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    process.log = log
    wait_ready(ready_url, process)
    return process


def descendants(pid: int) -> list[int]:
    """Return the ids of a process's children, theirs, and so on (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # ended meanwhile
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def stop(process) -> None:
    """Stop a server and its children (one process group); return once all are gone."""
    os.killpg(process.pid, 15)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the children end on their own; wait for them
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(process.pid, 9)


def wrk(url: str, body: str, headers: dict, seconds: int, connections: int) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body)}",
             'wrk.headers["Content-Type"] = "application/json"']
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    script.write_text("\n".join(lines) + "\n")
    out = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}",
                          f"-d{seconds}s", "--latency", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    script.unlink()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {"rps": rate, "p50": percentile(50), "p99": percentile(99),
            "errors": int(errors.group(1)) if errors else 0}


def batch_ms(url: str, body: dict, headers: dict, repeat: int = 7,
             pause: float = 0.0) -> float:
    """Median milliseconds of `repeat` posts (after one warm-up), `pause` s apart."""
    times, content = [], json.dumps(body).encode()  # encoded once: time the server only
    headers = {**headers, "content-type": "application/json"}
    with httpx.Client(timeout=60) as client:
        for _ in range(repeat + 1):
            time.sleep(pause)
            started = time.perf_counter()
            reply = client.post(url, content=content, headers=headers)
            reply.raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times[1:])[len(times[1:]) // 2]


def batches_of(url: str, body: dict, headers: dict) -> dict:
    """Time batches back to back, and 2 s apart (the server's background work done)."""
    return {"back to back": batch_ms(url, body, headers),
            "2 s apart": batch_ms(url, body, headers, pause=2.0)}


def bench_home(prefix: str) -> tuple[Path, dict]:
    """Return a fresh home and the environment a bench's servers run with (needs wrk)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    home = Path(tempfile.mkdtemp(prefix=prefix))
    return home, {**os.environ, "MEDIC_HOME": str(home), "DO_NOT_TRACK": "true",
                  "MEDIC_RATE_LIMIT_PER_MINUTE": "0", "PATH": f"{BIN}:{os.environ['PATH']}",
                  "MLFLOW_TRACKING_URI": f"sqlite:///{home / 'mlflow.db'}",
                  "PYTHONPATH": str(ROOT)}


def new_key(env: dict, role: str, name: str, *by: str) -> str:
    """Create a key on the bench's home and return it (the first key needs no key)."""
    return subprocess.run([*MEDIC, "keys", "create", "--role", role, "--name", name, *by],
                          env=env, check=True, cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate Medic and the bare compiled-scorer endpoint this often")
    parser.add_argument("--batch-only", action="store_true",
                        help="time the 10,000-row batch against mlflow only (no wrk runs)")
    args = parser.parse_args()
    home, env = bench_home("medic-bench-")
    subprocess.run([*MEDIC, "train"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    admin = new_key(env, "admin", "bench-admin")  # the first key needs no key
    key = new_key(env, "predictor", "bench", "--key", admin)
    viewer = new_key(env, "viewer", "watcher", "--key", admin)
    results, batches, rounds = {}, {}, []
    row = json.dumps(PATIENT)
    rows10k = [PATIENT] * 10_000
    medic_port, mlflow_port, bare_port = free_port(), free_port(), free_port()
    try:
        medic = serve([*MEDIC, "up", "--port", str(medic_port)], env,
                      f"http://127.0.0.1:{medic_port}/health")
        url = f"http://127.0.0.1:{medic_port}"
        # The agent opens after the server listens; measure once it has (chat waits for it).
        httpx.post(url + "/v1/chat", json={"question": "which model is in production?"},
                   headers={"X-API-Key": viewer}, timeout=120).raise_for_status()
        if not args.batch_only:
            app_dir = Path(tempfile.mkdtemp())
            (app_dir / "bare.py").write_text(BARE.format(columns=COLUMNS))
            bare_env = {**env, "PYTHONPATH": f"{app_dir}:{ROOT}"}
            bare = serve([str(BIN / "uvicorn"), "bare:app", "--port", str(bare_port),
                          "--log-level", "warning"], bare_env,
                         f"http://127.0.0.1:{bare_port}/docs")
            # Side by side: both servers up on core 0, loaded in turn, the order alternating
            # so a change in the machine's load weighs on both alike.
            for n in range(args.rounds):
                runs = [("medic", url + "/v1/predict", {"X-API-Key": key}),
                        ("bare", f"http://127.0.0.1:{bare_port}/fast", {})]
                measured = {name: wrk(target, row, headers, args.seconds, args.connections)
                            for name, target, headers in (runs if n % 2 == 0 else runs[::-1])}
                measured["load"] = os.getloadavg()[0]
                rounds.append(measured)
            results["bare FastAPI (sklearn)"] = wrk(f"http://127.0.0.1:{bare_port}/sklearn",
                                                    row, {}, args.seconds, args.connections)
            stop(bare)
        batches["medic"] = batches_of(url + "/v1/predict/batch", {"patients": rows10k},
                                      {"X-API-Key": key})
        stop(medic)
        mlflow = serve([str(BIN / "mlflow"), "models", "serve", "-m",
                        "models:/heart-disease@champion", "--env-manager", "local",
                        "-h", "127.0.0.1", "-p", str(mlflow_port)], env,
                       f"http://127.0.0.1:{mlflow_port}/ping")
        split = {"dataframe_split": {"columns": COLUMNS, "data": [list(PATIENT.values())]}}
        if not args.batch_only:
            results["mlflow models serve"] = wrk(
                f"http://127.0.0.1:{mlflow_port}/invocations", json.dumps(split), {},
                args.seconds, args.connections)
        batches["mlflow"] = batches_of(f"http://127.0.0.1:{mlflow_port}/invocations",
                                     {"dataframe_split": {"columns": COLUMNS, "data": [
                                         list(PATIENT.values())] * 10_000}}, {})
        stop(mlflow)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    report(args, results, batches, rounds)


def report(args, results: dict, batches: dict, rounds: list[dict]) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for how in ("back to back", "2 s apart"):
        medic, mlflow = batches["medic"][how], batches["mlflow"][how]
        print(f"  10,000-row batch, {how} (median of 7): medic {medic:.0f} ms, "
              f"mlflow {mlflow:.0f} ms, medic / mlflow {medic / mlflow:.2f}")
    if args.batch_only:
        print(f"ratio: {batches['medic']['2 s apart'] / batches['mlflow']['2 s apart']:.2f}")
        return
    print(f"{args.connections} connections, {args.seconds} s each, server on core 0, wrk on "
          "core 1")
    for n, measured in enumerate(rounds, 1):
        for name in ("medic", "bare"):
            print(f"  round {n} {_line(ROUND_NAMES[name], measured[name])}")
        print(f"  round {n} medic / bare (fast scorer): "
              f"{measured['medic']['rps'] / measured['bare']['rps']:.2f}   "
              f"load {measured['load']:.1f}")
    for name, r in results.items():
        print(f"  {_line(name, r)}")
    middle = sorted(rounds, key=lambda m: m["medic"]["rps"] / m["bare"]["rps"])[
        len(rounds) // 2]
    medic_rps = middle["medic"]["rps"]
    print(f"  median round: medic / bare (fast scorer) {medic_rps / middle['bare']['rps']:.2f}"
          f", medic p99 {middle['medic']['p99']:.2f} ms; medic / bare (predict_proba) "
          f"{medic_rps / results['bare FastAPI (sklearn)']['rps']:.2f}")
    print(f"ratio: {medic_rps / results['mlflow models serve']['rps']:.2f}")


ROUND_NAMES = {"medic": "medic /v1/predict", "bare": "bare FastAPI (fast)"}


def _line(name: str, r: dict) -> str:
    return (f"{name:<28} {r['rps']:8.0f} req/s   p50 {r['p50']:6.2f} ms   "
            f"p99 {r['p99']:6.2f} ms   non-2xx {r['errors']}")


if __name__ == "__main__":
    main()
