"""Time what a person waits for: CLI commands, status answers and reports, each beside a peer.

Set-up (not timed): a home trained once, 10,000 audit entries, 1,000 incidents and one real
incident (a drift alert handled by the agent) to report on; then `medic up` on that home for
the commands that may ask it. Each command is run --runs times as a new process, as a person
runs it; the figure is the median wall time.

Peers, from the same run: `python -c pass` (the interpreter alone: the issue's bar for a
read-only command is 3x that plus the command's own work), `POST /v1/chat` over HTTP (what
`medic ask` waits for when the server answers it), the reports' targets (3 s for an
incident PDF, 5 s for a 7-day health report), and `models list` / `ask` on a home whose
record of the registry is missing (deleted before each run, untimed): they open MLflow, as
every run did before the record was kept.

Usage: .venv/bin/python bench/people.py [--runs 5] [--home DIR]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUESTION = "which model is in production?"


def timed(command: list[str], env: dict, runs: int, before=None) -> float:
    """Return the median wall time of `command` run `runs` times; fail if it fails.

    `before` is called (untimed) before each run.
    """
    taken = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        taken.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    return statistics.median(taken)


def prepare(home: Path, env: dict) -> tuple[str, int]:
    """Train, seed the audit log and incidents, handle one drift alert; return a key, an id."""
    from sqlalchemy import func, select

    from core import audit, keys
    from core.audit_seal import Seal
    from core.db import connect
    from core.settings import Settings
    from core.tables import AuditEntry
    from tests.ui.test_console_volume import seed_incidents

    medic = [sys.executable, "-m", "cli"]
    subprocess.run([*medic, "train"], cwd=ROOT, env=env, check=True, capture_output=True)
    settings = Settings(home=home, _env_file=None)
    alert = home.parent / "alert.json"
    alert.write_text(json.dumps({"name": "FeatureDrift", "type": "drift",
                                 "labels": {"severity": "critical"}}))
    sent = subprocess.run([*medic, "alert", "send", str(alert), "--json"], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True)
    incident = json.loads(sent.stdout)[0]["incident_id"]
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    with sessions.begin() as session:
        key = keys.create(session, name=f"bench-{time.time_ns()}", role="admin", actor="bench")
    entries = 0
    while entries < 10_000:
        with sessions.begin() as session:
            for number in range(1000):
                audit.record(session, event="bench_entry", actor="bench", step=number)
        with sessions() as session:
            entries = session.scalar(select(func.count()).select_from(AuditEntry))
    seed_incidents(settings.database_url, 1000)
    return key, incident


def forgetting(home: Path):
    """Return a call that deletes the record of the registry (a home from before it)."""
    from sqlalchemy import delete

    from core.db import connect
    from core.settings import Settings
    from core.tables import ModelFacts

    sessions = connect(Settings(home=home, _env_file=None).database_url)

    def forget() -> None:
        with sessions.begin() as session:
            session.execute(delete(ModelFacts))
    return forget


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", type=Path, default=None)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="medic-people-"))
    home = options.home or folder / "medic"
    env = {**os.environ, "MEDIC_HOME": str(home), "DO_NOT_TRACK": "true",
           "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    env.pop("MEDIC_API_KEY", None)
    medic, runs = [sys.executable, "-m", "cli"], options.runs
    key, incident = prepare(home, env)
    figures: dict[str, float] = {}
    figures["python -c pass (peer)"] = timed([sys.executable, "-c", "pass"], env, runs)
    for label, args in (("medic --help", ["--help"]),
                        ("medic incidents list", ["incidents", "list"]),
                        ("medic approvals list", ["approvals", "list"]),
                        ("medic audit verify (10,000 entries)", ["audit", "verify"]),
                        ("medic models list, no server", ["models", "list"]),
                        ("medic ask, no server, no LLM", ["ask", QUESTION])):
        figures[label] = timed([*medic, *args], env, runs)
    forget = forgetting(home)
    figures["  peer: models list, no record (MLflow)"] = timed([*medic, "models", "list"], env,
                                                              runs, before=forget)
    figures["  peer: ask, no record (MLflow)"] = timed([*medic, "ask", QUESTION], env, runs,
                                                       before=forget)
    for label, args, target in (
            ("medic report incident", ["report", "incident", str(incident)], 3.0),
            ("medic report health --since 7d", ["report", "health", "--since", "7d"], 5.0)):
        figures[label] = timed([*medic, *args, "--out", str(folder / "r.pdf")], env, runs)
        figures[f"  target for {label.split()[2]}"] = target

    from tests.processes import free_port, wait_ready

    port = free_port()
    server = subprocess.Popen([*medic, "up", "--no-worker", "--port", str(port)], cwd=ROOT,
                              env={**env, "MEDIC_UI": "false"}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, server, timeout=200)
        with_key = {**env, "MEDIC_API_KEY": key}
        figures["medic models list, server running"] = timed([*medic, "models", "list"],
                                                             with_key, runs)
        figures["medic ask, server running"] = timed([*medic, "ask", QUESTION], with_key, runs)
        asked = []
        with httpx.Client(headers={"X-API-Key": key}, timeout=30) as client:
            for _ in range(runs):
                started = time.perf_counter()
                client.post(url + "/v1/chat", json={"question": QUESTION}).raise_for_status()
                asked.append(time.perf_counter() - started)
        figures["POST /v1/chat (peer of medic ask)"] = statistics.median(asked)
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)

    floor = figures["python -c pass (peer)"]
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"median of {runs} runs each")
    for label, seconds in figures.items():
        print(f"  {label:<42} {seconds:7.3f} s   x{seconds / floor:6.1f} python -c pass")
    chat = figures["POST /v1/chat (peer of medic ask)"]
    listed = figures["  peer: models list, no record (MLflow)"] / figures[
        "medic models list, no server"]
    asked_alone = figures["  peer: ask, no record (MLflow)"] / figures[
        "medic ask, no server, no LLM"]
    print(f"ratio: models list alone, MLflow / record {listed:.1f}"
          f"; ask alone, MLflow / record {asked_alone:.1f}"
          f"; ask with the server / POST /v1/chat "
          f"{figures['medic ask, server running'] / chat:.1f}"
          f"; incidents list / python -c pass "
          f"{figures['medic incidents list'] / floor:.1f}; incident report / 3 s target "
          f"{figures['medic report incident'] / 3.0:.2f}")


if __name__ == "__main__":
    main()
