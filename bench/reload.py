"""Measure reload requests: the cost a serving process pays per poll to follow them, and how
soon a request from another process is served, against the alias-move path as the peer.

Usage: .venv/bin/python bench/reload.py [--polls 200] [--rounds 5]
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.settings import Settings  # noqa: E402


def per_call_ms(call, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count * 1000


def pickup_seconds(settings, registry, change, rounds: int) -> list[float]:
    """Time from a change made on another connection to the serving watcher's reload."""
    from ml.serving.fleet import Fleet

    done = threading.Event()
    watcher = Fleet(settings.model_copy(update={"reload_seconds": 0.05}), registry,
                    on_load_failure=lambda _name: None, on_reload=lambda _n, _v: done.set())
    watcher.load()
    watcher.start()
    taken = []
    try:
        for number in range(rounds):
            done.clear()
            started = time.perf_counter()
            change(number)
            if not done.wait(10):
                raise SystemExit("the watcher did not reload within 10 s")
            taken.append(time.perf_counter() - started)
    finally:
        watcher.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from ml.registry.aliases import open_registry
    from ml.serving.model import ServingModel
    from ml.training import train

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(home=Path(folder) / "medic", _env_file=None)
        registry = open_registry(settings)
        train.run(settings, registry)
        train.run(settings, registry)
        serving = ServingModel(registry)
        serving.reload()
        alias_ms = per_call_ms(lambda: registry.alias("champion"), args.polls)
        poll_ms = per_call_ms(serving.reload, args.polls)
        other = open_registry(settings)  # another process's view: its own connection
        requested = pickup_seconds(settings, registry,
                                   lambda _n: other.request_reload(actor="bench"), args.rounds)
        versions = ["1", "2"]
        moved = pickup_seconds(settings, registry, lambda n: other.promote(
            versions[n % 2], expected=versions[(n + 1) % 2], actor="bench", reason="bench"),
            args.rounds)
    print(f"poll, alias only (the old poll):        {alias_ms:.2f} ms")
    print(f"poll, alias + reload generation (new):  {poll_ms:.2f} ms")
    print(f"reload request served after (median):   {statistics.median(requested):.3f} s")
    print(f"alias move served after (median, peer): {statistics.median(moved):.3f} s")
    print(f"ratio: {statistics.median(requested) / statistics.median(moved):.2f}")


if __name__ == "__main__":
    main()
