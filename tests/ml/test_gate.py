"""The promotion gate judges with a bootstrap interval on later rows, the hold-out and subgroups."""

import numpy as np
import pytest
from pydantic import ValidationError

from ml.data import LABEL, features
from ml.training import bootstrap, candidates, gate
from ml.training.heal_config import GateConfig
from tests.conftest import HEART

CONFIG = GateConfig(reference_tolerance=0.03, subgroup_tolerance=0.10,
                    min_rows=30, min_group_rows=15)


class Knows:
    """A real classifier that answers from the labels of the cases it was shown.

    Cases it knows get their true label, except where `wrong` says to answer the opposite;
    cases it does not know get `otherwise`'s answer.
    """

    def __init__(self, known, *, wrong=lambda frame: np.zeros(len(frame), bool),
                 otherwise=None):
        self._truth = {tuple(np.nan_to_num(r, nan=-1)): y
                       for r, y in zip(features(known, HEART).to_numpy(), known[LABEL],
                                       strict=True)}
        self._wrong, self._otherwise = wrong, otherwise

    def predict_proba(self, x):
        keys = [tuple(np.nan_to_num(r, nan=-1)) for r in x.to_numpy()]
        fallback = (self._otherwise.predict_proba(x)[:, 1] if self._otherwise is not None
                    else np.zeros(len(x)))
        answer = np.array([self._truth.get(k, f) for k, f in zip(keys, fallback, strict=True)],
                          dtype=float)
        flip = np.asarray(self._wrong(x))
        answer[flip] = 1 - np.round(answer[flip])
        return np.column_stack([1 - answer, answer])


@pytest.fixture(scope="module")
def sets():
    """A Cleveland-trained champion, Cleveland's hold-out, and later Hungarian rows."""
    from core.settings import PROJECT_ROOT
    from ml.data import load_site

    raw = PROJECT_ROOT / "data" / "raw"
    cleveland = load_site(raw, "cleveland", HEART).sample(frac=1, random_state=0)
    reference_train, reference = cleveland.iloc[:240], cleveland.iloc[240:]
    champion = candidates.build("logreg", {"max_iter": 2000}, 0, HEART)
    champion.fit(features(reference_train, HEART), reference_train[LABEL])
    production = load_site(raw, "hungarian", HEART).iloc[150:]
    return champion, reference.reset_index(drop=True), production.reset_index(drop=True)


def test_a_challenger_better_everywhere_is_promoted_with_its_table(sets):
    champion, reference, production = sets
    challenger = Knows(production, otherwise=champion)

    verdict = gate.judge(("1", champion), ("2", challenger), production=production,
                         reference=reference, config=CONFIG, spec=HEART)

    assert verdict.decision == "champion" and verdict.verdict == "promoted"
    assert verdict.score("challenger", "production").value == 1.0
    assert {(r.model, r.dataset) for r in verdict.table} == {
        (m, d) for m in ("champion", "challenger") for d in ("production", "reference")}
    assert {r.group for r in verdict.table} == {"all", "female", "male", "age <50",
                                                "age 50-59", "age 60+"}
    assert verdict.score("champion", "production").rows == len(production)
    assert "production F1" in verdict.reason and "female" in gate.render(verdict)
    assert "F1/AUC" in gate.render(verdict)


def test_refuses_a_challenger_worse_on_production(sets):
    champion, reference, production = sets
    worse = Knows(production, wrong=lambda x: np.ones(len(x), bool), otherwise=champion)

    verdict = gate.judge(("1", champion), ("2", worse), production=production,
                         reference=reference, config=CONFIG, spec=HEART)

    assert verdict.decision == "challenger" and verdict.verdict == "refused"
    assert verdict.reason.startswith("refused: worse on recent production")
    assert verdict.interval.high < 0


def test_refuses_better_on_production_when_a_subgroup_breaks(sets):
    champion, reference, production = sets
    unfair = Knows(production, wrong=lambda x: (x["sex"] == 0).to_numpy(), otherwise=champion)

    verdict = gate.judge(("1", champion), ("2", unfair), production=production,
                         reference=reference, config=CONFIG, spec=HEART)

    assert verdict.interval.low > 0  # better overall, with confidence
    assert verdict.decision == "challenger" and verdict.verdict == "refused"
    assert "subgroup female on production loses" in verdict.reason


def test_refuses_better_on_production_when_the_reference_hold_out_breaks(sets):
    champion, reference, production = sets
    forgetful = Knows(production)  # knows production, answers "no disease" to everyone else

    verdict = gate.judge(("1", champion), ("2", forgetful), production=production,
                         reference=reference, config=CONFIG, spec=HEART)

    assert verdict.score("challenger", "production").value == 1.0
    assert verdict.decision == "challenger" and verdict.verdict == "refused"
    assert "reference hold-out F1 worsens" in verdict.reason


