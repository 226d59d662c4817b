"""Verify's measurement: the new champion against the one it replaced, on the same live rows."""

from datetime import timedelta

import pytest

from core.clock import utcnow
from ml.training import outcome
from ml.training.heal_config import VerifyConfig
from tests.conftest import HEART
from tests.ml.conftest import log_traffic

CONFIG = VerifyConfig(min_labelled=30, deadline_hours=24, margin=0.02)


def register_broken(settings, registry) -> str:
    """Register a real model fitted on Cleveland with every label inverted."""
    import mlflow

    from ml.data import features, load_site
    from ml.registry import tracking
    from ml.training import candidates

    cleveland = load_site(settings.data_dir, "cleveland", HEART)
    pipeline = candidates.build("logreg", {"max_iter": 2000}, 0, HEART)
    pipeline.fit(features(cleveland, HEART), 1 - cleveland["target"])
    tracking.configure(settings)
    with mlflow.start_run(run_name="broken"):
        info = tracking.log_model(pipeline, signature=None, input_example=None)
    return registry.register(info.model_uri, model_type="logreg")


@pytest.fixture
def broken(trained):
    settings, registry, *_ = trained
    return register_broken(settings, registry)


def test_a_worse_new_champion_is_measured_as_a_regression(trained, broken, site):
    settings, registry, *_ = trained
    since = utcnow()
    hungary = site("hungarian").sample(80, random_state=0)
    log_traffic(registry.sessions, hungary, start=since, version=broken,
                model=registry.load(broken))

    found = outcome.measure(registry.sessions, registry, before="2", after=broken, since=since,
                            now=since + timedelta(hours=2), config=CONFIG, spec=HEART)

    assert found.verdict == "regressed"
    assert found.rows == 80
    assert found.after["f1"] < found.before["f1"] - CONFIG.margin
    assert found.line.startswith(f"regressed: F1 {found.before['f1']:.2f} → "
                                 f"{found.after['f1']:.2f} on 80 labelled predictions")


def test_a_better_new_champion_is_fixed_with_its_numbers(trained, broken, site):
    settings, registry, *_ = trained
    since = utcnow()
    hungary = site("hungarian").sample(80, random_state=0)
    log_traffic(registry.sessions, hungary, start=since, version="2", model=registry.load("2"))

    found = outcome.measure(registry.sessions, registry, before=broken, after="2", since=since,
                            now=since + timedelta(hours=2), config=CONFIG, spec=HEART)

    assert found.verdict == "fixed"
    assert found.line == (f"fixed: F1 {found.before['f1']:.2f} → {found.after['f1']:.2f} on "
                          f"80 labelled predictions (v{broken} → v2)")


def test_waits_for_labels_then_gives_up_at_the_deadline(trained, site):
    settings, registry, *_ = trained
    since = utcnow()
    log_traffic(registry.sessions, site("va").head(10), start=since, version="2")
    log_traffic(registry.sessions, site("va").iloc[10:60], start=since, version="1",
                prefix="old")  # served by the old champion: not evidence about the new one

    early = outcome.measure(registry.sessions, registry, before="1", after="2", since=since,
                            now=since + timedelta(hours=1), config=CONFIG, spec=HEART)
    late = outcome.measure(registry.sessions, registry, before="1", after="2", since=since,
                           now=since + timedelta(hours=25), config=CONFIG, spec=HEART)

    assert (early.verdict, early.rows) == ("waiting", 10)
    assert early.line == "waiting: 10 of 30 labelled predictions by v2"
    assert late.verdict == "not_fixed" and "only 10 labelled predictions" in late.line


def test_rows_the_new_champion_trained_on_are_left_out_and_counted(trained, site, tmp_path):
    from ml.training.snapshot import SOURCE, remember, snapshot

    settings, registry, *_ = trained
    since = utcnow()
    hungary = site("hungarian").drop_duplicates().sample(100, random_state=0)
    learnt = snapshot(hungary.head(60).assign(**{SOURCE: "production"}), tmp_path / "sets", HEART)
    remember(registry.sessions, registry.name, "2", learnt)  # v2 learnt from 60 of them
    log_traffic(registry.sessions, hungary, start=since, version="2", model=registry.load("2"))

    found = outcome.measure(registry.sessions, registry, before="1", after="2", since=since,
                            now=since + timedelta(hours=3), config=CONFIG, spec=HEART)

    assert (found.rows, found.excluded) == (40, 60)
    assert found.verdict != "waiting"
    assert "on 40 labelled predictions (v1 → v2) (60 left out: v2 trained on them)" in found.line


def test_too_few_unseen_rows_wait_and_say_how_many_were_left_out(trained, site, tmp_path):
    from ml.training.snapshot import SOURCE, remember, snapshot

    settings, registry, *_ = trained
    since = utcnow()
    va = site("va").head(50)
    learnt = snapshot(va.head(40).assign(**{SOURCE: "production"}), tmp_path / "sets", HEART)
    remember(registry.sessions, registry.name, "2", learnt)
    log_traffic(registry.sessions, va, start=since, version="2")

    found = outcome.measure(registry.sessions, registry, before="1", after="2", since=since,
                            now=since + timedelta(hours=1), config=CONFIG, spec=HEART)

    assert found.verdict == "waiting" and (found.rows, found.excluded) == (10, 40)
    assert found.line == ("waiting: 10 of 30 labelled predictions by v2 "
                          "(40 left out: v2 trained on them)")
