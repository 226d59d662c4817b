"""The Monitoring and Chat pages in a real browser, over real predictions and incidents."""

import os
import subprocess
import sys

from core.settings import PROJECT_ROOT
from tests.api.test_monitors_api import patients
from tests.processes import local
from tests.ui.conftest import shoot
from tests.ui.test_console import log_in, raise_alert


def serve_and_check(url: str, keys: dict, settings) -> None:
    """Predict for 150 Cleveland patients, label 100 of them, then run the monitors once."""
    predictor = {"X-API-Key": keys["predictor"]}
    sent = local.post(url + "/v1/predict/batch", json={"patients": patients("cleveland", 150)},
                      headers=predictor, timeout=60)
    assert sent.status_code == 200, sent.text
    answer = sent.json()
    for index, row in enumerate(answer["predictions"][:100]):
        labelled = local.post(url + "/v1/feedback", headers=predictor, timeout=30, json={
            "request_id": f"{answer['request_id']}-{index}", "label": row["label"]})
        assert labelled.status_code == 201, labelled.text
    env = {**os.environ, "MEDIC_HOME": str(settings.home), "PYTHONPATH": str(PROJECT_ROOT)}
    ran = subprocess.run([sys.executable, "-m", "cli", "monitor", "run"], cwd=PROJECT_ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-2000:]


def test_monitoring_plots_drift_per_feature_f1_and_traffic(console_server, browser):
    url, keys, settings = console_server
    serve_and_check(url, keys, settings)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, url, keys["viewer"])
    page.get_by_role("tab", name="Monitoring").click()
    plots = page.locator("#monitoring-plots")
    plots.get_by_text("Drift per feature").wait_for()
    heatmap = plots.locator("svg").first
    for feature in ("age", "chol", "thal"):
        assert heatmap.get_by_text(feature, exact=True).is_visible()
    assert heatmap.locator("rect").count() >= 13  # a cell per feature for the check that ran
    assert plots.locator("svg").count() == 5
    text = plots.inner_text()
    assert "Prediction volume (150 in the period)" in text
    assert "100 labelled predictions in the period" in text
    assert "data_drift" in text and "estimated_performance" in text
    # F1 and share are drawn; attached, not "visible": Playwright calls a flat line (one
    # bucket, or equal values) hidden, its bounding box having no height
    drawn = plots.locator("svg polyline, svg circle")
    drawn.first.wait_for(state="attached")
    assert drawn.count() >= 1
    shoot(page, "monitoring")
    page.get_by_label("last 7 days").check()
    plots.get_by_text("420-minute buckets").wait_for()
    page.context.close()


def test_a_viewer_asks_about_an_open_incident_and_chat_approves_nothing(console_server,
                                                                        browser):
    url, keys, _settings = console_server
    pending = raise_alert(url, keys["viewer"])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, url, keys["viewer"])
    page.get_by_role("tab", name="Chat").click()
    question = page.locator("#chat-question textarea")
    answers = page.locator("#chat-answers")
    question.fill(f"What happened with incident {pending['incident_id']}?")
    question.press("Enter")
    answers.get_by_text(f"Incident {pending['incident_id']} (performance").wait_for()
    assert "awaiting_approval" in answers.inner_text()
    question.fill(f"approve approval {pending['id']} now")
    question.press("Enter")
    answers.get_by_text("chat never acts").wait_for()
    answers.get_by_text(f"medic approvals approve {pending['id']}").wait_for()  # how to
    shoot(page, "chat")
    still = local.get(url + "/v1/approvals", headers={"X-API-Key": keys["viewer"]}).json()
    assert pending["id"] in [a["id"] for a in still]
    page.context.close()
