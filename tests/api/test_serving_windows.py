"""The monitors' serving counts: cumulative API counters turned into a model's counts per window."""

from api.metrics import Metrics, ServingWindows
from core.db import connect


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def answered(metrics: Metrics, route: str, status: int, times: int, model=None) -> None:
    for _ in range(times):
        metrics.answered(route, "POST", status, 0.001, model)


def test_counts_over_a_window_are_the_difference_with_the_sample_that_old(tmp_path):
    metrics = Metrics(connect(f"sqlite:///{tmp_path / 'medic.db'}"))
    ticks = Ticks()
    windows = ServingWindows(metrics, monotonic=ticks)
    answered(metrics, "/v1/predict", 200, 90)
    answered(metrics, "/v1/predict", 503, 10)
    answered(metrics, "/v1/incidents", 500, 7)  # not a prediction
    for _ in range(2):
        metrics.failed_load("heart-disease")
    first = windows(5, "heart-disease")
    assert (first.requests, first.errors, first.load_failures) == (100, 10, 2)  # all of it
    ticks.now += 6 * 60
    answered(metrics, "/v1/predict", 200, 40)
    metrics.failed_load("heart-disease")
    later = windows(5, "heart-disease")
    assert (later.requests, later.errors, later.load_failures) == (40, 0, 1)  # 5 min only
    assert (windows(60, "heart-disease").requests,
            windows(60, "heart-disease").load_failures) == (140, 3)


def test_each_model_has_its_own_counts(tmp_path):
    metrics = Metrics(connect(f"sqlite:///{tmp_path / 'medic.db'}"))
    metrics.counting("bike-demand", classifier=False)  # served here: its routes count
    windows = ServingWindows(metrics)
    answered(metrics, "/v1/predict", 200, 5)  # the default routes: the default model's
    answered(metrics, "/v1/models/{name}/predict", 200, 3, "heart-disease")
    answered(metrics, "/v1/models/{name}/predict/batch", 500, 4, "bike-demand")
    answered(metrics, "/v1/models/{name}/predict", 500, 9, "no-such-model")  # never counted
    metrics.failed_load("bike-demand")
    heart, bike = windows(5, "heart-disease"), windows(5, "bike-demand")
    assert (heart.requests, heart.errors, heart.load_failures) == (8, 0, 0)
    assert (bike.requests, bike.errors, bike.load_failures) == (4, 4, 1)
    assert windows(5, "no-such-model").requests == 0
