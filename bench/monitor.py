"""Time Medic's drift check against Evidently's DataDriftPreset on 100k and 1M-row windows.

Usage: PYTHONPATH=. .venv/bin/python bench/monitor.py [--sizes 100000 1000000]
The windows resample the four UCI sites together; the reference is the Cleveland training
split, both typed by the UCI schema for both tools. Medic's time is the best of 3 runs,
Evidently's one run (imports excluded). Ends with `ratio:` (Evidently's time over Medic's
at 100k rows) after checking that both found the same drifted columns.
"""

import argparse
import os
import time

import pandas as pd

os.environ.setdefault("DO_NOT_TRACK", "true")

from core.settings import PROJECT_ROOT  # noqa: E402
from ml import data, spec  # noqa: E402
from ml.monitoring import drift  # noqa: E402
from ml.monitoring.drift_report import evidently_definition  # noqa: E402
from ml.training.train import TrainingConfig, split  # noqa: E402

HEART = spec.load(PROJECT_ROOT / "configs" / "models" / "heart-disease.yaml")


def windows(sizes: list[int]) -> dict[int, pd.DataFrame]:
    """Resample the four sites, pooled, into windows of each size."""
    pooled = pd.concat([data.features(data.load_site(PROJECT_ROOT / "data" / "raw", site, HEART),
                                      HEART)
                        for site in data.SITES], ignore_index=True)
    return {n: pooled.sample(n, replace=True, random_state=n).reset_index(drop=True)
            for n in sizes}


def medic(reference: pd.DataFrame, current: pd.DataFrame) -> tuple[float, list[str]]:
    """Return Medic's best time of 3 and the drifted columns."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        summary = drift.data_drift(reference, current, spec=HEART)
        best = min(best, time.perf_counter() - started)
    return best, summary.drifted


def evidently(reference: pd.DataFrame, current: pd.DataFrame) -> tuple[float, list[str]]:
    """Return Evidently's time for one DataDriftPreset run and the drifted columns."""
    from evidently import Dataset, Report
    from evidently.presets import DataDriftPreset

    columns = list(drift.feature_kinds(HEART))
    definition = evidently_definition(columns, HEART)
    started = time.perf_counter()
    snapshot = Report([DataDriftPreset(columns=columns)], include_tests=True).run(
        Dataset.from_pandas(current, data_definition=definition),
        Dataset.from_pandas(reference, data_definition=definition))
    found = snapshot.dict()
    seconds = time.perf_counter() - started
    drifted = [t["metric_config"]["params"]["column"] for t in found["tests"]
               if t["status"] == "FAIL" and "column" in t["metric_config"]["params"]]
    return seconds, drifted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    sizes = parser.parse_args().sizes
    config = TrainingConfig.from_spec(HEART)
    reference = split(data.reference(HEART, PROJECT_ROOT / "data" / "raw"), config, HEART)[0]
    started = time.perf_counter()
    import evidently as _evidently  # noqa: F401

    print(f"evidently import: {time.perf_counter() - started:.1f} s (not counted)")
    results = {}
    for n, current in windows(sizes).items():
        medic_s, medic_drifted = medic(reference, current)
        evidently_s, evidently_drifted = evidently(reference, current)
        same = sorted(medic_drifted) == sorted(evidently_drifted)
        results[n] = (medic_s, evidently_s)
        print(f"{n:>9,} rows  medic {medic_s:6.3f} s  evidently {evidently_s:6.2f} s  "
              f"x{evidently_s / medic_s:5.1f}  drifted {len(medic_drifted)}/13, "
              f"same columns as evidently: {'yes' if same else 'NO'}")
    first = min(results)
    print(f"ratio: {results[first][1] / results[first][0]:.2f}")


if __name__ == "__main__":
    main()
