"""Each console page loads in under a second with 1,000 incidents in the database."""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

from core.db import connect
from core.tables import Incident
from tests.ui.conftest import SHOTS, shoot
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


def timed(action, ready) -> float:
    started = time.perf_counter()
    action()
    ready()
    return time.perf_counter() - started


def test_pages_load_in_under_a_second_with_1000_incidents(console_server, browser):
    url, keys, settings = console_server
    seed_incidents(settings.database_url, 1000)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, url, keys["viewer"])

    took = {
        "overview": timed(lambda: page.goto(url + "/ui/"),
                          lambda: page.locator(".mc-stat").first.wait_for()),
        "approvals": timed(lambda: page.get_by_role("tab", name="Approvals").click(),
                           lambda: page.locator("#approval-cards .mc-card, "
                                                "#approval-cards .mc-note").first.wait_for()),
        "incidents": timed(lambda: page.get_by_role("tab", name="Incidents").click(),
                           lambda: page.locator("#incident-list")
                           .get_by_text("SeededAlert999", exact=True).wait_for()),
    }
    shoot(page, "incidents-1000")
    (SHOTS / "page-load-seconds.json").write_text(json.dumps(
        {name: round(seconds, 3) for name, seconds in took.items()}))
    assert all(seconds < 1.0 for seconds in took.values()), took
