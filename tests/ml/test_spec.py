"""Model specs: the shipped ones load; a bad one is refused in one line naming the field."""

import pytest
import yaml

from core.errors import ConfigError
from core.settings import PROJECT_ROOT
from ml import spec
from tests.conftest import make_settings

MODELS = PROJECT_ROOT / "configs" / "models"


def _written(tmp_path, change) -> "spec.Path":
    """Write the heart-disease spec, changed by `change(raw)`, into a temporary folder."""
    raw = yaml.safe_load((MODELS / "heart-disease.yaml").read_text())
    change(raw)
    path = tmp_path / f"{raw.get('name', 'heart-disease')}.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_heart_disease_spec_describes_the_uci_columns():
    heart = spec.load(MODELS / "heart-disease.yaml")
    assert heart.task == "binary_classification"
    assert len(heart.features) == 13 and heart.target.name == "num"
    assert heart.column("chol").missing_values == (0,)
    assert heart.column("cp").categories == (1, 2, 3, 4)
    assert heart.training.selection_metric == "f1" and heart.training.min_metric == 0.75
    assert [s.column for s in heart.segments] == ["sex", "age"]


@pytest.mark.parametrize(("change", "named"), [
    (lambda r: r.update(task="ranking"), "task:"),
    (lambda r: r["features"][3].update(range=[240, 60]),
     "features.3: feature 'trestbps': range low is above high"),
    (lambda r: r["features"][1].pop("categories"),
     "features.1: categorical feature 'sex' needs categories"),
    (lambda r: r["gate"].update(metric="mae"), "gate.metric: 'mae' is not a "
                                               "binary_classification metric"),
    (lambda r: r["target"].pop("label"), "target.label: a classifier needs a rule on 'num'"),
    (lambda r: r["segments"].append({"column": "height", "values": {"tall": 1}}),
     "segments: 'height' is not a feature"),
    (lambda r: r.update(rollout={"sticky_field": "patient"}),
     "rollout.sticky_field: 'patient' is not a request field"),
    (lambda r: r["training"].pop("min_metric"), "training.min_metric: Field required"),
    (lambda r: r.update(colour="red"), "colour: Extra inputs are not permitted"),
    (lambda r: r["reference"]["read"]["columns"].remove("thal"),
     "reference.read.columns: a headerless file needs every column; missing thal"),
])
def test_a_wrong_field_is_named_in_one_line(tmp_path, change, named):
    with pytest.raises(ConfigError) as error:
        spec.load(_written(tmp_path, change))
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"heart-disease.yaml: {named}")


def test_a_spec_named_unlike_its_file_is_refused(tmp_path):
    path = _written(tmp_path, lambda r: None)
    path.rename(tmp_path / "other.yaml")
    with pytest.raises(ConfigError, match="other.yaml: name: 'heart-disease' differs"):
        spec.load(tmp_path / "other.yaml")


def test_external_training_is_allowed_and_a_missing_recipe_is_not(tmp_path):
    external = spec.load(_written(tmp_path, lambda r: r.update(training="external")))
    assert external.external and external.training is None
    with pytest.raises(ConfigError, match="training: .*external"):
        spec.load(_written(tmp_path, lambda r: r.update(training=None)))


def test_an_unknown_model_lists_the_known_ones(tmp_path):
    settings = make_settings(tmp_path / "medic")
    assert spec.of(settings).name == "heart-disease"
    with pytest.raises(ConfigError, match=r"unknown model 'nope'; known: .*heart-disease"):
        spec.of(settings, "nope")


def test_label_rule_maps_target_values():
    import pandas as pd

    heart = spec.load(MODELS / "heart-disease.yaml")
    assert heart.labels(pd.Series([0.0, 1.0, 4.0])).tolist() == [0, 1, 1]


def test_the_gate_judges_by_the_models_own_metric_and_tolerances():
    from ml.training.heal_config import HealConfig

    retrain = PROJECT_ROOT / "configs" / "retrain.yaml"
    heart = HealConfig.for_model(retrain, spec.load(MODELS / "heart-disease.yaml")).gate
    bike = HealConfig.for_model(retrain, spec.load(MODELS / "bike-demand.yaml")).gate
    assert (heart.metric, heart.reference_tolerance, heart.subgroup_tolerance) == \
        ("f1", 0.03, 0.10)
    assert (bike.metric, bike.reference_tolerance, bike.subgroup_tolerance) == ("mae", 5, 15)
    assert heart.samples == bike.samples == 2000  # the rest is the same for every model


def test_a_spec_is_parsed_once_and_read_again_when_its_file_changes(tmp_path):
    path = _written(tmp_path, lambda r: None)
    first = spec.load(path)
    assert spec.load(path) is first  # the same text: the parsed spec is shared (frozen)
    changed = _written(tmp_path, lambda r: r["training"].update(min_metric=0.8))
    assert changed == path
    assert spec.load(path).training.min_metric == 0.8  # a changed file is parsed again
    path.write_text("name: [unclosed")
    with pytest.raises(ConfigError, match="not YAML"):
        spec.load(path)
    _written(tmp_path, lambda r: None)
    assert spec.load(path) == first  # back as it was: the first text's spec again
