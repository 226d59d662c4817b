"""The buckets of the log's per-slot histograms, and what is read from them, with its bound.

Two histograms are kept beside the per-slot counts (`core/rollup.py` writes them):

- answer times (`latency_counts`), in log-spaced buckets each `RATIO` (2%) wider than the
  one below, from `FASTEST` ms up: a percentile read from them, taking each bucket's
  geometric middle, is within `LATENCY_BOUND` (1%) of the one numpy computes from the rows
  (its default, linear interpolation between the two nearest ranks: each rank is within the
  bound, so is a blend of two). Answers under `FASTEST` ms share the lowest bucket (read as
  half of it), answers of `CEILING` ms or more the highest;
- a classifier's labelled scores (`score_counts`), in `BINS` bins of 0.005, positives and
  negatives apart: the ROC-AUC read from them counts a positive and a negative in the same
  bin as half a pair ranked right, so the exact ROC-AUC over the same labels is within
  half the share of such pairs, which the same counts give (`auc`).

Each is counted per 30-second slot, hour and UTC day (`WIDTHS`): a period of whole slots
reads its whole days and hours, and slots only for the ragged ends (`cover`), so 30 days
are about 30 + 46 + 240 spans a version, whatever the traffic.
"""

import math

WIDTHS = (86_400, 3_600, 30)  # seconds a row spans: a UTC day, an hour, a slot; widest first
FASTEST = 0.01  # ms: the lowest bucket holds faster answers
RATIO = 1.02  # each latency bucket's upper edge over its lower
LAST = 1_000  # the highest latency bucket: from FASTEST * RATIO**(LAST - 1) ms up
CEILING = FASTEST * RATIO ** (LAST - 1)  # about 65 minutes, in ms
LATENCY_BOUND = math.sqrt(RATIO) - 1  # a percentile's largest relative error: 0.995%
BINS = 200  # score bins of 1/BINS (0.005) over [0, 1]
_LOG_RATIO = math.log(RATIO)


def latency_bucket(ms: float) -> int:
    """Return the bucket of an answer time in ms (0: under FASTEST; LAST: CEILING or over)."""
    if not ms >= FASTEST:  # NaN too
        return 0
    return min(LAST, 1 + int(math.log(ms / FASTEST) / _LOG_RATIO))


def latency_of(bucket: int) -> float:
    """Return the time a bucket reads as: its geometric middle (half of the lowest's edge)."""
    if bucket <= 0:
        return FASTEST / 2
    return FASTEST * RATIO ** (bucket - 1) * math.sqrt(RATIO)


def score_bin(score: float) -> int:
    """Return the bin of a score in [0, 1] (outside: the nearest end bin)."""
    if not score > 0:  # NaN too
        return 0
    return min(BINS - 1, int(score * BINS))


def cover(start: int, end: int) -> list[tuple[int, int, int]]:
    """Return the spans (width, from, to) that tile [start, end) (epoch s, whole slots).

    Whole days first, then whole hours at either end, then slots: the fewest rows to read.
    """
    return _cover(start, end, WIDTHS)


def _cover(start: int, end: int, widths: tuple[int, ...]) -> list[tuple[int, int, int]]:
    if start >= end:
        return []
    width, *narrower = widths
    low, high = -(-start // width) * width, end // width * width
    if not narrower:
        return [(width, start, end)]
    if low >= high:
        return _cover(start, end, tuple(narrower))
    return [*_cover(start, low, tuple(narrower)), (width, low, high),
            *_cover(high, end, tuple(narrower))]


def percentile(counts: dict[int, int], q: float) -> float | None:
    """Return the q-th percentile (0-100) of the answer times counted by bucket (None: none).

    As numpy's default: the rank (n - 1) q / 100, between the two nearest ranks linearly.
    """
    n = sum(counts.values())
    if not n:
        return None
    rank = (n - 1) * q / 100
    low = math.floor(rank)
    below, above = _ranked(counts, [low, min(low + 1, n - 1)])
    return below + (rank - low) * (above - below)


def _ranked(counts: dict[int, int], ranks: list[int]) -> list[float]:
    """Return the time of each 0-based rank (ascending ranks) among the counted answers."""
    found, seen = [], 0
    wanted = iter(ranks)
    rank = next(wanted)
    for bucket in sorted(counts):
        seen += counts[bucket]
        while rank is not None and rank < seen:
            found.append(latency_of(bucket))
            rank = next(wanted, None)
        if rank is None:
            break
    return found


def auc(bins: dict[int, tuple[int, int]]) -> tuple[float, float] | None:
    """Return the ROC-AUC of binned scores and its bound: the exact one is within ± it.

    `bins`: bin -> (positives, negatives). A positive above a negative is a pair ranked
    right; in the same bin, half of one (the exact ranking inside a bin is not kept). None
    when one class is missing: no ranking to judge.
    """
    positives = sum(p for p, _ in bins.values())
    negatives = sum(n for _, n in bins.values())
    if not positives or not negatives:
        return None
    right = tied = 0
    below = 0  # negatives in lower bins
    for b in sorted(bins):
        p, n = bins[b]
        right += p * below
        tied += p * n
        below += n
    pairs = positives * negatives
    return (right + tied / 2) / pairs, tied / 2 / pairs

