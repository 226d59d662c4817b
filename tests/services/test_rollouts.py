"""The rollout's evidence and decision on labelled live rows: the gate's rule, per model."""

from datetime import timedelta

import numpy as np
import pytest

from core import rollouts as records
from core.errors import PolicyError
from core.tables import Feedback, Prediction, ShadowPrediction
from services import rollouts
from services.context import open_medic


def live_rows(medic, model: str, *, truth, champion, challenger, features) -> None:
    """Log rows answered by the champion ("1"), the challenger's ("2") scores in shadow."""
    state = records.read(medic.sessions, model)
    at = state.started_at + timedelta(seconds=1)
    with medic.sessions.begin() as session:
        for i, (label, old, new, row) in enumerate(zip(truth, champion, challenger, features,
                                                       strict=True)):
            rid = f"r{i}"
            session.add(Prediction(model=model, request_id=rid, features=row,
                                   probability=float(old), label=int(old >= 0.5),
                                   model_version="1", latency_ms=1.0, created_at=at))
            session.add(ShadowPrediction(request_id=rid, model=model, version="2",
                                         score=float(new), at=at))
            session.add(Feedback(request_id=rid, model=model, label=int(label),
                                 received_at=at))


def classifier_rows(rows: int, *, champion_right: float, challenger_right: float, seed=0):
    """Labels, then each model's probabilities right on about the given share of rows."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 2, rows)

    def scored(right: float):
        correct = rng.random(rows) < right
        return np.where(correct == (truth == 1), 0.8, 0.2)

    features = [{"sex": int(i % 2), "age": 40 + i % 40} for i in range(rows)]
    return truth, scored(champion_right), scored(challenger_right), features


@pytest.fixture
def medic(settings):
    with open_medic(settings) as opened:
        yield opened


def judged(medic, model: str, **rows):
    records.start(medic.sessions, model, challenger="2", champion="1", actor="tests",
                  reason="", clock=medic.clock)
    live_rows(medic, model, **rows)
    config = rollouts.heal_config(medic, model)
    found = rollouts.evidence(medic, model, config=config)
    return found, rollouts.decide(found, config, now=medic.clock())


def test_a_better_classifier_is_promoted_on_the_same_live_rows(medic):
    truth, old, new, features = classifier_rows(200, champion_right=0.6, challenger_right=0.9)
    found, decision = judged(medic, "heart-disease", truth=truth, champion=old, challenger=new,
                             features=features)
    assert found.rows == found.paired == 200 and found.metric == "f1"
    assert found.challenger_score.value > found.champion_score.value
    assert found.challenger_score.low <= found.challenger_score.value \
        <= found.challenger_score.high
    assert found.improvement.low > 0
    assert {s.group for s in found.segments} == {"female", "male", "age <50", "age 50-59",
                                                 "age 60+"}
    assert decision.decision == "promote"


def test_a_worse_classifier_is_aborted_never_promoted(medic):
    truth, old, new, features = classifier_rows(200, champion_right=0.9, challenger_right=0.6)
    _found, decision = judged(medic, "heart-disease", truth=truth, champion=old,
                              challenger=new, features=features)
    assert decision.decision == "abort"


def test_too_few_labelled_rows_stay_undecided_and_say_so_past_the_deadline(medic):
    truth, old, new, features = classifier_rows(10, champion_right=0.5, challenger_right=1.0)
    found, decision = judged(medic, "heart-disease", truth=truth, champion=old, challenger=new,
                             features=features)
    assert decision.decision == "undecided" and "10 labelled" in decision.reason
    config = rollouts.heal_config(medic, "heart-disease")
    late = found.started_at + timedelta(hours=config.gate.collect_hours + 1)
    assert rollouts.decide(found, config, now=late).past_deadline


def test_a_regressor_is_judged_by_its_own_metric(medic):
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 500, 300)
    seasons = ["winter", "spring", "summer", "fall"]
    features = [{"season": seasons[i % 4], "workingday": "Yes" if i % 3 else "No"}
                for i in range(300)]
    found, decision = judged(medic, "bike-demand", truth=truth,
                             champion=truth + rng.normal(0, 80, 300),
                             challenger=truth + rng.normal(0, 20, 300), features=features)
    assert found.metric == "mae" and not found.higher_is_better
    assert found.challenger_score.value < found.champion_score.value
    assert 0 < found.agreement < 1  # within the gate's 5 rentals on some rows only
    assert {s.group for s in found.segments} >= {"winter", "day off"}
    assert decision.decision == "promote"


def test_stage_changes_are_compare_and_set(medic):
    state = records.start(medic.sessions, "heart-disease", challenger="2", champion="1",
                          actor="tests", reason="", clock=medic.clock)
    assert records.start(medic.sessions, "heart-disease", challenger="2", champion="1",
                         actor="tests", reason="", clock=medic.clock) == state  # idempotent
    with pytest.raises(PolicyError):
        records.start(medic.sessions, "heart-disease", challenger="3", champion="1",
                      actor="tests", reason="", clock=medic.clock)
    moved = records.change(medic.sessions, "heart-disease", expected=state.revision,
                           stage="canary", share=0.2, actor="a", reason="")
    with pytest.raises(PolicyError):  # a second writer that read the same revision
        records.change(medic.sessions, "heart-disease", expected=state.revision,
                       stage="aborted", actor="b", reason="")
    ended = records.change(medic.sessions, "heart-disease", expected=moved.revision,
                           stage="aborted", actor="b", reason="")
    assert ended.share == 0 and ended.stage == "aborted"
    with pytest.raises(PolicyError):  # a finished rollout goes nowhere
        records.change(medic.sessions, "heart-disease", expected=ended.revision,
                       stage="promoted", actor="c", reason="")


def test_a_canary_routes_the_same_key_the_same_way_and_about_its_share():
    from ml.serving.shadow import bucket

    keys = [f"caller-{i}" for i in range(2000)]
    places = [bucket("heart-disease", key) for key in keys]
    assert places == [bucket("heart-disease", key) for key in keys]  # sticky
    assert 0.08 < sum(p < 0.1 for p in places) / len(keys) < 0.12
    assert places != [bucket("bike-demand", key) for key in keys]  # each model its own draw


def test_the_rollout_cache_keeps_the_last_rollout_while_the_database_is_away(medic):
    from sqlalchemy.exc import OperationalError

    from core.rollouts import RolloutCache

    state = records.start(medic.sessions, "heart-disease", challenger="2", champion="1",
                          actor="tests", reason="", clock=medic.clock)
    now, down = [0.0], [False]

    def sessions():
        if down[0]:
            raise OperationalError("SELECT", {}, Exception("connection refused"))
        return medic.sessions()

    cache = RolloutCache(sessions, monotonic=lambda: now[0])
    assert cache.get("heart-disease") == state
    down[0], now[0] = True, 5.0
    assert cache.get("heart-disease") == state  # predictions go on, still shadowed
