"""Does shadowing a model slow its champion's answers? p99 with and without, one server.

A fresh home trains heart-disease twice (version 2 champion, version 1 to shadow), then one
`medic up` (core 0) is loaded by wrk (core 1) on `/v1/predict`, single rows, in rounds that
alternate: unshadowed (no rollout), then shadowed (version 1 in shadow: every answer also
queued, scored in batches by the challenger and written to `shadow_predictions`), the
order flipping each round. The same process, database and model serve both, so the only
difference is the shadow. The issue's bar: shadowing raises the champion's p99 by at most
10 %.

On a shared machine the tail moves with whatever else runs, by more than the shadow could
move it: many short rounds, each an adjacent pair, and the medians over them are the figure.
First, without HTTP or wrk, the request path alone: `services.predictions.predict` called
in one thread, in alternating blocks without and with the shadow (its background thread
scoring and writing meanwhile), each call timed: the shadow's own cost, far less exposed to
the machine's other work.

Usage: .venv/bin/python bench/shadow.py [--seconds 5] [--connections 8] [--rounds 12]
Prints each run, the rows the shadow scored, the median of the rounds' own p99 ratios, and
`ratio:` = median shadowed p99 over median unshadowed p99.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import time

import httpx
from serve import MEDIC, PATIENT, ROOT, _line, bench_home, free_port, new_key, serve, stop, wrk

MODEL = "heart-disease"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    home, env = bench_home("medic-bench-shadow-")
    env["MEDIC_TRAIN_IN_BACKGROUND"] = "false"  # bike-demand stays untrained: one model's load
    for _ in range(2):  # version 1, then version 2 (champion through the gate)
        subprocess.run([*MEDIC, "train"], env=env, cwd=ROOT, check=True, capture_output=True)
    in_process = request_path(home, args.rounds)
    admin = new_key(env, "admin", "bench-admin")
    predictor = {"X-API-Key": new_key(env, "predictor", "bench", "--key", admin)}
    approver = {"X-API-Key": new_key(env, "approver", "bench-approver", "--key", admin)}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    rollout = f"{url}/v1/models/{MODEL}/rollout"
    runs: dict[str, list[dict]] = {"unshadowed": [], "shadowed": []}
    try:
        medic = serve([*MEDIC, "up", "--port", str(port)], env, url + "/ready")
        wrk(url + "/v1/predict", json.dumps(PATIENT), predictor, 3, args.connections)  # warm
        for n in range(args.rounds):
            order = ["unshadowed", "shadowed"] if n % 2 == 0 else ["shadowed", "unshadowed"]
            for state in order:
                body = {"action": "shadow", "version": "1"} if state == "shadowed" else \
                    {"action": "abort", "reason": "bench: unshadowed run"}
                answer = httpx.post(rollout, json=body, headers=approver, timeout=60)
                if answer.status_code not in (200, 404):  # 404: nothing to abort yet
                    raise SystemExit(f"{state}: {answer.status_code} {answer.text}")
                time.sleep(1.5)  # the server's rollout cache (1 s) has seen it
                measured = wrk(url + "/v1/predict", json.dumps(PATIENT), predictor,
                               args.seconds, args.connections)
                measured["load"] = os.getloadavg()[0]
                runs[state].append(measured)
                if state == "shadowed":
                    time.sleep(1)  # the last queued rows scored and written
                    view = httpx.get(rollout, headers=approver, timeout=120).json()
                    measured["scored"] = view["serving"]["shadow_scored"]
        stop(medic)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    for line in in_process:
        print(line)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.connections}"
          f" connections, {args.seconds} s each, server on core 0, wrk on core 1")
    for n in range(args.rounds):
        for state in ("unshadowed", "shadowed"):
            measured = runs[state][n]
            extra = f"   shadow rows scored {measured['scored']}" if state == "shadowed" else ""
            print(f"  round {n + 1} {_line(state, measured)}   load {measured['load']:.1f}"
                  + extra)
    plain = statistics.median(r["p99"] for r in runs["unshadowed"])
    shadowed = statistics.median(r["p99"] for r in runs["shadowed"])
    print(f"  median p99: unshadowed {plain:.2f} ms, shadowed {shadowed:.2f} ms; median req/s "
          f"unshadowed {statistics.median(r['rps'] for r in runs['unshadowed']):.0f}, "
          f"shadowed {statistics.median(r['rps'] for r in runs['shadowed']):.0f}")
    rounds = statistics.median(s["p99"] / u["p99"] for s, u in
                               zip(runs["shadowed"], runs["unshadowed"], strict=True))
    print(f"  median of the rounds' own p99 ratios (shadowed / unshadowed): {rounds:.3f}")
    print(f"ratio: {shadowed / plain:.3f}")


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