def test_a_small_judging_set_clearly_better_promotes_with_the_interval_recorded(sets):
    champion, reference, production = sets
    small = production.sample(40, random_state=1).reset_index(drop=True)

    verdict = gate.judge(("1", champion), ("2", Knows(small, otherwise=champion)),
                         production=small, reference=reference, config=CONFIG, spec=HEART)

    assert verdict.verdict == "promoted" and verdict.decision == "champion"
    interval = verdict.interval
    assert (interval.metric, interval.rows, interval.confidence) == ("f1", 40, 0.9)
    assert 0 < interval.low <= interval.improvement <= interval.high
    assert interval.improvement == pytest.approx(interval.challenger - interval.champion)
    assert "90% interval" in verdict.reason and "on 40 rows" in verdict.reason
    assert "improvement: F1" in gate.render(verdict)


def test_a_tie_stays_challenger_collecting_rows_not_refused(sets):
    champion, reference, production = sets
    similar = candidates.build("logreg", {"max_iter": 2000, "C": 0.05}, 0, HEART)
    similar.fit(*_cleveland_training())

    verdict = gate.judge(("1", champion), ("2", similar), production=production,
                         reference=reference, config=CONFIG, spec=HEART)

    assert verdict.verdict == "undecided" and verdict.decision == "challenger"
    assert verdict.reason.startswith("undecided: collecting rows — cannot yet tell")
    assert verdict.interval.low < 0 < verdict.interval.high
    assert verdict.interval.rows == len(production)


def test_the_same_rows_give_the_same_interval(sets):
    champion, reference, production = sets
    challenger = Knows(production.head(60), otherwise=champion)

    first, second = (gate.judge(("1", champion), ("2", challenger), production=production,
                                reference=reference, config=CONFIG, spec=HEART) for _ in range(2))

    assert first.interval == second.interval


def _cleveland_training():
    from core.settings import PROJECT_ROOT
    from ml.data import load_site

    cleveland = load_site(PROJECT_ROOT / "data" / "raw", "cleveland", HEART).sample(frac=1,
                                                                           random_state=0)
    return features(cleveland.iloc[:240], HEART), cleveland.iloc[:240][LABEL]


class Guesses:
    """A real regressor: the patient's age, off by noise of a given spread."""

    def __init__(self, spread: float, seed: int) -> None:
        self._spread, self._seed = spread, seed

    def predict(self, x):
        noise = np.random.default_rng(self._seed).normal(0, self._spread, len(x))
        return x["age"].to_numpy() + noise


@pytest.mark.parametrize("name", ["mae", "rmse"])
def test_a_lower_is_better_metric_promotes_the_smaller_error_and_refuses_the_larger(sets,
                                                                                     name):
    _, reference, production = sets
    ages = {"production": production.head(40).assign(**{LABEL: lambda f: f["age"] * 1.0}),
            "reference": reference.assign(**{LABEL: lambda f: f["age"] * 1.0})}
    config = CONFIG.model_copy(update={"metric": name, "reference_tolerance": 5.0,
                                       "subgroup_tolerance": 5.0})
    rough, close = Guesses(spread=6.0, seed=1), Guesses(spread=1.0, seed=2)

    better = gate.judge(("1", rough), ("2", close), production=ages["production"],
                        reference=ages["reference"], config=config, spec=HEART)
    worse = gate.judge(("1", close), ("2", rough), production=ages["production"],
                       reference=ages["reference"], config=config, spec=HEART)

    assert better.verdict == "promoted"
    assert better.interval.challenger < better.interval.champion  # smaller error
    assert better.interval.low > 0 and better.interval.higher_is_better is False
    assert worse.verdict == "refused" and worse.interval.high < 0
    assert better.score("challenger", "production").roc_auc is None
    assert f"{name.upper()} " in gate.render(better)


def test_the_bootstrap_measures_a_lower_is_better_metric_as_an_improvement():
    truth = np.arange(50, dtype=float)
    found = bootstrap.paired(truth, truth + 4, truth + np.tile([1.0, -1.0], 25),
                             bootstrap.metric("mae"), confidence=0.9, samples=500, seed=3)

    assert (found.champion, found.challenger, found.improvement) == (4.0, 1.0, 3.0)
    assert found.low == found.high == 3.0


def test_an_unknown_metric_is_refused_naming_the_known_ones():
    with pytest.raises(ValidationError, match="unknown metric 'auc'; known: f1, accuracy, "
                                              "mae, rmse"):
        GateConfig(metric="auc")
    for name in bootstrap.METRICS:  # the config checks names without importing the bootstrap
        assert GateConfig(metric=name).metric == name


def test_too_few_production_rows_keeps_the_challenger_collecting_rows(sets):
    champion, reference, production = sets

    verdict = gate.judge(("1", champion), ("2", Knows(production, otherwise=champion)),
                         production=production.head(12), reference=reference, config=CONFIG,
                         spec=HEART)

    assert verdict.decision == "challenger" and verdict.verdict == "undecided"
    assert verdict.reason.startswith("undecided: collecting rows — 12 labelled production "
                                     "rows to judge on, 30 needed")
    assert verdict.interval is None
    assert verdict.score("challenger", "production", "all").rows == 12
