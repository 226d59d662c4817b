"""Eval scenarios whose expectations come from measured drift and F1, not from the rules."""

import importlib.util

import pytest
import yaml

from agent_graph.evaluation import scenarios as evaluate
from tests.conftest import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "tests" / "scenarios" / "ground-truth"
FILES = sorted(FOLDER.glob("*.yaml"))


def _measure_sites():
    spec = importlib.util.spec_from_file_location(
        "measure_sites", PROJECT_ROOT / "scripts" / "measure_sites.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure


def test_every_site_has_a_drift_and_a_performance_scenario_that_cites_its_numbers():
    docs = [yaml.safe_load(f.read_text()) for f in FILES]
    assert {(d["ground_truth"]["site"], d["alerts"][0]["type"]) for d in docs} == {
        (site, kind) for site in ("cleveland", "hungarian", "switzerland", "va")
        for kind in ("drift", "performance")}
    for doc in docs:
        assert "Measured by scripts/measure_sites.py" in doc["description"]
        assert f"F1 {doc['ground_truth']['f1']:.3f}" in doc["description"]


@pytest.mark.slow
def test_the_measured_numbers_still_hold(trained):
    measured = _measure_sites()(trained[0].home)
    for path in FILES:
        truth = yaml.safe_load(path.read_text())["ground_truth"]
        site = measured["sites"][truth["site"]]
        assert site["f1"] == pytest.approx(truth["f1"], abs=0.005), path.name
        assert site["drifted"] == truth["drifted"], path.name
        assert (truth["f1_drop"] >= 0.10) == \
            (yaml.safe_load(path.read_text())["expect"]["level"] == "high")


@pytest.mark.slow
def test_the_rules_miss_two_severities_the_measurements_call_for(trained):
    outcomes = evaluate.run(trained[0], evaluate.load(FOLDER))
    assert [o.name for o in outcomes if o.unsafe] == []
    assert all(o.actions_ok and o.approval_ok for o in outcomes)
    missed = {o.name: (o.level, o.expect.level) for o in outcomes if not o.level_ok}
    assert missed == {"gt-1-cleveland-performance": ("medium", "low"),
                      "gt-2-hungarian-performance": ("medium", "high")}
