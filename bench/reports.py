"""Time reports: the warm renderer against the previous cold child; the CLI, served or alone.

In one process, from the same HTML (an incident with 13 drift bars and 40 audit entries):
the previous path (peer) started a child per report, which imported WeasyPrint, loaded its
fonts and rendered under its caps; the warm renderer starts one child on first use and
reuses it, under the same caps. WeasyPrint called in this process (no isolation, no caps)
is printed as the floor.

Then `medic report incident ID` and `medic report health --since 7d` as a person runs them
(a new process each), alone on the home, and with `medic up` serving it and a key given
(the server's warm renderer does the work). The home is `--home` (trained, e.g. `.medic`
after `make run`), or a new one (`medic up` trains it first) given one incident from a
drift alert and a day of traffic; the report is of `--incident`, else of the newest
incident (its cached PDF, kept once it is closed, is removed before each run, so every run
renders).

Usage: .venv/bin/python bench/reports.py [--runs 5] [--home DIR] [--incident ID] [--no-cli]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD_CHILD = """
import resource, sys
limit = int(sys.argv[1]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import weasyprint
from weasyprint.urls import URLFetcher
html = sys.stdin.buffer.read().decode("utf-8")
fetcher = URLFetcher(allowed_protocols=["data"], timeout=5)
sys.stdout.buffer.write(weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())
"""  # the child each report started before the warm renderer (pdf.py until then)


def context():
    from services.views import IncidentReport

    entries = [{"id": n, "at": f"2026-11-26T10:{n:02d}:00", "incident_id": 7, "actor": "medic",
                "event": "step", "data": {}, "hash": f"{n:064x}"} for n in range(1, 41)]
    features = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang",
                "oldpeak", "slope", "ca", "thal"]
    return IncidentReport.model_validate({
        "generated_at": "2026-11-26 10:45:00",
        "incident": {"id": 7, "title": "FeatureDrift", "state": "resolved", "type": "drift",
                     "first_seen": "2026-11-26T10:00:00", "last_seen": "2026-11-26T10:00:00",
                     "alerts": 1, "fingerprint": "f" * 32, "outcome": "fixed: retrain helped",
                     "severity_score": 0.8, "severity_level": "high", "decided_by": "rules",
                     "verdict": "approval", "alert": {}, "timeline": entries,
                     "diagnosis": [{"tool": "drift_report", "status": "success",
                                    "message": "10 of 13 features drifted"}],
                     "plan": [{"tool": "retrain", "args": {"reason": "drift"}, "risk": "risky",
                               "execution": "success"}],
                     "approvals": [{"id": 3, "incident_id": 7, "context": {},
                                    "status": "approved", "decided_by": "alice",
                                    "decided_at": "2026-11-26T10:05:00", "comment": "go",
                                    "requested_at": "2026-11-26T10:01:00",
                                    "expires_at": "2026-11-26T11:01:00", "digest": "d" * 64,
                                    "actions": [{"tool": "retrain", "args": {}, "risk": "risky"}]}],
                     "actions": [{"tool": "retrain", "args": {}, "status": "success",
                                  "result": {"message": "version 3: champion"},
                                  "effective": True, "started_at": "2026-11-26T10:05:01"}]},
        "alert": {"name": "FeatureDrift", "type": "drift", "source": "medic",
                  "status": "firing", "values": {}, "labels": {}, "annotations": {},
                  "evidence": {}},
        "decision": {"decided_by": "rules", "severity_score": 0.8, "severity_level": "high",
                     "note": "", "verdict": "approval", "gate_reasons": ["risky"],
                     "checks": ["retrain: helped"], "reasons": ["drift share 0.77"]},
        "measurements": {"drift": {"features": [{"feature": f, "p_value": 10 ** -(i % 9),
                                                 "drifted": i % 9 > 1}
                                                for i, f in enumerate(features)],
                                   "share": 0.77, "current_rows": 200, "reference_rows": 303},
                         "performance": None},
        "audit": {"entries": entries, "first": entries[0], "last": entries[-1]},
    })


def timed(work, runs: int) -> list[float]:
    taken = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        taken.append(time.perf_counter() - started)
    return taken


def line(name: str, taken: list[float]) -> str:
    return (f"{name}: median {statistics.median(taken):.3f} s "
            f"(runs {', '.join(f'{t:.2f}' for t in taken)})")


def renderers(runs: int) -> None:
    """Print the split of one report's work and the cold child against the warm one."""
    from services.reports import render
    from services.reports.pdf import MEMORY_MB, to_pdf

    report = context()
    charts = timed(lambda: render.incident_charts(report), runs)
    first_html = timed(lambda: render.incident_html(report), 1)
    html = render.incident_html(report)
    jinja = timed(lambda: render.incident_html(report), runs)

    def cold() -> None:
        done = subprocess.run([sys.executable, "-c", COLD_CHILD, str(MEMORY_MB)],
                              input=html.encode(), capture_output=True, check=True)
        assert done.stdout.startswith(b"%PDF")

    peer = timed(cold, runs)
    first = timed(lambda: to_pdf(html), 1)
    warm = timed(lambda: to_pdf(html), runs)
    import weasyprint

    weasyprint.HTML(string="<p>warm</p>").write_pdf()
    floor = timed(lambda: weasyprint.HTML(string=html).write_pdf(), runs)
    print(line("charts (inline SVG)", charts))
    print(f"Jinja: first {first_html[0]:.3f} s (templates compiled), then "
          f"{line('cached', jinja)}")
    print(line("previous path, a cold child per report (peer)", peer))
    print(f"warm renderer, first report (child started): {first[0]:.3f} s")
    print(line("warm renderer, next reports", warm))
    print(line("WeasyPrint in this process (floor: no isolation, no caps)", floor))
    print(f"ratio: {statistics.median(peer) / statistics.median(warm):.2f}")


def cli(options) -> None:
    """Print the report commands' wall time, alone and with `medic up` serving the home."""
    from core import keys
    from core.audit_seal import Seal
    from core.db import connect
    from core.settings import Settings
    from tests.processes import free_port, start_medic, stop

    home = options.home or Path(tempfile.mkdtemp()) / "medic"
    env = {**os.environ, "MEDIC_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("MEDIC_API_KEY", None)
    out, key = Path(tempfile.mkdtemp()), None
    commands = {"incident": ["report", "incident", "ID"],
                "health": ["report", "health", "--since", "7d"]}

    def run(name: str, *extra: str) -> None:
        for kept in (home / "cache" / "reports").glob("incident-*.pdf"):
            kept.unlink()  # a closed incident's report is kept: render it every run
        command = [str(incident) if part == "ID" else part for part in commands[name]]
        subprocess.run([sys.executable, "-m", "cli", *command, "--out", str(out / "r.pdf"),
                        *extra], cwd=ROOT, env=env, check=True, capture_output=True)

    up = lambda: start_medic(home, args=("--no-worker",), port=free_port(),  # noqa: E731
                             timeout=600, log=out / "up.log")
    if options.home is None:
        stop(up()[0])  # trains the new home first
    settings = Settings(home=home, _env_file=None)
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    incident = options.incident or an_incident(sessions, settings.database_url)
    with sessions.begin() as session:
        key = keys.create(session, name=f"bench-{time.time_ns()}", role="viewer",
                          actor="bench")
    alone = {name: timed(lambda n=name: run(n), options.runs) for name in commands}
    process, _url = up()
    try:
        time.sleep(20)  # let the server's start-up work (console, monitors) settle
        first = {name: timed(lambda n=name: run(n, "--key", key), 1)[0] for name in commands}
        served = {name: timed(lambda n=name: run(n, "--key", key), options.runs)
                  for name in commands}
    finally:
        stop(process)
    for name in commands:
        print(line(f"medic report {name} alone (renders in its own child)", alone[name]))
        print(f"medic report {name} with medic up and a key, the server's first: "
              f"{first[name]:.3f} s (its renderer child started)")
        print(line(f"medic report {name} with medic up and a key, then", served[name]))
    ratios = {name: statistics.median(alone[name]) / statistics.median(served[name])
              for name in commands}
    print(f"ratio: {ratios['incident']:.2f} (incident, alone/served), "
          f"{ratios['health']:.2f} (health)")


def an_incident(sessions, database_url: str) -> int:
    """Return the newest incident, storing a drift alert and a day of traffic if there is none."""
    from sqlalchemy import func, select

    from core.alerts import Alert
    from core.ingest import ingest
    from core.tables import Incident
    from tests.ui.test_console_volume import seed_day

    with sessions() as session:
        found = session.scalar(select(func.max(Incident.id)))
    if found is None:
        [stored] = ingest(sessions, Alert.model_validate({"name": "FeatureDrift",
                                                          "type": "drift"}))
        seed_day(database_url, predictions=5_000)
        found = stored.incident_id
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--incident", type=int, default=None)
    parser.add_argument("--no-cli", action="store_true", help="Time the renderers only.")
    options = parser.parse_args()
    renderers(options.runs)
    if not options.no_cli:
        cli(options)


if __name__ == "__main__":
    main()
