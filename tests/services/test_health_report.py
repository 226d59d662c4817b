"""A model-health report over a period: traffic, labels, incidents, actions, champion moves."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from core import monitor_states
from core.db import connect
from core.errors import DataError
from core.tables import Feedback
from ml.serving.prediction_log import PredictionLog
from services.reports import health, render
from tests.conftest import drift_alert


def log_predictions(sessions, now):
    """Log 3 hours of traffic (10, 20, 30 predictions); label the last hour's, half wrong."""
    log = PredictionLog(sessions)
    for hours_ago, count in ((3, 10), (2, 20), (1, 30)):
        for n in range(count):
            log.add({"request_id": f"r{hours_ago}-{n}", "features": {"age": 50.0},
                     "probability": 0.9 if n % 3 else 0.1, "label": 1 if n % 3 else 0,
                     "model_version": "2", "latency_ms": 1.0,
                     "created_at": now - timedelta(hours=hours_ago, minutes=-5)})
    log.flush_now()
    with sessions.begin() as session:
        for n in range(30):
            session.add(Feedback(request_id=f"r1-{n}", label=1 if n < 15 else 0))


def test_health_report_shows_the_week(agent, approver, pdf_text, first_page_png):
    now = datetime.now(UTC)
    log_predictions(agent.sessions, now)
    for hours_ago, state, value in ((3, "ok", 0.08), (2, "warning", 0.31), (1, "critical", 0.62)):
        monitor_states.append_history(agent.sessions, [
            {"name": "data_drift", "state": state, "value": value, "points": {}}],
            now=now - timedelta(hours=hours_ago))
    agent.submit(drift_alert())
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True, comment="ok")

    context = health.collect(agent.sessions, since=health.parse_since("7d", now=now))
    assert context["traffic"]["total"] == 60 and context["bucket"] == "hour"
    assert sorted(c for c in context["traffic"]["counts"] if c) == [10, 20, 30]
    assert context["classes"] == {"0": 21, "1": 39}  # every third prediction says 0
    assert context["f1"]["labelled"] == 30
    [f1] = [v for v in context["f1"]["values"] if v is not None]
    assert f1 == pytest.approx(2 * 10 / (2 * 10 + 10 + 5))  # tp 10, fp 10, fn 5
    assert [a["tool"] for a in context["actions"]] == ["retrain"]

    pdf = render.health_pdf(context)
    text = " ".join(pdf_text(pdf).split())
    assert re.search(r"60 30 1 1 [1-9] PREDICTIONS WITH A LABEL INCIDENTS ACTIONS CHAMPION", text)
    assert context["monitors"] == [{"name": "data_drift", "checks": 3, "warning": 1,
                                    "critical": 1, "highest": 0.62}]
    assert "data_drift 3 1 1 0.62" in text
    assert "FeatureDrift" in text and "retrain" in text
    assert any(e["actor"] == "medic agent" for e in context["champion_changes"])
    first_page_png(pdf, "health")


def test_an_empty_period_says_what_is_missing(tmp_path, pdf_text):
    sessions = connect(f"sqlite:///{tmp_path / 'medic.db'}")
    context = health.collect(sessions, since=health.parse_since("24h"))
    text = " ".join(pdf_text(render.health_pdf(context)).split())
    assert "No predictions in this period." in text
    assert "No feedback labels in this period: F1 cannot be measured." in text
    assert "No incident opened in this period." in text
    assert "No monitor checked in this period." in text


@pytest.mark.parametrize("text", ["", "7", "d", "0d", "7y", "-1d", "7d; drop table"])
def test_a_bad_period_is_refused_in_one_line(text):
    with pytest.raises(DataError, match="must look like 7d"):
        health.parse_since(text)
