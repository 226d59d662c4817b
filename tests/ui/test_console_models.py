"""The model picker in a real browser: every model on the Overview, bike-demand's own pages."""

import csv
import os
import subprocess
import sys
import time

import pytest

from core.settings import PROJECT_ROOT
from tests.conftest import DATA
from tests.processes import local
from tests.services.test_monitors_per_model import BIKE, two_models  # noqa: F401  (fixture)
from tests.ui.conftest import shoot
from tests.ui.test_console import log_in

HEART_ROWS, BIKE_ROWS, LABELLED = 20, 120, 100


@pytest.fixture(scope="module")
def console_home(two_models):  # noqa: F811  (the fixture imported above)
    """Start the console on a home with bike-demand trained beside heart-disease."""
    return two_models


def june_rides(count: int) -> tuple[list[dict], list[float]]:
    """Return June 2011's first hours as the CSV has them (no target), and their counts."""
    with open(DATA / BIKE.reference.file, newline="") as file:
        rows = sorted((r for r in csv.DictReader(file) if r["dteday"].startswith("2011-06")),
                      key=lambda r: r["dteday"])[:count]
    numeric = {"temp", "atemp", "hum", "windspeed"}
    rides = [{k: (float(v) if k in numeric and v else v or None) for k, v in r.items()
              if k not in ("casual", "registered", "cnt")} for r in rows]
    return rides, [float(r["cnt"]) for r in rows]


def wait_served(url: str, viewer: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = local.get(url + "/v1/models/bike-demand", headers={"X-API-Key": viewer},
                          timeout=30).json()
        if found["state"] == "serving":
            return
        time.sleep(0.5)
    pytest.fail(f"bike-demand not served: {found}")


def serve_both(url: str, keys: dict, settings) -> list[tuple[float, float]]:
    """Predict heart and bike rows, label bike's with their true counts, run the monitors.

    Return bike's labelled rows: (predicted, true value sent).
    """
    from tests.api.test_monitors_api import patients

    wait_served(url, keys["viewer"])
    predictor = {"X-API-Key": keys["predictor"]}
    heart = local.post(url + "/v1/predict/batch", headers=predictor, timeout=60,
                       json={"patients": patients("cleveland", HEART_ROWS)})
    assert heart.status_code == 200, heart.text
    rides, counts = june_rides(BIKE_ROWS)
    bike = local.post(url + "/v1/models/bike-demand/predict/batch", headers=predictor,
                      json={"rows": rides}, timeout=60)
    assert bike.status_code == 200, bike.text
    request_id = bike.json()["request_id"]
    for index, count in enumerate(counts[:LABELLED]):
        stored = local.post(url + "/v1/models/bike-demand/feedback", headers=predictor,
                            timeout=30, json={"request_id": f"{request_id}-{index}",
                                              "label": count + 0.5})
        assert stored.status_code == 201, stored.text
    env = {**os.environ, "MEDIC_HOME": str(settings.home), "PYTHONPATH": str(PROJECT_ROOT)}
    ran = subprocess.run([sys.executable, "-m", "cli", "monitor", "run"], cwd=PROJECT_ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-2000:]
    answered = bike.json()["predictions"]
    return [(row["prediction"], count + 0.5)
            for row, count in zip(answered, counts[:LABELLED], strict=False)]


@pytest.fixture(scope="module")
def served(console_server):
    """Serve and label both models once for the module; return bike's labelled rows."""
    url, keys, settings = console_server
    return serve_both(url, keys, settings)


def shows(locator, text: str, timeout: float = 30) -> None:
    """Wait until `text` is in the locator's visible text (it may span several elements)."""
    deadline = time.monotonic() + timeout
    while text not in locator.inner_text():
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} not shown in: {locator.inner_text()[:1500]}")
        time.sleep(0.2)


def pick(page, picker: str, model: str) -> None:
    """Choose `model` in a page's model picker (a Gradio dropdown)."""
    page.locator(f"#{picker} input").click()
    page.get_by_role("option", name=model).click()


def test_a_viewer_picks_bike_demand_and_sees_its_own_counts_and_mae(console_server, served,
                                                                    browser):
    url, keys, settings = console_server
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, url, keys["viewer"])

    summary = page.locator("#overview-summary")
    summary.get_by_role("heading", name="Models").wait_for()
    listed = summary.locator("table").first.inner_text()
    assert "heart-disease (default)" in listed and "bike-demand" in listed
    assert "regression" in listed and "binary classification" in listed
    assert page.locator("#overview-model input").input_value() == "heart-disease"
    assert f"{HEART_ROWS}\npredictions, 1 h" in summary.inner_text()  # bike's rows apart
    pick(page, "overview-model", "bike-demand")
    shows(summary, f"{BIKE_ROWS}\npredictions, 1 h")
    assert "held-out MAE" in summary.inner_text()
    # the agent asks to retrain on bike's MAE: its approval waits on bike's Overview
    shows(summary, "1\napprovals waiting", timeout=120)  # refreshed every 15 s
    assert "awaiting_approval" in summary.inner_text()
    shoot(page, "overview-bike-demand")

    page.get_by_role("tab", name="Monitoring").click()
    plots = page.locator("#monitoring-plots")
    plots.get_by_text("Model heart-disease").wait_for()
    pick(page, "monitoring-model", "bike-demand")
    plots.get_by_text("Model bike-demand (regression)").wait_for()
    text = plots.inner_text()
    assert "\nperformance: mae (" in text  # its MAE series, from the labels sent
    assert "<h3>" not in text  # the chart's title is a heading, not escaped markup
    assert f"Prediction volume ({BIKE_ROWS} in the period)" in text
    assert "F1: real" not in text and "Class share" not in text  # a classifier's charts
    assert plots.locator("svg circle, svg polyline").count() >= 1  # the MAE point drawn
    shoot(page, "monitoring-bike-demand")

    page.get_by_role("tab", name="Models").click()
    pick(page, "models-model", "bike-demand")
    page.locator("#model-versions").get_by_text("xgboost").or_(
        page.locator("#model-versions").get_by_text("random_forest")).first.wait_for()
    page.context.close()


def test_bike_demands_performance_page_shows_its_mae_and_predicted_against_actual(
        console_server, served, browser):
    url, keys, _settings = console_server
    mae = sum(abs(true - predicted) for predicted, true in served) / len(served)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, url, keys["viewer"])  # a viewer reads it; nothing on it acts
    page.get_by_role("tab", name="Performance").click()
    shown = page.locator("#performance-page")
    shown.get_by_text("Model heart-disease").wait_for()
    pick(page, "performance-model", "bike-demand")
    shown.get_by_text("Model bike-demand (regression)").wait_for()
    tiles = shown.locator("#performance-tiles")
    assert tiles.locator(".mc-tile").count() == 4  # MAE, RMSE, R², latency
    tile = tiles.locator('[data-metric="mae"]')
    assert tile.inner_text().startswith(f"MAE\n{mae:.3f}\n")
    assert "vs baseline" in tile.inner_text()  # the champion's held-out MAE beside it
    assert "ROC-AUC" not in tiles.inner_text() and "F1" not in tiles.inner_text()
    text = shown.inner_text()
    assert f"{LABELLED} labelled predictions" in text
    assert "Predicted against actual" in text and "Confusion matrix" not in text
    pairs = shown.locator("#performance-pairs svg")
    assert pairs.count() == 2  # predicted vs actual, residuals
    assert pairs.first.locator("circle").count() == LABELLED
    assert "MAE per day, last 30 days" in text
    shoot(page, "performance-bike-demand")
    page.context.close()
