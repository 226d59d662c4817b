"""Run the healing loop on the four UCI sites: does a remediation retrain help on shifted traffic?

Usage: .venv/bin/python bench/heal.py
A Cleveland champion is trained once. For each site, on a fresh copy of that state, the
site's patients arrive in a fixed random order (the files are not in time order; Hungary's
is sorted by diagnosis): the first 70 % are served by the champion and labelled through
feedback, the last 30 % are *later patients* that neither model sees in training. Drift of
the served traffic against Cleveland decides whether a retrain is proposed (the agent's
rule: drift share >= 0.3); if so, Medic retrains on Cleveland + the labelled traffic and
its gate judges. Printed per site: old and new champion F1 / ROC-AUC on the later patients
and on Cleveland's hold-out, with row counts. The peer is the retrain Medic ran before
(same Cleveland data, same seed): it reproduces the old champion, so its scores are the
old champion's. `ratio:` is the mean F1 on later shifted patients, Medic's over the peer's.
"""

import logging
import os
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "true")

SHIFTED = ("hungarian", "switzerland", "va")
SITES = ("cleveland", *SHIFTED)
TRAFFIC_SHARE = 0.7
DRIFT_PLANS_RETRAIN = 0.3  # configs/agent.yaml: drift with drift_share >= 0.3 plans a retrain


def log_traffic(sessions, frame, model, version: str, start) -> None:
    """Serve each row with the champion and label it through feedback, one a minute."""
    from core.tables import Feedback, Prediction
    from ml.data import features
    from ml.schema import FEATURE_NAMES

    probability = model.predict_proba(features(frame))[:, 1]
    with sessions.begin() as session:
        for i, (row, p) in enumerate(zip(frame.to_dict("records"), probability, strict=True)):
            at = start + timedelta(minutes=i)
            request_id = f"bench-{i}"
            session.add(Prediction(
                request_id=request_id, probability=float(p), label=int(p >= 0.5),
                model_version=version, latency_ms=1.0, created_at=at,
                features={n: None if row[n] != row[n] else float(row[n]) for n in FEATURE_NAMES}))
            session.add(Feedback(request_id=request_id, label=int(row["target"]),
                                 received_at=at + timedelta(minutes=1)))


def scores(model, frame) -> tuple[float, float]:
    """Return (F1, ROC-AUC) of a model on labelled rows."""
    from ml import evaluate
    from ml.data import features

    found = evaluate.scores(frame["target"], model.predict_proba(features(frame))[:, 1])
    return found["f1"], found["roc_auc"]


def one_site(site: str, trained: Path, work: Path) -> dict:
    """Run the loop for one site on a fresh copy of the trained state."""
    from sklearn.model_selection import train_test_split

    from core.clock import utcnow
    from ml import data, drift, heal
    from ml.registry import open_registry
    from ml.schema import LABEL
    from tests.conftest import make_settings

    home = work / site
    shutil.copytree(trained, home)
    settings = make_settings(home)
    registry = open_registry(settings)
    old_version = registry.alias("champion")
    old = registry.load(old_version)
    cleveland = data.load_site(settings.data_dir, "cleveland")
    _, reference = train_test_split(cleveland, test_size=0.2, stratify=cleveland[LABEL],
                                    random_state=42)
    arrivals = data.load_site(settings.data_dir, site).sample(frac=1, random_state=7)
    cut = int(len(arrivals) * TRAFFIC_SHARE)
    traffic, later = arrivals.iloc[:cut], arrivals.iloc[cut:]
    log_traffic(registry.sessions, traffic, old, old_version, utcnow())
    share = drift.measure(cleveland, traffic).drift_share
    row = {"site": site, "traffic": len(traffic), "later": len(later), "drift": share,
           "reference": len(reference), "old": (scores(old, later), scores(old, reference)),
           "proposed": share >= DRIFT_PLANS_RETRAIN}
    new_version, new = old_version, old
    if row["proposed"]:
        started = time.perf_counter()
        outcome = heal.retrain(settings, registry, registry.sessions, actor="bench (approved)")
        row["seconds"] = time.perf_counter() - started
        row["decision"] = outcome.result.decision
        row["composition"] = outcome.result.training_set["composition"]
        row["gate"] = outcome.result.gate["reason"]
        new_version = registry.alias("champion")
        new = registry.load(new_version)
    row["new"] = (scores(new, later), scores(new, reference))
    row["versions"] = (old_version, new_version)
    return row


def report(rows: list[dict]) -> None:
    """Print the table and the ratio."""
    head = (f"{'site':<12}{'drift':>6} {'retrain':<9}{'later n':>8}  old F1/AUC   "
            f"new F1/AUC    {'ref n':>5}  old F1/AUC   new F1/AUC")
    print(head)
    for r in rows:
        (old_later, old_ref), (new_later, new_ref) = r["old"], r["new"]
        proposed = r.get("decision", "-") if r["proposed"] else "not proposed"
        print(f"{r['site']:<12}{r['drift']:>6.2f} {proposed:<9}{r['later']:>8}  "
              f"{old_later[0]:.3f}/{old_later[1]:.3f}  {new_later[0]:.3f}/{new_later[1]:.3f}"
              f"   {r['reference']:>5}  {old_ref[0]:.3f}/{old_ref[1]:.3f}  "
              f"{new_ref[0]:.3f}/{new_ref[1]:.3f}")
    for r in rows:
        if r["proposed"]:
            print(f"{r['site']}: v{r['versions'][0]} -> v{r['versions'][1]} "
                  f"trained on {r['composition']} in {r['seconds']:.0f} s; gate: {r['gate']}")
    shifted = [r for r in rows if r["site"] in SHIFTED]
    medic = sum(r["new"][0][0] for r in shifted) / len(shifted)
    peer = sum(r["old"][0][0] for r in shifted) / len(shifted)
    print(f"mean F1 on later shifted patients: Medic {medic:.3f}, peer (Cleveland-only "
          f"retrain = old champion) {peer:.3f}")
    print(f"ratio: {medic / peer:.2f}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    from ml import train
    from ml.registry import open_registry
    from tests.conftest import make_settings

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        settings = make_settings(work / "trained")
        train.run(settings, open_registry(settings), actor="bench")
        rows = [one_site(site, settings.home, work) for site in SITES]
    report(rows)


if __name__ == "__main__":
    main()
