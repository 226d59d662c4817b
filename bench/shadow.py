"""Does shadowing a model slow its champion's answers? p99 with and without, side by side.

A fresh home trains heart-disease twice (version 2 champion, version 1 to shadow) and is
copied: two `medic up` servers at once, both on core 0, the same model on the same code,
each its own database. On one, version 1 is put in shadow (every answer also queued, scored
in batches by the challenger in a background thread and written to `shadow_predictions`);
the other has no rollout. `--clients` load processes on core 1 post single rows to
`/v1/predict`, one after another each, switching server every `--slot` seconds
(`bench/interleave.py`), so the machine's other work falls on both alike. The slot is 1 s,
not a fraction: the shadow scores what was queued every 0.25 s, and its work on a slot's
last rows falls in the peer's slot, on the same core; longer slots leave less of the
shadow's cost to the peer. The issue's bar: shadowing raises the champion's p99 by at most
10 %.

First, without HTTP, the request path alone: `services.predictions.predict` called in one
thread, in alternating blocks without and with the shadow (its background thread scoring
and writing meanwhile), each call timed.

Usage: .venv/bin/python bench/shadow.py [--rounds 20] [--slots 8] [--slot 1.0]
                                        [--clients 4] [--blocks 12] [--settle 30]
Prints every round, the median of the rounds' p99s, the pooled p99 of all rounds, the rows
the shadow scored, and `ratio:` = pooled shadowed p99 over pooled unshadowed p99.
"""

import argparse
import json
import os
import shutil
import subprocess
import time

import httpx
import interleave
from serve import MEDIC, PATIENT, ROOT, bench_home, free_port, new_key, serve, stop, wrk

MODEL = "heart-disease"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--slots", type=int, default=8, help="slots of each round, half a side")
    parser.add_argument("--slot", type=float, default=1.0, help="seconds of one slot")
    parser.add_argument("--clients", type=int, default=4, help="load processes (connections)")
    parser.add_argument("--blocks", type=int, default=12,
                        help="blocks of the in-process request-path timing")
    parser.add_argument("--settle", type=float, default=30,
                        help="seconds to wait once both answer (start-up's agent, heap freeze "
                             "and first monitor pass behind both), before loading")
    args = parser.parse_args()
    home, env = bench_home("medic-bench-shadow-")
    env["MEDIC_TRAIN_IN_BACKGROUND"] = "false"  # bike-demand stays untrained: one model's load
    for _ in range(2):  # version 1, then version 2 (champion through the gate)
        subprocess.run([*MEDIC, "train"], env=env, cwd=ROOT, check=True, capture_output=True)
    in_process = request_path(home, args.blocks)
    admin = new_key(env, "admin", "bench-admin")
    predictor = {"X-API-Key": new_key(env, "predictor", "bench", "--key", admin)}
    approver = {"X-API-Key": new_key(env, "approver", "bench-approver", "--key", admin)}
    copy = home.with_name(home.name + "-peer")  # the unshadowed peer's own database
    shutil.copytree(home, copy)
    tracking = f"sqlite:///{copy / 'mlflow.db'}"
    envs = {"shadowed": env,
            "unshadowed": {**env, "MEDIC_HOME": str(copy), "MLFLOW_TRACKING_URI": tracking}}
    urls = {state: f"http://127.0.0.1:{free_port()}" for state in envs}
    rollout = f"{urls['shadowed']}/v1/models/{MODEL}/rollout"
    running = []
    try:
        for state, environment in envs.items():
            port = urls[state].rsplit(":", 1)[1]
            running.append(serve([*MEDIC, "up", "--port", port], environment,
                                 urls[state] + "/ready"))
        answer = httpx.post(rollout, json={"action": "shadow", "version": "1"},
                            headers=approver, timeout=60)
        if answer.status_code != 200:
            raise SystemExit(f"shadow: {answer.status_code} {answer.text}")
        time.sleep(args.settle)
        body = json.dumps(PATIENT).encode()
        for url in urls.values():  # warm: the shadow's challenger loaded, caches filled
            wrk(url + "/v1/predict", body.decode(), predictor, 3, args.clients)
        time.sleep(1.5)
        before = _scored(rollout, approver)
        found, loads = interleave.run(
            tuple(interleave.Side(state, [(MODEL, urls[state] + "/v1/predict", body)])
                  for state in ("shadowed", "unshadowed")),
            headers=predictor, rounds=args.rounds, slots=args.slots, slot=args.slot,
            clients=args.clients)
        time.sleep(2)  # the last queued rows scored and written
        scored = _scored(rollout, approver) - before
    finally:
        for server in running:
            stop(server)
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(copy, ignore_errors=True)
    for line in in_process:
        print(line)
    sent = sum(len(r[MODEL]) for r in found["shadowed"])
    print(f"{args.clients} load processes (core 1) posting single rows to /v1/predict, one "
          f"after another, switching server (both on core 0) every {args.slot} s; "
          f"{args.rounds} rounds of {args.slots} slots; {os.cpu_count()} cores. The shadow "
          f"scored {scored} rows of the {sent} the shadowed server answered:")
    lines, pooled, _median = interleave.report(found, "shadowed", "unshadowed", MODEL, loads)
    print("\n".join(lines))
    print(f"ratio: {pooled:.3f}")


