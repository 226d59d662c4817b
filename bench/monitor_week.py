"""Time the Monitoring page's 7-day and 1-day series with a week of checks a minute.

A new home gets a week of checks a minute of the 7 default monitors (70,560 rows; the drift
check with a point per feature, as `MonitorResult.points` keeps them), summed per hour as
an upgraded home is (`core.monitor_counts.backfill`). Then, in-process, warm, medians:
the monitors' buckets from the hourly sums (what the page reads now) against the same
buckets folded from every check (the peer: what it read before), and the whole
`monitoring.series`.

Usage: .venv/bin/python bench/monitor_week.py [--runs 5] [--database-url URL]
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FEATURES = ("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang",
            "oldpeak", "slope", "ca", "thal")
MONITORS = ("data_drift", "prediction_drift", "performance", "estimated_performance",
            "error_rate", "latency_p99", "load_failures")


def seed(sessions, now: datetime, minutes: int) -> int:
    """Write a check a minute of each monitor for `minutes` before `now`; return the rows."""
    import random

    from core.monitor_tables import MonitorHistoryRecord

    rng = random.Random(0)
    written = 0
    for chunk in range(0, minutes, 1440):
        rows = []
        for minute in range(chunk, min(chunk + 1440, minutes)):
            at = now - timedelta(minutes=minutes - minute)
            for name in MONITORS:
                points = {"rows": 500.0, "value": rng.random()}
                if name == "data_drift":
                    points |= {f"drifted:{f}": float(rng.random() < 0.2) for f in FEATURES}
                    points |= {f"p_value:{f}": rng.random() for f in FEATURES}
                if name == "estimated_performance":
                    points["estimated_f1"] = 0.7 + rng.random() / 10
                rows.append({"name": name, "checked_at": at, "state": "ok",
                             "value": rng.random(), "points": points})
        with sessions.begin() as session:
            session.bulk_insert_mappings(MonitorHistoryRecord, rows)
        written += len(rows)
    return written


def median(call, runs: int) -> tuple[float, list[float]]:
    taken = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        taken.append(time.perf_counter() - started)
    return statistics.median(taken), taken


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    import os

    from core import monitor_counts
    from core.settings import Settings
    from services.context import open_medic
    from services.monitors import series as monitoring

    home = Path(tempfile.mkdtemp(prefix="medic-week-")) / "medic"
    extra = {"database_url": options.database_url} if options.database_url else {}
    settings = Settings(home=home, _env_file=None, **extra)
    now = datetime.now(UTC)
    with open_medic(settings, clock=lambda: now) as medic:
        started = time.perf_counter()
        rows = seed(medic.sessions, now, 7 * 24 * 60)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        with medic.sessions.kw["bind"].begin() as connection:
            monitor_counts.backfill(connection)
        print(f"seeded {rows:,} checks in {seeded:.1f} s; summed per hour in "
              f"{time.perf_counter() - started:.1f} s")
        names = ["data_drift", "estimated_performance"]
        figures = {}
        for hours in (168, 24):
            width = hours * 3600 // monitoring.BUCKETS
            start = (int(now.timestamp()) // width - monitoring.BUCKETS + 1) * width
            figures[f"{hours} h: buckets from the hourly sums"] = median(
                lambda w=width, s=start: monitoring.checks_per_bucket(medic.sessions, names,
                                                                      s, w), options.runs)
            figures[f"{hours} h: buckets from every check (peer)"] = median(
                lambda w=width, s=start: monitoring.from_history(medic.sessions, names, s, w),
                options.runs)
            figures[f"{hours} h: monitoring.series"] = median(
                lambda h=hours: monitoring.series(medic, hours=h), options.runs)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"medians of {options.runs}")
    for label, (seconds, taken) in figures.items():
        print(f"  {label:<45} {seconds:7.3f} s  (runs {', '.join(f'{t:.3f}' for t in taken)})")
    for hours in (168, 24):
        ours = figures[f"{hours} h: buckets from the hourly sums"][0]
        peer = figures[f"{hours} h: buckets from every check (peer)"][0]
        print(f"ratio ({hours} h): every check / hourly sums {peer / ours:.1f}")


if __name__ == "__main__":
    main()
