"""Each model's performance page: live metrics against the period before and the champion's
training baseline, checked against scikit-learn on the same rows (SQLite and PostgreSQL).

The log is written as the API writes it (the prediction log's writer, feedback through
`record_feedback`), with another model's labelled rows beside it that must never count.
"""

import shutil
from datetime import timedelta

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    roc_auc_score,
)

from core import histograms, rollup
from core.errors import DataError, NotFound
from core.tables import ActionRun, Approval, Incident
from ml.serving.prediction_log import PredictionLog
from services.context import open_medic
from services.performance import performance
from services.predictions import record_feedback
from tests.conftest import make_settings
from tests.services.test_monitors_per_model import two_models  # noqa: F401  (fixture)

DAY = timedelta(days=1)


def settings_for(request, settings):
    if request.param == "postgres":
        return make_settings(settings.home, database_url=request.getfixturevalue("postgres_url"))
    return settings


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def heart(request, trained, clock):
    with open_medic(settings_for(request, trained[0]), clock=clock) as medic:
        yield medic, trained


def spread(now, rng, count: int, *, back: timedelta, model: str, regressor: bool = False):
    """Return `count` rows of `model` logged over the `back` before `now`, with true values."""
    rows = []
    for i in range(count):
        at = now - back * rng.uniform(0, 1)
        if regressor:
            truth = float(rng.integers(0, 600))
            predicted = max(0.0, truth + float(rng.normal(0, 40)))
            row = {"probability": predicted, "label": 0, "truth": truth}
        else:
            truth = int(rng.random() < 0.45)
            score = float(np.clip(rng.normal(0.3 + 0.4 * truth, 0.2), 0, 1))
            row = {"probability": score, "label": int(score >= 0.5), "truth": truth}
        rows.append(row | {"request_id": f"{model}-{i}-{at.timestamp()}", "model": model,
                           "features": {"age": 50.0}, "model_version": "2",
                           "latency_ms": float(rng.gamma(2.0, 3.0)), "created_at": at})
    return rows


def log_and_label(medic, rows, *, share: float, regressor: bool, seed: int = 7) -> list[dict]:
    """Log `rows` through the writer; label about `share` of them; return the labelled."""
    log = PredictionLog(medic.sessions, batch=250)
    for row in rows:
        log.add({k: v for k, v in row.items() if k != "truth"})
    log.close()
    rng = np.random.default_rng(seed)
    labelled = [row for row in rows if rng.random() < share]
    for row in labelled:
        record_feedback(sessions=medic.sessions, log=log, request_id=row["request_id"],
                        label=row["truth"], model=row["model"], classifier=not regressor)
    return labelled


def within(rows, start, end):
    return [r for r in rows if start <= r["created_at"].timestamp() < end]


def period_of(now, hours: int):
    end = rollup.slot(now) + rollup.SLOT
    return end - hours * 3600, end


def champion_test(results) -> dict:
    """Return the held-out scores of the last run that made a champion, as training reported."""
    made = [r for r in results if r.decision == "champion"][-1]
    return next(c.test for c in made.candidates if c.name == made.best)