def _scored(rollout: str, approver: dict) -> int:
    """Return the rows the shadowed server's shadow scored so far."""
    return httpx.get(rollout, headers=approver, timeout=120).json()["serving"]["shadow_scored"]


def request_path(home, rounds: int, calls: int = 5000) -> list[str]:
    """Time `predict` per call in one process, blocks alternating without and with the shadow."""
    import sys

    sys.path.insert(0, str(ROOT))
    from api.schemas import Patient
    from core.rollouts import RolloutCache
    from core.settings import Settings
    from ml.registry.aliases import open_registry
    from ml.serving.fleet import Fleet
    from ml.serving.prediction_log import PredictionLog
    from ml.serving.shadow import Shadow
    from services import predictions, rollouts
    from services.context import Medic

    settings = Settings(home=home, _env_file=None)
    registry = open_registry(settings)
    medic = Medic(settings=settings, sessions=registry.sessions, _registry=registry)
    fleet = Fleet(settings, registry, on_load_failure=lambda _n: None,
                  on_reload=lambda _n, _v: None)
    fleet.load()
    served = fleet.get(MODEL)
    log = PredictionLog(registry.sessions, capacity=10_000_000)
    shadow = Shadow(registry.sessions, RolloutCache(registry.sessions), fleet=fleet,
                    abort=lambda *_: None)
    rollouts.start(medic, MODEL, "1", actor="bench", reason="bench: request path")
    log.start()
    shadow.start()
    row = Patient.model_validate(PATIENT)
    times: dict[str, list[float]] = {"unshadowed": [], "shadowed": []}
    cpu_before = time.process_time()
    for n in range(rounds * 2):
        state = ("unshadowed", "shadowed")[(n + n // 2) % 2]  # ABBA: neither always first
        for _ in range(calls):
            began = time.perf_counter()
            predictions.predict(served, log=log, counted=lambda *_: None, row=row,
                                started=began, shadow=shadow if state == "shadowed" else None)
            times[state].append((time.perf_counter() - began) * 1e6)
    shadow.drain()
    log.close()
    shadow.close()
    counts = shadow.counts(MODEL)
    lines = [f"request path in one process ({rounds} blocks of {calls} calls each, "
             f"alternating; the shadow scored and wrote {counts['shadow_scored']} rows "
             f"meanwhile, dropped {counts['dropped']} past its queue's bound; "
             f"{time.process_time() - cpu_before:.1f} s CPU in all):"]
    for state, found in times.items():
        ordered = sorted(found)
        lines.append(f"  {state:<11} p50 {ordered[len(ordered) // 2]:6.1f} us   p99 "
                     f"{ordered[int(len(ordered) * 0.99)]:6.1f} us")
    p99 = {state: sorted(found)[int(len(found) * 0.99)] for state, found in times.items()}
    lines.append(f"  request path p99 ratio (shadowed / unshadowed): "
                 f"{p99['shadowed'] / p99['unshadowed']:.3f}")
    return lines


if __name__ == "__main__":
    main()
