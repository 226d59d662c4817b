"""Measure the ground truth behind the eval's site scenarios: drift and F1 on each UCI site.

Run: `python scripts/measure_sites.py [--home DIR]` (trains into DIR first if its registry
is empty). Prints JSON: per site, the features that drift against Cleveland (the test
Evidently picks per column, p < 0.05, `ml/monitoring/evidently.py`) and the champion's F1 on
the site's labelled rows, next to its held-out F1.
"""

import argparse
import json
import sys
from pathlib import Path


def measure(home: Path) -> dict:
    """Return the per-site measurements for the registry in `home`."""
    from core.settings import Settings
    from ml import data, spec
    from ml.data import SITES
    from ml.monitoring import evidently as drift
    from ml.registry.aliases import open_registry
    from ml.training import evaluate, train

    settings = Settings(home=home, _env_file=None)
    registry = open_registry(settings)
    if registry.champion() is None:
        train.run(settings, registry)
    champion = registry.champion()
    model = registry.load(champion.version)
    heart = spec.of(settings)
    reference = data.load_site(settings.data_dir, "cleveland", heart)
    found = {"champion": {"version": champion.version, "model": champion.model_type,
                          "held_out_f1": champion.metrics.get("test_f1")}, "sites": {}}
    for site in SITES:
        frame = data.load_site(settings.data_dir, site, heart)
        moved = drift.measure(reference, frame, heart)
        probability = model.predict_proba(data.features(frame, heart))[:, 1]
        scored = evaluate.scores(frame["target"], probability)
        found["sites"][site] = {
            "rows": len(frame), "disease_share": round(float(frame["target"].mean()), 3),
            "drift_share": round(moved.drift_share, 3),
            "drifted": sorted(moved.drifted_features),
            "f1": round(scored["f1"], 3), "accuracy": round(scored["accuracy"], 3),
            "recall": round(scored["recall"], 3), "precision": round(scored["precision"], 3),
        }
    return found


def main() -> None:
    """Parse arguments, measure, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(".medic/ground-truth"))
    args = parser.parse_args()
    sys.stdout.write(json.dumps(measure(args.home.resolve()), indent=2) + "\n")


if __name__ == "__main__":
    main()
