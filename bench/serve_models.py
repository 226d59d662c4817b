"""Serve both shipped models from one `medic up` and load each the same way on loopback.

A fresh home, as `make run` on a fresh clone: `medic up` trains heart-disease first (timed
to `/ready`), then bike-demand in the background with its shipped recipe (timed until
`/v1/models/bike-demand` says serving; its predict route answers 503 meanwhile, checked).
Then wrk loads, one after the other and `--rounds` times (order alternating), a single row
of each model on its own route and heart-disease on `/v1/predict`; last, `mlflow models
serve` of each champion is loaded the same way (its peer). Server on core 0, wrk on core 1.

Usage: .venv/bin/python bench/serve_models.py [--seconds 10] [--connections 8] [--rounds 3]
Prints each run and `ratio:` = Medic's bike-demand requests/s over mlflow's (same model).
"""

import argparse
import json
import os
import shutil
import time

import httpx
from serve import BIN, MEDIC, PATIENT, _line, bench_home, free_port, new_key, serve, stop, wrk

RIDE = {"dteday": "2012-06-14", "season": "summer", "hr": "6am", "holiday": "No",
        "weekday": None, "workingday": "Yes", "weathersit": None, "temp": 24.1, "atemp": 27.0,
        "hum": 70.0, "windspeed": 11.0}  # as the CSV has it: text categories, empty cells null


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    home, env = bench_home("medic-bench-models-")
    admin = new_key(env, "admin", "bench-admin")  # the first key needs no key
    key = {"X-API-Key": new_key(env, "predictor", "bench", "--key", admin)}
    viewer = {"X-API-Key": new_key(env, "viewer", "watcher", "--key", admin)}
    port, mlflow_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    targets = {"medic /v1/predict": (url + "/v1/predict", PATIENT),
               "medic heart-disease": (url + "/v1/models/heart-disease/predict", PATIENT),
               "medic bike-demand": (url + "/v1/models/bike-demand/predict", RIDE)}
    rounds: list[dict] = []
    try:
        started = time.monotonic()
        medic = serve([*MEDIC, "up", "--port", str(port)], env, url + "/ready")
        ready = time.monotonic() - started
        waiting = httpx.post(targets["medic bike-demand"][0], json=RIDE, headers=key)
        while httpx.get(url + "/v1/models/bike-demand", headers=viewer,
                        timeout=30).json()["state"] != "serving":
            time.sleep(1)
        trained = time.monotonic() - started
        for n in range(args.rounds):
            order = list(targets) if n % 2 == 0 else list(targets)[::-1]
            measured = {name: wrk(targets[name][0], json.dumps(targets[name][1]), key,
                                  args.seconds, args.connections) for name in order}
            measured["load"] = os.getloadavg()[0]
            rounds.append(measured)
        stop(medic)
        peers = {}
        for model, row in (("bike-demand", RIDE), ("heart-disease", PATIENT)):
            features = {k: v for k, v in row.items() if k != "dteday"}
            mlflow = serve([str(BIN / "mlflow"), "models", "serve", "-m",
                            f"models:/{model}@champion", "--env-manager", "local",
                            "-h", "127.0.0.1", "-p", str(mlflow_port)], env,
                           f"http://127.0.0.1:{mlflow_port}/ping")
            split = {"dataframe_split": {"columns": list(features),
                                         "data": [list(features.values())]}}
            peers[f"mlflow {model}"] = wrk(f"http://127.0.0.1:{mlflow_port}/invocations",
                                           json.dumps(split), {}, args.seconds,
                                           args.connections)
            stop(mlflow)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"fresh home: /ready after {ready:.1f} s (heart-disease trained first); bike-demand "
          f"served {trained:.1f} s after the start (trained in the background); meanwhile its "
          f"route answered {waiting.status_code} {waiting.json()['detail']!r}")
    print(f"{args.connections} connections, {args.seconds} s each, server on core 0, wrk on "
          "core 1")
    for n, measured in enumerate(rounds, 1):
        for name in targets:
            print(f"  round {n} {_line(name, measured[name])}")
        print(f"  round {n} load {measured['load']:.1f}")
    for name, measured in peers.items():
        print(f"  {_line(name, measured)}")
    middle = sorted(rounds, key=lambda m: m["medic bike-demand"]["rps"])[len(rounds) // 2]
    bike, heart = middle["medic bike-demand"], middle["medic heart-disease"]
    print(f"  median round: bike-demand p50 {bike['p50']:.2f} ms p99 {bike['p99']:.2f} ms; "
          f"heart-disease p50 {heart['p50']:.2f} ms p99 {heart['p99']:.2f} ms; heart-disease "
          f"/ mlflow {heart['rps'] / peers['mlflow heart-disease']['rps']:.2f}")
    print(f"ratio: {bike['rps'] / peers['mlflow bike-demand']['rps']:.2f}")


if __name__ == "__main__":
    main()
