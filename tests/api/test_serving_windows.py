"""The monitors' serving counts: cumulative API counters turned into counts per window."""

from api.metrics import Metrics, ServingWindows
from core.db import connect


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_counts_over_a_window_are_the_difference_with_the_sample_that_old(tmp_path):
    metrics = Metrics(connect(f"sqlite:///{tmp_path / 'medic.db'}"))
    ticks = Ticks()
    windows = ServingWindows(metrics, monotonic=ticks)
    predict = metrics.requests.labels("/v1/predict", "POST", "200")
    failed = metrics.requests.labels("/v1/predict", "POST", "503")
    metrics.requests.labels("/v1/incidents", "GET", "500").inc(7)  # not a prediction
    predict.inc(90)
    failed.inc(10)
    metrics.load_failures.inc(2)
    first = windows(5)
    assert (first.requests, first.errors, first.load_failures) == (100, 10, 2)  # all of it
    ticks.now += 6 * 60
    predict.inc(40)
    metrics.load_failures.inc()
    later = windows(5)
    assert (later.requests, later.errors, later.load_failures) == (40, 0, 1)  # 5 min only
    assert (windows(60).requests, windows(60).load_failures) == (140, 3)
