"""The answer-time and score histograms: what is read from them is within its stated bound.

Percentiles against numpy's on the same times, ROC-AUC against scikit-learn's on the same
scores, and a period's spans tiling it exactly; `stored` and `by_hand` let the log's tests
check that the histograms kept are the rows' (tests/ml/test_prediction_log_counts.py,
tests/core/test_log_retention.py, tests/core/test_migrations.py).
"""

from collections import Counter, defaultdict

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sqlalchemy import select

from core import histograms
from core.tables import ErrorSum, Feedback, LabelCount, LatencyCount, Prediction, ScoreCount


def stored(sessions) -> tuple[dict, dict]:
    """Return the histograms as kept: latency and score rows by key (empty ones left out)."""
    with sessions() as session:
        times = {(r.width, r.slot, r.model, r.model_version, r.bucket): r.predictions
                 for r in session.scalars(select(LatencyCount))}
        scores = {(r.width, r.slot, r.model, r.model_version, r.bucket, r.predicted):
                  (r.positives, r.negatives) for r in session.scalars(select(ScoreCount))}
    return times, {k: v for k, v in scores.items() if any(v)}


def errors_agree(sessions) -> None:
    """Assert that the error sums of every slot, hour and day are their slots' in label_counts."""
    with sessions() as session:
        slots = [(r.slot, r.model, r.model_version, r.labels, r.abs_error, r.squared_error)
                 for r in session.scalars(select(LabelCount)) if r.labels]
        kept = {(r.width, r.slot, r.model, r.model_version): (r.labels, r.abs_error,
                                                               r.squared_error)
                for r in session.scalars(select(ErrorSum))}
    expected = defaultdict(lambda: [0, 0.0, 0.0])
    for at, model, version, n, absolute, squared in slots:
        for width in histograms.WIDTHS:
            held = expected[width, at // width * width, model, version]
            held[0] += n
            held[1] += absolute
            held[2] += squared
    assert {k: v[0] for k, v in kept.items() if v[0]} == {k: v[0] for k, v in expected.items()}
    for key, (_n, absolute, squared) in expected.items():
        assert kept[key][1:] == pytest.approx((absolute, squared), rel=1e-9, abs=1e-9)


def by_hand(sessions) -> tuple[dict, dict]:
    """Count the raw rows as the histograms promise: each in its slot, hour and day."""
    with sessions() as session:
        rows = session.execute(select(
            Prediction.request_id, Prediction.created_at, Prediction.model,
            Prediction.model_version, Prediction.latency_ms, Prediction.probability,
            Prediction.label)).all()
        truth = dict(session.execute(select(Feedback.request_id, Feedback.label)).all())
    times, scores = Counter(), defaultdict(lambda: [0, 0])
    for request_id, at, model, version, latency, score, predicted in rows:
        second = int(at.timestamp()) // 30 * 30
        for width in histograms.WIDTHS:
            start = second // width * width
            times[width, start, model, version, histograms.latency_bucket(latency)] += 1
            if truth.get(request_id) in (0, 1):
                key = (width, start, model, version, histograms.score_bin(score), predicted)
                scores[key][0 if truth[request_id] == 1 else 1] += 1
    return dict(times), {k: tuple(v) for k, v in scores.items()}


def binned(values) -> dict[int, int]:
    return dict(Counter(histograms.latency_bucket(v) for v in values))


@pytest.mark.parametrize("seed", range(6))
def test_percentiles_from_the_buckets_are_within_the_bound_of_numpys(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 5000))
    times = [rng.gamma(2.0, 3.0, size), rng.lognormal(1, 1.5, size),  # long tails
             rng.uniform(0.01, 20, size), np.full(size, 7.25),  # all alike
             np.round(rng.gamma(2.0, 30.0, size), 1), rng.pareto(1.5, size) * 50 + 0.02][seed]
    counts = binned(times)
    for q in (0, 1, 50, 90, 95, 99, 99.9, 100):
        exact = float(np.percentile(times, q))
        found = histograms.percentile(counts, q)
        assert abs(found - exact) <= histograms.LATENCY_BOUND * exact + 1e-12, (q, size)
    assert histograms.LATENCY_BOUND < 0.01


def test_the_ends_of_the_latency_buckets_say_what_they_hold():
    assert histograms.percentile({}, 50) is None
    assert histograms.latency_bucket(0.0) == histograms.latency_bucket(0.009) == 0
    assert histograms.percentile(binned([0.0, 0.001]), 50) == histograms.FASTEST / 2
    slowest = histograms.latency_bucket(histograms.CEILING * 10)
    assert slowest == histograms.latency_bucket(histograms.CEILING) == histograms.LAST
    assert 60 * 60_000 < histograms.CEILING < 70 * 60_000  # about 65 minutes
    for ms in (0.01, 0.0101, 1.0, 2.5, 99.9, 1234.5):  # each bucket's middle reads within 1%
        assert abs(histograms.latency_of(histograms.latency_bucket(ms)) - ms) <= \
            histograms.LATENCY_BOUND * ms * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_roc_auc_from_the_bins_is_within_its_bound_of_sklearns(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(20, 4000))
    truth = (rng.random(size) < rng.uniform(0.05, 0.6)).astype(int)
    scores = np.clip(rng.normal(0.35 + rng.uniform(0, 0.4) * truth, 0.2), 0, 1)
    if seed == 4:
        scores = np.round(scores, 2)  # ties within and across bins
    bins = defaultdict(lambda: [0, 0])
    for s, t in zip(scores, truth, strict=True):
        bins[histograms.score_bin(float(s))][0 if t else 1] += 1
    found, bound = histograms.auc({b: tuple(v) for b, v in bins.items()})
    exact = roc_auc_score(truth, scores)
    assert abs(found - exact) <= bound + 1e-12
    assert bound < 0.01  # 0.005 bins: a small share of the pairs share one
    assert histograms.auc({3: (5, 0)}) is None and histograms.auc({}) is None


def test_a_periods_spans_tile_it_whole_days_and_hours_first():
    day, hour = 86_400, 3_600
    start = 20_000 * day + 13 * hour + 17 * 60 + 30  # 13:17:30
    end = start + 30 * day
    spans = histograms.cover(start, end)
    assert sum(high - low for _w, low, high in spans) == end - start
    assert all(low % width == 0 and high % width == 0 for width, low, high in spans)
    assert [w for w, *_ in spans] == [30, 3600, 86400, 3600, 30]
    assert sorted(spans, key=lambda s: s[1]) == spans
    assert all(a[2] == b[1] for a, b in zip(spans, spans[1:], strict=False))
    assert histograms.cover(start, start + 600) == [(30, start, start + 600)]
    assert histograms.cover(20_000 * day, 20_001 * day) == [(86400, 20_000 * day, 20_001 * day)]
    assert histograms.cover(start, start) == []
