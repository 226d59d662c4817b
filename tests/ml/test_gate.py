"""The promotion gate judges on later production rows, the reference hold-out and subgroups."""

import numpy as np
import pytest

from ml import gate, models
from ml.data import features
from ml.heal_config import GateConfig
from ml.schema import LABEL

CONFIG = GateConfig(margin=0.02, reference_tolerance=0.03, subgroup_tolerance=0.10,
                    min_rows=30, min_group_rows=15)


class Knows:
    """A real classifier that answers from the labels of the cases it was shown.

    Cases it knows get their true label, except where `wrong` says to answer the opposite;
    cases it does not know get `otherwise`'s answer.
    """

    def __init__(self, known, *, wrong=lambda frame: np.zeros(len(frame), bool),
                 otherwise=None):
        self._truth = {tuple(np.nan_to_num(r, nan=-1)): y
                       for r, y in zip(features(known).to_numpy(), known[LABEL], strict=True)}
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
    cleveland = load_site(raw, "cleveland").sample(frac=1, random_state=0)
    reference_train, reference = cleveland.iloc[:240], cleveland.iloc[240:]
    champion = models.build("logreg", {"max_iter": 2000}, 0)
    champion.fit(features(reference_train), reference_train[LABEL])
    production = load_site(raw, "hungarian").iloc[150:]
    return champion, reference.reset_index(drop=True), production.reset_index(drop=True)


def test_a_challenger_better_everywhere_is_promoted_with_its_table(sets):
    champion, reference, production = sets
    challenger = Knows(production, otherwise=champion)

    verdict = gate.judge(("1", champion), ("2", challenger), production=production,
                         reference=reference, config=CONFIG)

    assert verdict.decision == "champion"
    assert verdict.score("challenger", "production").f1 == 1.0
    assert {(r.model, r.dataset) for r in verdict.table} == {
        (m, d) for m in ("champion", "challenger") for d in ("production", "reference")}
    assert {r.group for r in verdict.table} == {"all", "female", "male", "age <50",
                                                "age 50-59", "age 60+"}
    assert verdict.score("champion", "production").rows == len(production)
    assert "production F1" in verdict.reason and "female" in gate.render(verdict)


def test_refuses_a_challenger_worse_on_production(sets):
    champion, reference, production = sets
    worse = Knows(production, wrong=lambda x: np.ones(len(x), bool), otherwise=champion)

    verdict = gate.judge(("1", champion), ("2", worse), production=production,
                         reference=reference, config=CONFIG)

    assert verdict.decision == "challenger"
    assert "not better on recent production" in verdict.reason


def test_refuses_better_on_production_when_a_subgroup_breaks(sets):
    champion, reference, production = sets
    unfair = Knows(production, wrong=lambda x: (x["sex"] == 0).to_numpy(), otherwise=champion)

    verdict = gate.judge(("1", champion), ("2", unfair), production=production,
                         reference=reference, config=CONFIG)

    assert verdict.score("challenger", "production").f1 > (
        verdict.score("champion", "production").f1 + CONFIG.margin)
    assert verdict.decision == "challenger"
    assert "subgroup female on production loses" in verdict.reason


def test_refuses_better_on_production_when_the_reference_hold_out_breaks(sets):
    champion, reference, production = sets
    forgetful = Knows(production)  # knows production, answers "no disease" to everyone else

    verdict = gate.judge(("1", champion), ("2", forgetful), production=production,
                         reference=reference, config=CONFIG)

    assert verdict.score("challenger", "production").f1 == 1.0
    assert verdict.decision == "challenger"
    assert "reference hold-out F1 falls" in verdict.reason


def test_too_few_production_rows_keeps_the_challenger_and_says_so(sets):
    champion, reference, production = sets

    verdict = gate.judge(("1", champion), ("2", Knows(production, otherwise=champion)),
                         production=production.head(12), reference=reference, config=CONFIG)

    assert verdict.decision == "challenger"
    assert verdict.reason.startswith("too few labelled production rows to judge: 12 (need 30)")
    assert verdict.score("challenger", "production", "all").rows == 12


