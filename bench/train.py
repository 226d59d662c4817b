"""Time `medic train` end to end (fresh home) against the bare models fitted without tracking.

Usage: .venv/bin/python bench/train.py
Prints wall time and peak memory for each, and `ratio:` (Medic's wall time over the bare run).
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

BARE = """
from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split
from ml import data, spec
from ml.training import candidates as models
heart = spec.load("configs/models/heart-disease.yaml")
frame = data.reference(heart, "data/raw")
x, xt, y, yt = train_test_split(data.features(frame, heart), frame[heart.label], test_size=0.2,
                                stratify=frame[heart.label], random_state=42)
for name, params in heart.training.families.items():
    pipe = models.build(name, params, 42, heart)
    cross_validate(pipe, x, y, cv=StratifiedKFold(5, shuffle=True, random_state=42),
                   scoring=["f1", "roc_auc"])
    pipe.fit(x, y).predict_proba(xt)
"""


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Run a command; return (seconds, peak RSS in MiB of the child)."""
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak


def main() -> None:
    env = {**os.environ, "DO_NOT_TRACK": "true"}
    bare_seconds, bare_peak = timed([str(BIN / "python"), "-c", BARE], env)
    with tempfile.TemporaryDirectory() as home:
        env["MEDIC_HOME"] = home
        medic_seconds, medic_peak = timed([str(BIN / "medic"), "train"], env)
    row = "{:<40} {:6.1f} s  peak {:6.0f} MiB"
    print(row.format("bare fit+cv of 4 models (no tracking)", bare_seconds, bare_peak))
    print(row.format("medic train end to end (fresh home)", medic_seconds, medic_peak))
    print("target: medic train under 60 s")
    print(f"ratio: {medic_seconds / bare_seconds:.2f}")


if __name__ == "__main__":
    main()