def test_a_classifiers_tiles_match_sklearn_on_its_own_rows_only(heart, clock):
    medic, (_settings, _registry, first, second) = heart
    rng = np.random.default_rng(0)
    mine = spread(clock.now, rng, 900, back=3 * DAY, model="heart-disease")
    other = spread(clock.now, rng, 300, back=2 * DAY, model="bike-demand")
    labelled = log_and_label(medic, mine + other, share=0.6, regressor=False)

    view = performance(medic, model="heart-disease", hours=24)

    start, end = period_of(clock.now, 24)
    ours = [r for r in labelled if r["model"] == "heart-disease"]
    now_rows, old_rows = within(ours, start, end), within(ours, start - 86400, start)
    assert len(now_rows) > 100 and len(old_rows) > 100

    def scores(rows):
        truth = [r["truth"] for r in rows]
        return {"accuracy": accuracy_score(truth, [r["label"] for r in rows]),
                "f1": f1_score(truth, [r["label"] for r in rows]),
                "roc_auc": roc_auc_score(truth, [r["probability"] for r in rows])}

    expected, before = scores(now_rows), scores(old_rows)
    baseline = champion_test([first, second])
    tiles = {t.name: t for t in view.metrics}
    assert list(tiles) == ["accuracy", "f1", "roc_auc"]
    for name, tile in tiles.items():
        if name == "roc_auc":  # from binned scores: within the bound it states
            assert abs(tile.value - expected[name]) <= tile.within
            assert abs(tile.previous - before[name]) < 0.01
        else:
            assert tile.value == pytest.approx(expected[name], abs=1e-9), name
            assert tile.previous == pytest.approx(before[name], abs=1e-9), name
            assert tile.change == pytest.approx(expected[name] - before[name], abs=1e-9)
        assert tile.baseline == pytest.approx(baseline[name], abs=1e-9), name
        assert tile.higher_is_better
    assert tiles["f1"].within is None and 0 < tiles["roc_auc"].within < 0.01
    assert any(f"within ±{tiles['roc_auc'].within:.4f} this period" in n for n in view.notes)
    assert view.labelled == len(now_rows) and view.previous_labelled == len(old_rows)
    tn, fp, fn, tp = confusion_matrix([r["truth"] for r in now_rows],
                                      [r["label"] for r in now_rows]).ravel()
    assert view.confusion.model_dump() == {"tp": tp, "fp": fp, "fn": fn, "tn": tn}
    assert view.pairs is None

    for rows, found in ((within(mine, start, end), (view.latency.p50_ms, view.latency.p95_ms,
                                                     view.latency.p99_ms)),
                        (within(mine, start - 86400, start),
                         (view.latency.previous_p50_ms, view.latency.previous_p95_ms,
                          view.latency.previous_p99_ms))):
        times = [r["latency_ms"] for r in rows]
        for q, value in zip((50, 95, 99), found, strict=True):
            exact = np.percentile(times, q)  # from a histogram: within 1%, as the note says
            assert abs(value - exact) <= histograms.LATENCY_BOUND * exact, q
    assert view.latency.logged == len(within(mine, start, end))
    assert any("within 1% of the exact one" in n for n in view.notes)

    assert view.trend.metric == "f1" and len(view.trend.days) == 30
    for offset in (0, 1, 2):
        day_start = (rollup.slot(clock.now) // 86400 - offset) * 86400
        day = within(ours, day_start, day_start + 86400)
        assert view.trend.labelled[-1 - offset] == len(day)
        assert view.trend.values[-1 - offset] == pytest.approx(
            f1_score([r["truth"] for r in day], [r["label"] for r in day]), abs=1e-9)
    assert view.trend.values[:-4] == [None] * 26


def test_the_actions_are_the_models_own_with_who_approved_them(heart, clock):
    medic, _ = heart
    with medic.sessions.begin() as session:
        for model, tool in (("heart-disease", "retrain_model"), ("bike-demand", "rollback")):
            incident = Incident(model=model, fingerprint=f"fp-{model}", title=f"drift on {model}",
                                alert_type="data_drift", alert={})
            session.add(incident)
            session.flush()
            session.add(Approval(incident_id=incident.id, digest="d", context={},
                                 actions=[{"tool": tool, "args": {}, "risk": "risky"}],
                                 status="approved", expires_at=clock.now + DAY,
                                 decided_by="bob", approved_by=["alice", "bob"],
                                 decided_at=clock.now))
            session.add(ActionRun(key=f"k-{model}", incident_id=incident.id, model=model,
                                  tool=tool, args={}, status="success",
                                  started_at=clock.now))
            session.add(ActionRun(key=f"k2-{model}", incident_id=incident.id, model=model,
                                  tool="send_notification", args={}, status="success",
                                  started_at=clock.now - timedelta(minutes=5)))

    view = performance(medic, model="heart-disease")

    assert [(a.tool, a.approved_by, a.incident) for a in view.actions] == [
        ("retrain_model", ["alice", "bob"], "drift on heart-disease"),
        ("send_notification", [], "drift on heart-disease")]


def test_no_labels_yet_leaves_the_tiles_empty_and_an_unknown_model_or_period_is_refused(
        heart):
    medic, _ = heart
    view = performance(medic, model="heart-disease", hours=168)
    assert view.labelled == 0 and view.confusion.model_dump() == dict.fromkeys(
        ("tp", "fp", "fn", "tn"), 0)
    assert all(t.value is None and t.change is None for t in view.metrics)
    assert all(t.baseline is not None for t in view.metrics)  # the champion's, still
    assert view.latency.p50_ms is None and view.latency.logged == 0
    with pytest.raises(NotFound, match="unknown model 'nope'"):
        performance(medic, model="nope")
    with pytest.raises(DataError, match="1 to 720 hours"):
        performance(medic, hours=721)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bike(request, two_models, tmp_path, clock):  # noqa: F811  (the fixture imported above)
    home = tmp_path / "medic"
    shutil.copytree(two_models, home)
    clock.advance(hours=1)  # after bike-demand's champion was made
    with open_medic(settings_for(request, make_settings(home)), clock=clock) as medic:
        yield medic


@pytest.mark.slow
def test_a_regressors_tiles_match_sklearn_and_draw_predicted_against_actual(bike, clock):
    rng = np.random.default_rng(3)
    mine = spread(clock.now, rng, 800, back=3 * DAY, model="bike-demand", regressor=True)
    other = spread(clock.now, rng, 300, back=2 * DAY, model="heart-disease", regressor=True)
    labelled = log_and_label(bike, mine + other, share=0.5, regressor=True)

    view = performance(bike, model="bike-demand", hours=24)

    start, end = period_of(clock.now, 24)
    ours = [r for r in labelled if r["model"] == "bike-demand"]
    now_rows, old_rows = within(ours, start, end), within(ours, start - 86400, start)

    def scores(rows):
        truth, predicted = [r["truth"] for r in rows], [r["probability"] for r in rows]
        return {"mae": mean_absolute_error(truth, predicted),
                "rmse": mean_squared_error(truth, predicted) ** 0.5,
                "r2": r2_score(truth, predicted)}

    expected, before = scores(now_rows), scores(old_rows)
    baseline = bike.registry.named("bike-demand")  # the registry record as training left it
    tiles = {t.name: t for t in view.metrics}
    assert list(tiles) == ["mae", "rmse", "r2"]
    for name, tile in tiles.items():
        assert tile.value == pytest.approx(expected[name], rel=1e-9), name
        assert tile.previous == pytest.approx(before[name], rel=1e-9), name
        assert tile.change == pytest.approx(expected[name] - before[name], rel=1e-6), name
        assert tile.higher_is_better == (name == "r2")
    champion = baseline.alias("champion")
    assert view.champion == champion
    recorded = next(v for v in baseline.versions() if v.version == champion).metrics  # MLflow
    assert [t.baseline for t in view.metrics] == [recorded[f"test_{m}"] for m in tiles]
    assert view.confusion is None and view.labelled == len(now_rows)
    assert sorted(zip(view.pairs.predicted, view.pairs.actual, strict=True)) == sorted(
        (r["probability"], r["truth"]) for r in now_rows)  # fewer than the cap: all of them

    assert view.trend.metric == "mae"
    for offset in (0, 1, 2):
        day_start = (rollup.slot(clock.now) // 86400 - offset) * 86400
        day = within(ours, day_start, day_start + 86400)
        assert view.trend.labelled[-1 - offset] == len(day)
        if not day:  # the clock runs an hour ahead: just after midnight today holds no label
            assert view.trend.values[-1 - offset] is None
            continue
        assert view.trend.values[-1 - offset] == pytest.approx(mean_absolute_error(
            [r["truth"] for r in day], [r["probability"] for r in day]), rel=1e-9)


def test_a_classifiers_matrix_and_roc_auc_count_every_label_changed_or_come_early(
        heart, clock):
    """The confusion matrix comes from the score counts by class answered: every label, a
    changed one counted once at its new class, one stored before its row was written
    counted when the row is; ROC-AUC is within the bound it states, however many rows."""
    medic, _ = heart
    rng = np.random.default_rng(5)
    rows = spread(clock.now, rng, 700, back=2 * DAY, model="heart-disease")
    labelled = log_and_label(medic, rows[:600], share=0.7, regressor=False)
    for row in labelled[::5]:  # labels corrected: each moves between the classes
        row["truth"] = 1 - row["truth"]
        record_feedback(sessions=medic.sessions, log=PredictionLog(medic.sessions),
                        request_id=row["request_id"], label=row["truth"], model="heart-disease")
    log = PredictionLog(medic.sessions)  # not started: its rows wait until it is closed
    for i, row in enumerate(rows[600:]):
        row["request_id"] = f"early{i}"
        log.add({k: v for k, v in row.items() if k != "truth"})
    for row in rows[600:]:
        record_feedback(sessions=medic.sessions, log=log, request_id=row["request_id"],
                        label=row["truth"])
    log.close()
    labelled += rows[600:]

    view = performance(medic, model="heart-disease", hours=24)

    start, end = period_of(clock.now, 24)
    now_rows = within(labelled, start, end)
    truth, answered = [r["truth"] for r in now_rows], [r["label"] for r in now_rows]
    tn, fp, fn, tp = confusion_matrix(truth, answered).ravel()
    assert view.confusion.model_dump() == {"tp": tp, "fp": fp, "fn": fn, "tn": tn}
    assert view.labelled == len(now_rows)
    auc = next(t for t in view.metrics if t.name == "roc_auc")
    exact = roc_auc_score(truth, [r["probability"] for r in now_rows])
    assert abs(auc.value - exact) <= auc.within and auc.within < 0.01
    f1 = next(t for t in view.metrics if t.name == "f1")
    assert f1.value == pytest.approx(f1_score(truth, answered), abs=1e-9)
    today = (rollup.slot(clock.now) // 86400) * 86400
    day = within(labelled, today, today + 86400)
    assert view.trend.labelled[-1] == len(day)
    assert view.trend.values[-1] == pytest.approx(
        f1_score([r["truth"] for r in day], [r["label"] for r in day]), abs=1e-9)
    assert view.latency.logged == len(within(rows, start, end))
    with medic.sessions() as session:  # the counts Monitoring reads agree with the matrix
        cells = rollup.buckets(session, start, end - start, 1, model="heart-disease")[0][2:]
    assert cells == [tp, fp, fn, tn]


@pytest.mark.slow
def test_a_regressors_figures_are_summed_over_every_label_changed_or_come_early(
        bike, clock):
    """MAE, RMSE, R² and the trend come from the per-slot sums: exact over every label (no
    sample, however busy), a changed label counted once at its new value, a label stored
    before its row was written counted when the row is, another model's never."""
    rng = np.random.default_rng(11)
    mine = spread(clock.now, rng, 360, back=2 * DAY, model="bike-demand", regressor=True)
    other = spread(clock.now, rng, 200, back=2 * DAY, model="heart-disease", regressor=True)
    labelled = log_and_label(bike, mine[:300] + other, share=0.6, regressor=True)
    ours = [r for r in labelled if r["model"] == "bike-demand"]
    for row in ours[::4]:  # labels corrected: each moves its contribution
        row["truth"] += 75.5
        record_feedback(sessions=bike.sessions, log=PredictionLog(bike.sessions),
                        request_id=row["request_id"], label=row["truth"], model="bike-demand",
                        classifier=False)
    log = PredictionLog(bike.sessions)  # not started: its rows wait until it is closed
    for i, row in enumerate(mine[300:]):
        row["request_id"] = f"early{i}"  # one row's id (a dash would name a batch's row)
        log.add({k: v for k, v in row.items() if k != "truth"})
    for row in mine[300:]:  # each label stored before its prediction's row is written
        assert log.answered(row["request_id"])
        record_feedback(sessions=bike.sessions, log=log, request_id=row["request_id"],
                        label=row["truth"], classifier=False)
    log.close()
    ours += mine[300:]

    view = performance(bike, model="bike-demand", hours=24)

    def scores(rows):
        truth, predicted = [r["truth"] for r in rows], [r["probability"] for r in rows]
        return {"mae": mean_absolute_error(truth, predicted),
                "rmse": mean_squared_error(truth, predicted) ** 0.5,
                "r2": r2_score(truth, predicted)}

    start, end = period_of(clock.now, 24)
    now_rows, old_rows = within(ours, start, end), within(ours, start - 86400, start)
    assert len(now_rows) > 100 and len(old_rows) > 100
    expected, before = scores(now_rows), scores(old_rows)
    for tile in view.metrics:
        assert tile.value == pytest.approx(expected[tile.name], rel=1e-9), tile.name
        assert tile.previous == pytest.approx(before[tile.name], rel=1e-9), tile.name
    assert (view.labelled, view.previous_labelled) == (len(now_rows), len(old_rows))
    assert view.latency.logged == len(within(mine, start, end))
    assert not any("sample" in n or "MAE" in n for n in view.notes)
    assert len(view.pairs.predicted) == len(now_rows)  # the newest rows, as before
    for offset in (0, 1, 2):
        day_start = (rollup.slot(clock.now) // 86400 - offset) * 86400
        day = within(ours, day_start, day_start + 86400)
        assert view.trend.labelled[-1 - offset] == len(day)
        assert view.trend.values[-1 - offset] == pytest.approx(
            scores(day)["mae"], rel=1e-9) if day else view.trend.values[-1 - offset] is None
    month = performance(bike, model="bike-demand", hours=720)
    assert month.labelled == len(ours)
    assert {t.name: t.value for t in month.metrics} == pytest.approx(scores(ours), rel=1e-9)
