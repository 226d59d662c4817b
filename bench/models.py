"""Twenty registered models in one `medic up`: the monitor pass for all, and prediction p99.

A fresh home gets heart-disease and bike-demand trained (bike-demand with a light recipe:
two forests' worth of time, not the shipped search), then 18 copies of their specs under a
temporary models folder (`heart-disease-02` ... `bike-demand-10`), each registered in
MLflow with its original's champion artifact and promoted: 20 models, each served on its
own route. Two servers are loaded on loopback by one client, each request a single row,
sequentially, `--rounds` times in alternating order (the machine is shared: a round each
way, and the median of the rounds' p99s). Each server is loaded once every model is served
and `--settle` seconds more have passed, so the first scheduled monitor pass (each
champion's reference built, in the checks' child) is behind both alike:

- **one model**: a server whose models folder holds heart-disease alone; `--requests`
  predictions on `/v1/models/heart-disease/predict`;
- **20 models**: the server of all 20; heart-disease gets the same `--requests`, each
  followed by one request to another model, round robin over the other 19 (every model
  gets traffic).

Then the monitors check every model three times in one process, as the scheduled pass's
long-lived child does (with serving counts for each, so every monitor runs): the first
pass builds each champion's reference, the second writes the report of each monitor that
fires (drift fires on its second breach), the third is the steady state. Each pass's
time is set against the 60 s monitor interval.

Usage: .venv/bin/python bench/models.py [--requests 2000] [--rounds 2] [--settle 45]
Prints each figure and `ratio:` = heart-disease's p99 among 20 models over its p99 alone.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml
from serve import MEDIC, PATIENT, ROOT, bench_home, free_port, new_key, serve, stop
from serve_models import RIDE

SPECS = ROOT / "configs" / "models"
LIGHT = {"cv_folds": 2, "models": {"random_forest": {"n_estimators": 30, "max_depth": 10}}}
INTERVAL = 60  # seconds: MEDIC_MONITOR_INTERVAL_SECONDS' default


def specs_folder(home: Path, copies: int) -> tuple[Path, Path, list[str]]:
    """Write the shipped specs and `copies` renamed copies of each; return both folders."""
    every, alone = home / "models-20", home / "models-1"
    every.mkdir()
    alone.mkdir()
    shutil.copy(SPECS / "heart-disease.yaml", alone)
    names = []
    for original in ("heart-disease", "bike-demand"):
        spec = yaml.safe_load((SPECS / f"{original}.yaml").read_text())
        for n in range(1, copies + 2):
            name = original if n == 1 else f"{original}-{n:02d}"
            (every / f"{name}.yaml").write_text(yaml.safe_dump({**spec, "name": name}))
            names.append(name)
    return every, alone, names


def train_and_register(home: Path, every: Path, names: list[str]) -> None:
    """Train the two originals, then register each copy with its original's champion."""
    from core.settings import Settings
    from ml import spec as specs
    from ml.registry.aliases import open_registry
    from ml.training import train

    light = home / "light.yaml"
    light.write_text(yaml.safe_dump(LIGHT))
    base = {"home": home, "_env_file": None, "models_dir": every,
            "train_in_background": False, "ingest_process": False}
    heart = Settings(**base)
    train.run(heart, open_registry(heart))
    bike = Settings(**base, default_model="bike-demand", model_name="bike-demand",
                    experiment="bike-demand", training_config=light)
    train.run(bike, open_registry(bike))
    registry = open_registry(heart)
    for name in names:
        original = name.rsplit("-", 1)[0] if name[-2:].isdigit() else None
        if original is None:
            continue
        source = registry.named(specs.registry_name(heart, specs.of(heart, original)))
        version = source.champion_artifact()
        copy = registry.named(specs.registry_name(heart, specs.of(heart, name)))
        made = copy.register(source.source(version.version),
                             model_type=source.recorded_version(version.version).model_type
                             or "model")
        copy.promote(made, expected=None, actor="bench", reason="a copy for bench/models.py")


