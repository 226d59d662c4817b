"""Each console page shows 1,000 incidents and a day of monitoring (its speed: bench/console.py)."""

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, insert, select

from core import monitor_counts, rollup
from core.db import connect
from core.monitor_tables import MonitorHistoryRecord
from core.tables import Feedback, Incident, Prediction
from ml import data
from tests.conftest import DATA, HEART
from tests.ui.conftest import shoot
from tests.ui.test_console import log_in

STATES = ["resolved", "closed", "rejected", "escalated", "resolved", "expired", "open"]


def seed_incidents(database_url: str, count: int) -> None:
    """Store `count` past incidents (already handled) straight in the app database."""
    now, run = datetime.now(UTC), uuid.uuid4().hex[:8]
    with connect(database_url).begin() as session:
        for n in range(count):
            at = now - timedelta(minutes=10 * n)
            state = STATES[n % len(STATES)]
            session.add(Incident(
                fingerprint=f"seed-{run}-{n}",
                open_key=f"seed-{run}-{n}" if state == "open" else None,
                title=f"SeededAlert{n}", alert_type="drift", state=state,
                alert={"name": f"SeededAlert{n}", "type": "drift"}, first_seen=at,
                last_seen=at, severity_score=0.4, severity_level="low", decided_by="rules",
                outcome="seeded", handled=True, resolved_at=at))


MONITORS = ("data_drift", "prediction_drift", "performance", "estimated_performance",
            "error_rate", "latency_p99", "load_failures")


def seed_day(database_url: str, *, predictions: int = 50_000, labelled: float = 0.1) -> None:
    """Store a day of Cleveland traffic (some labelled) and of monitor checks, one a minute."""
    rng, now, run = np.random.default_rng(0), datetime.now(UTC), uuid.uuid4().hex[:8]
    seconds = rng.uniform(0, 23 * 3600, predictions)  # all within the page's 24 buckets
    probability = rng.beta(2, 2, predictions)
    patients = data.features(data.load_site(DATA, "cleveland", HEART), HEART).to_dict("records")
    rows = [{"request_id": f"day-{run}-{n}", "probability": float(p), "label": int(p >= 0.5),
             "features": {k: v for k, v in patients[n % len(patients)].items() if v == v},
             "model_version": "1", "latency_ms": 2.0,
             "created_at": now - timedelta(seconds=float(s))}
            for n, (s, p) in enumerate(zip(seconds, probability, strict=True))]
    truth = [{"request_id": r["request_id"], "label": r["label"] ^ int(rng.random() < 0.15)}
             for r in rows if rng.random() < labelled]  # F1 about 0.85: the monitors stay calm
    checks = [{"name": name, "checked_at": now - timedelta(minutes=m), "state": "ok",
               "value": 0.1, "points": _points(name, rng)}
              for m in range(24 * 60) for name in MONITORS]
    with connect(database_url).begin() as session:
        for table, values in ((Prediction, rows), (Feedback, truth),
                              (MonitorHistoryRecord, checks)):
            for start in range(0, len(values), 5000):
                session.execute(insert(table), values[start:start + 5000])
        for start in range(0, len(rows), 5000):  # counted as the prediction log counts them
            rollup.count_predictions(session, rows[start:start + 5000])
            rollup.stored_labels(session, rows[start:start + 5000])
        monitor_counts.add(session, checks)  # summed per hour as the history's writer sums


def _points(name: str, rng) -> dict[str, float]:
    if name == "data_drift":
        return {f"drifted:{f}": float(rng.random() < 0.2) for f in HEART.feature_names} | {
            "drifted_columns": 3.0}
    if name == "estimated_performance":
        return {"estimated_f1": float(rng.uniform(0.7, 0.9)), "calibration_error": 0.05}
    return {"rows": 100.0}


def test_pages_show_1000_incidents_and_a_day_of_monitoring(console_server, browser):
    url, keys, settings = console_server
    seed_incidents(settings.database_url, 1000)
    seed_day(settings.database_url)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, url, keys["viewer"])

    page.goto(url + "/ui/")
    page.locator(".mc-stat").first.wait_for()
    page.get_by_role("tab", name="Approvals").click()
    page.locator("#approval-cards .mc-card, #approval-cards .mc-note").first.wait_for()
    page.get_by_role("tab", name="Incidents").click()
    page.locator("#incident-list").get_by_text("SeededAlert999", exact=True).wait_for()
    shoot(page, "incidents-1000")
    page.get_by_role("tab", name="Monitoring").click()
    page.locator("#monitoring-plots").get_by_text(
        "Prediction volume (50000 in the period)").wait_for()
    plots = page.locator("#monitoring-plots")  # the day's checks, from their hourly sums
    assert plots.get_by_text("found the feature drifted").count() == 1
    assert plots.get_by_text("No drift check in this period yet.").count() == 0
    shoot(page, "monitoring-day")


def test_the_incidents_page_shows_page_1_of_10000_and_turns_to_the_next(console_server,
                                                                        browser):
    url, keys, settings = console_server
    seed_incidents(settings.database_url, 10_000)
    with connect(settings.database_url)() as session:
        total = session.scalar(select(func.count()).select_from(Incident))
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, url, keys["viewer"])

    page.get_by_role("tab", name="Incidents").click()
    listing = page.locator("#incident-list")
    listing.get_by_text(f"Page 1 of {-(-total // 100):,} · {total:,} incidents").wait_for()
    listing.get_by_text("SeededAlert9999", exact=True).wait_for()  # the newest first
    assert listing.locator("tr").count() == 101  # a page of 100 under its header
    assert listing.get_by_text("SeededAlert9899", exact=True).count() == 0

    page.locator("#incidents-older").click()
    listing.get_by_text(f"Page 2 of {-(-total // 100):,}").wait_for()
    listing.get_by_text("SeededAlert9899", exact=True).wait_for()
    assert listing.get_by_text("SeededAlert9999", exact=True).count() == 0
    shoot(page, "incidents-page-2")

    page.locator("#incidents-page input").fill(str(-(-total // 100)))  # straight to the last
    page.locator("#incidents-page input").press("Enter")
    last = -(-total // 100)
    listing.get_by_text(f"Page {last:,} of {last:,}").wait_for()
    page.locator("#incidents-newer").click()
    listing.get_by_text(f"Page {last - 1:,} of {last:,}").wait_for()
