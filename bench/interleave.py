"""Load two servers side by side, alternating between them every fraction of a second.

On a shared machine the tail of a run moves with whatever else runs (a test suite, another
bench) by more than the change a bench looks for. Two servers loaded one after the other,
even in alternating rounds of seconds, see different machines. Here both are up at once
and the load switches side every `slot` seconds (0.25 s: a block of ~100–250 requests at a
millisecond each), so whatever the machine does in a round falls on both alike.

Each of `clients` load processes (pinned to core 1, the servers to core 0) posts requests
one after another, to the side whose slot it is by the shared monotonic clock: within a
round the slots go A B A B ..., the next round B A B A ..., so neither side always goes
first. A request is counted for the side and the round of the slot it was sent in.

What comes back per side: each round's latencies per label (ms), so a bench can report each
round's p99, the median of them, and the p99 of all rounds pooled.
"""

import multiprocessing
import os
import statistics
import time
from dataclasses import dataclass

import httpx

Request = tuple[str, str, bytes]
"""(label, url, body): what to post; the label groups its latencies (e.g. the model)."""


@dataclass
class Side:
    """One server's share of the load: its requests, sent in order and then again."""

    name: str
    requests: list[Request]


def p99(values: list[float]) -> float:
    """Return the 99th percentile (inclusive: a few hundred values give a stable figure)."""
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def run(sides: tuple[Side, Side], *, headers: dict, rounds: int, slots: int,
        slot: float = 0.25, clients: int = 1
        ) -> tuple[dict[str, list[dict[str, list[float]]]], list[float]]:
    """Load both sides for `rounds` rounds of `slots` slots each; return latencies per round.

    Returns {side name: [round: {label: [ms, ...]}]} and the load average (1 min) at the
    end of each round.
    """
    for side in sides:  # one warm-up request to each label, so no connection or first use
        with httpx.Client(timeout=60) as client:  # is counted
            for label, url, body in dict((r[0], r) for r in side.requests).values():
                _post(client, url, body, headers, label)
    start = time.monotonic() + 0.5  # every client begins on the same slot boundary
    loads = []
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        running = pool.starmap_async(_client, [(sides, headers, rounds, slots, slot, start, n)
                                               for n in range(clients)])
        for n in range(1, rounds + 1):
            time.sleep(max(0.0, start + n * slots * slot - time.monotonic()))
            loads.append(os.getloadavg()[0])
        found = running.get()
    merged = {side.name: [{} for _ in range(rounds)] for side in sides}
    for one in found:
        for name, per_round in one.items():
            for n, labels in enumerate(per_round):
                for label, values in labels.items():
                    merged[name][n].setdefault(label, []).extend(values)
    return merged, loads


def _client(sides: tuple[Side, Side], headers: dict, rounds: int, slots: int, slot: float,
            start: float, n: int) -> dict[str, list[dict[str, list[float]]]]:
    """One load process: post to the side of the current slot until the last slot ends."""
    os.sched_setaffinity(0, {1 % os.cpu_count()})
    taken = {side.name: [{} for _ in range(rounds)] for side in sides}
    next_of = {side.name: n * 7 % len(side.requests) for side in sides}  # clients apart
    end = start + rounds * slots * slot
    with httpx.Client(timeout=60) as client:
        while (now := time.monotonic()) < start:
            time.sleep(min(0.05, start - now))
        while (now := time.monotonic()) < end:
            index = int((now - start) / slot)
            round_, within = divmod(index, slots)
            side = sides[(within + round_) % 2]
            i = next_of[side.name]
            next_of[side.name] = (i + 1) % len(side.requests)
            label, url, body = side.requests[i]
            began = time.perf_counter()
            _post(client, url, body, headers, label)
            taken[side.name][round_].setdefault(label, []).append(
                (time.perf_counter() - began) * 1000)
    return taken


def _post(client: httpx.Client, url: str, body: bytes, headers: dict, label: str) -> None:
    answer = client.post(url, content=body, headers={**headers,
                                                     "content-type": "application/json"})
    if answer.status_code != 200:
        raise SystemExit(f"{label}: {answer.status_code} {answer.text[:300]}")


def report(found: dict[str, list[dict[str, list[float]]]], subject: str, peer: str,
           label: str, loads: list[float]) -> tuple[list[str], float, float]:
    """Return lines for every round and the totals; and the pooled and median-round ratios.

    `label` is whose latency is compared; `loads` the load average after each round.
    """
    lines = []
    per_round = {side: [p99(r[label]) for r in found[side]] for side in (subject, peer)}
    for n in range(len(loads)):
        a, b = per_round[subject][n], per_round[peer][n]
        sent = {side: len(found[side][n][label]) for side in (subject, peer)}
        lines.append(f"  round {n + 1:>2}: {subject} p99 {a:7.2f} ms ({sent[subject]} "
                     f"requests), {peer} p99 {b:7.2f} ms ({sent[peer]}), ratio {a / b:.2f}; "
                     f"load average {loads[n]:.1f}")
    pooled = {side: [ms for r in found[side] for ms in r[label]] for side in (subject, peer)}
    medians = {side: statistics.median(values) for side, values in per_round.items()}
    for side in (subject, peer):
        lines.append(f"  {side}: p50 {statistics.median(pooled[side]):.2f} ms, median of the "
                     f"rounds' p99 {medians[side]:.2f} ms, pooled p99 {p99(pooled[side]):.2f} ms"
                     f" ({len(pooled[side])} requests)")
    median_ratio = medians[subject] / medians[peer]
    pooled_ratio = p99(pooled[subject]) / p99(pooled[peer])
    lines.append(f"  median of the rounds' p99, {subject} / {peer}: {median_ratio:.3f}; "
                 f"median of the rounds' own ratios "
                 f"{statistics.median(a / b for a, b in zip(*per_round.values(), strict=True)):.3f}"
                 f"; pooled p99 ratio {pooled_ratio:.3f}")
    return lines, pooled_ratio, median_ratio