def all_served(url: str, viewer: dict, names: list[str], seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        listed = httpx.get(url + "/v1/models", headers=viewer, timeout=60).json()["models"]
        if sum(m["state"] == "serving" for m in listed if m["name"] in names) == len(names):
            return
        time.sleep(1)
    raise SystemExit(f"not all served: {[(m['name'], m['state']) for m in listed]}")


def load(url: str, key: dict, plan: list[str]) -> dict[str, list[float]]:
    """Post a single row to each model `plan` names, in order; return milliseconds per model."""
    names = list(dict.fromkeys(plan))
    taken: dict[str, list[float]] = {name: [] for name in names}
    bodies = {n: json.dumps(PATIENT if n.startswith("heart") else RIDE).encode() for n in names}
    headers = {**key, "content-type": "application/json"}
    with httpx.Client(timeout=60) as client:
        for name in names:  # one warm-up each
            client.post(f"{url}/v1/models/{name}/predict", content=bodies[name], headers=headers)
        for name in plan:
            started = time.perf_counter()
            answer = client.post(f"{url}/v1/models/{name}/predict", content=bodies[name],
                                 headers=headers)
            taken[name].append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise SystemExit(f"{name}: {answer.status_code} {answer.text[:300]}")
    return taken


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


PASSES = """
import time
from ml.monitoring.health import ServingCounts
from core.settings import Settings
from services.context import open_medic
from services.monitors import run

def counts(minutes, model):  # the API's counts of each model: 100 requests, none failed
    return ServingCounts(requests=100, errors=0, load_failures=0)

with open_medic(Settings()) as medic:
    for _ in range(3):
        started = time.monotonic()
        results = run.run_checks(medic, serving=counts)
        print(time.monotonic() - started, len(results), len({r.model for r in results}))
"""


def monitor_passes(env: dict) -> list[tuple[float, int, int]]:
    """Check every model three times in one process: seconds, results and models of each."""
    ran = subprocess.run([sys.executable, "-c", PASSES], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=1800)
    if ran.returncode != 0:
        raise SystemExit(ran.stdout[-2000:] + ran.stderr[-2000:])
    lines = [line.split() for line in ran.stdout.splitlines()[-3:]]
    return [(float(s), int(r), int(m)) for s, r, m in lines]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--settle", type=float, default=45,
                        help="seconds to wait after every model is served, before loading")
    parser.add_argument("--copies", type=int, default=9, help="copies of each shipped spec")
    args = parser.parse_args()
    home, env = bench_home("medic-bench-20models-")
    env = {**env, "MEDIC_TRAIN_IN_BACKGROUND": "false"}
    every, alone, names = specs_folder(home, args.copies)
    os.environ.update({"MEDIC_HOME": str(home), "DO_NOT_TRACK": "true"})
    started = time.monotonic()
    train_and_register(home, every, names)
    print(f"{len(names)} models: trained 2, registered {len(names) - 2} copies "
          f"in {time.monotonic() - started:.0f} s")
    admin = new_key(env, "admin", "bench-admin")
    key = {"X-API-Key": new_key(env, "predictor", "bench", "--key", admin)}
    viewer = {"X-API-Key": new_key(env, "viewer", "watcher", "--key", admin)}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    one_env, all_env = {**env, "MEDIC_MODELS_DIR": str(alone)}, \
        {**env, "MEDIC_MODELS_DIR": str(every)}
    others = [n for n in names if n != "heart-disease"]
    plans = {"one model": (one_env, ["heart-disease"] * args.requests),
             "20 models": (all_env, [name for i in range(args.requests)
                                     for name in ("heart-disease", others[i % len(others)])])}
    measured: dict[str, list[dict]] = {kind: [] for kind in plans}
    for n in range(args.rounds):
        for kind in (list(plans) if n % 2 == 0 else list(plans)[::-1]):
            environment, plan = plans[kind]
            server = serve([*MEDIC, "up", "--port", str(port)], environment, url + "/ready")
            try:
                all_served(url, viewer, list(dict.fromkeys(plan)))
                time.sleep(args.settle)
                taken = load(url, key, plan)
                time.sleep(1)  # the prediction log's last batch written
            finally:
                stop(server)
            heart = taken.pop("heart-disease")
            rest = [ms for values in taken.values() for ms in values]
            found = {"p50": statistics.median(heart), "p99": p99(heart),
                     "others p99": p99(rest) if rest else None,
                     "load": os.getloadavg()[0]}
            measured[kind].append(found)
            print(f"round {n + 1}, {kind}: heart-disease p50 {found['p50']:.2f} ms, p99 "
                  f"{found['p99']:.2f} ms ({len(heart)} requests)"
                  + (f"; the other 19 models' p99 {found['others p99']:.2f} ms "
                     f"({len(rest)} requests)" if rest else "")
                  + f"; load average {found['load']:.1f} on {os.cpu_count()} cores")
    passes = monitor_passes(all_env)
    for n, (seconds, results, models) in enumerate(passes, start=1):
        print(f"monitor pass {n}: {seconds:.1f} s for {models} models ({results} results); "
              f"interval {INTERVAL} s")
    alone = statistics.median(r["p99"] for r in measured["one model"])
    among = statistics.median(r["p99"] for r in measured["20 models"])
    print(f"heart-disease p99, median of {args.rounds} rounds: alone {alone:.2f} ms, "
          f"among 20 models {among:.2f} ms")
    print(f"ratio: {among / alone:.2f}")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
