"""Time, in-process, each service function a console page calls, on an existing home.

Seed a home first with `bench/console.py --home DIR` (10,000 incidents, 1,000,000
predictions), then: .venv/bin/python bench/console_services.py --home DIR [--runs 5]
[--model NAME] (the Performance page's model; default: the default model's; a regressor's
reads its error sums) [--only Performance] (the pages whose name starts so).
MEDIC_DATABASE_URL names the home's database if not its SQLite file.
Prints the median and the runs of each, in seconds, and the load average before and after.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(call, runs: int) -> list[float]:
    taken = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        taken.append(time.perf_counter() - started)
    return taken


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", default=None)
    parser.add_argument("--only", default="", help="time only the pages named so")
    options = parser.parse_args()
    from core.settings import Settings
    from services import approvals, audit, incidents, models, overview, performance
    from services.context import open_medic
    from services.monitors import series as monitoring

    started = time.perf_counter()
    with open_medic(Settings(home=options.home, _env_file=None)) as medic:
        print(f"open (creates and fills missing tables): {time.perf_counter() - started:.2f} s")
        pages = {
            "Overview: overview.overview": lambda: overview.overview(medic),
            "Monitoring: monitoring.series(6 h)": lambda: monitoring.series(medic, hours=6),
            "Monitoring: monitoring.series(24 h)": lambda: monitoring.series(medic, hours=24),
            "Monitoring: monitoring.series(168 h)": lambda: monitoring.series(medic, hours=168),
            "Performance: performance(24 h)": lambda: performance.performance(
                medic, model=options.model, hours=24),
            "Performance: performance(7 days)": lambda: performance.performance(
                medic, model=options.model, hours=168),
            "Performance: performance(30 days)": lambda: performance.performance(
                medic, model=options.model, hours=720),
            "Approvals: approvals.pending": lambda: approvals.pending(medic),
            "Incidents: incidents.listing(100)": lambda: incidents.listing(medic, limit=100),
            "Incidents: the last page": lambda: _last_page(medic, incidents),
            "Models: models.overview": lambda: models.overview(medic),
            "Audit: audit.entries(200)": lambda: audit.entries(medic, limit=200),
        }
        print(f"load average {os.getloadavg()[0]:.1f}")
        for name, call in pages.items():
            if not name.startswith(options.only):
                continue
            taken = timed(call, options.runs)
            print(f"{name}: median {statistics.median(taken):.3f} s "
                  f"(runs {', '.join(f'{t:.3f}' for t in taken)})")
        print(f"load average {os.getloadavg()[0]:.1f}")


def _last_page(medic, incidents) -> None:
    if hasattr(incidents, "page"):
        first = incidents.page(medic, size=100)
        incidents.page(medic, size=100, number=first.pages)
    else:  # before paging: the newest 500 were all a reader could reach
        incidents.listing(medic, limit=500)


if __name__ == "__main__":
    main()
