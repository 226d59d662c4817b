"""Describe a model as data: `configs/models/<name>.yaml`, validated by `ModelSpec`.

A spec names a model's columns, its target and how labels map, the reference data and how
to split it, the subgroups the gate checks, its training recipe (or `training: external`),
its gate and monitor thresholds in the task's own metrics, and how late labels arrive.
No code names a model's columns, metric or thresholds: a new model is a spec and a dataset.
"""

import logging
import operator
import re
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from core.errors import ConfigError

log = logging.getLogger(__name__)

Task = Literal["binary_classification", "regression"]
Value = float | str
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
LABEL_RULE = re.compile(r"^\s*(\w+)\s*(>=|<=|==|!=|>|<)\s*(-?[\d.]+|\w+)\s*$")
COMPARISONS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
               "==": operator.eq, "!=": operator.ne}
FAMILIES = ("logreg", "random_forest", "xgboost", "lightgbm")
CLASSIFICATION_METRICS = ("f1", "accuracy", "roc_auc", "precision", "recall")
REGRESSION_METRICS = ("mae", "rmse", "r2")
LOWER_IS_BETTER = ("mae", "rmse")
GATE_METRICS = ("f1", "accuracy", "mae", "rmse")  # the gate's paired bootstrap knows these


def higher_is_better(metric: str) -> bool:
    """Return False for an error metric (MAE, RMSE), True for a score."""
    return metric not in LOWER_IS_BETTER


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Feature(_Strict):
    """One input column: its meaning, its kind and the values it may hold."""

    name: str
    description: str = ""
    kind: Literal["numeric", "categorical"]
    range: tuple[float, float] | None = None
    """Numeric: the lowest and highest value the data may hold."""
    categories: tuple[Value, ...] = ()
    """Categorical: every value the data may hold."""
    max_missing: float = Field(0.0, ge=0, le=1)
    """The share of missing values the reference data may hold."""
    missing_values: tuple[Value, ...] = ()
    """Values that mean "missing" in this column (e.g. a cholesterol of 0)."""
    mean: tuple[float, float] | None = None
    """Numeric or 0/1: the bounds the reference data's mean must fall in."""

    @property
    def is_categorical(self) -> bool:
        """Return True for a column whose values come from a fixed set."""
        return self.kind == "categorical"

    @property
    def required(self) -> bool:
        """Return True when a request must carry it: the reference allows no missing value."""
        return self.max_missing == 0

    @property
    def is_numeric_valued(self) -> bool:
        """Return True when every value is a number (numeric, or categories all numbers)."""
        return not any(isinstance(c, str) for c in self.categories)

    @model_validator(mode="after")
    def _kind_fits(self) -> "Feature":
        if self.is_categorical and not self.categories:
            raise ValueError(f"categorical feature {self.name!r} needs categories")
        if not self.is_categorical and self.categories:
            raise ValueError(f"numeric feature {self.name!r} takes a range, not categories")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"feature {self.name!r}: range low is above high")
        return self


class Target(Feature):
    """The column the model predicts, and (classifiers) how its values become labels."""

    label: str | None = None
    """Classifiers: the rule that makes a value the positive class, e.g. `num > 0`."""


class Reading(_Strict):
    """How the reference file is written."""

    header: bool = True
    """False: a headerless file whose columns are `columns`, in order."""
    columns: tuple[str, ...] = ()
    """Every column of the file in order; needed without a header."""
    missing: tuple[str, ...] = ("",)
    """Cell texts that mean "missing"."""


class Split(_Strict):
    """How the reference data is split into training and held-out rows."""

    test_size: float = Field(0.2, gt=0, lt=0.5)
    seed: int = 42
    stratify: bool = False
    """Classifiers: keep the class shares equal in both parts."""
    time_column: str | None = None
    """Order by this column and hold out the latest rows, instead of a seeded shuffle."""


class ReferenceData(_Strict):
    """The data the model is trained and judged on, and how to read and split it."""

    file: str
    """A file under the data folder (`MEDIC_DATA_DIR`), e.g. `processed.cleveland.data`."""
    name: str = ""
    """A short name for runs and training-set sources; default: the file's stem."""
    read: Reading = Reading()
    time_column: str | None = None
    """A date column: accepted with each row, orders rows, never a feature."""
    until: str | None = None
    """With `time_column`: only rows before this date (ISO) are the reference."""
    split: Split = Split()

    @model_validator(mode="before")
    @classmethod
    def _named(cls, data):
        if isinstance(data, dict) and not data.get("name") and isinstance(data.get("file"), str):
            return {**data, "name": Path(data["file"]).stem}
        return data


class Band(_Strict):
    """One band of a numeric segment: low <= value < high."""

    name: str
    low: float
    high: float


class Segment(_Strict):
    """A subgroup split the gate checks: a column's values, or numeric bands."""

    column: str
    values: dict[str, Value] = Field(default_factory=dict)
    """Group name -> the column value that selects it."""
    bands: tuple[Band, ...] = ()

    @model_validator(mode="after")
    def _one_way(self) -> "Segment":
        if bool(self.values) == bool(self.bands):
            raise ValueError(f"segment {self.column!r} needs either values or bands")
        return self


class Training(_Strict):
    """The training recipe: candidate families with their settings, CV and selection."""

    families: dict[str, dict] = Field(min_length=1)
    """Family name -> its hyper-parameters (e.g. logreg, random_forest, xgboost, lightgbm)."""
    cv_folds: int = Field(5, ge=2, le=10)
    selection_metric: str
    """The candidate with the best mean cross-validated score on this metric wins."""
    min_metric: float
    """Below this on the held-out split (in the selection metric), nothing is registered."""
    promotion_tolerance: float = Field(0.0, ge=0)


class ExternalTraining(_Strict):
    """A model trained elsewhere whose retrain is asked of its team's pipeline by a webhook.

    Written `training: {external: true, hook_url: …, secret_env: NAME}`; plain
    `training: external` is a model trained elsewhere with no hook. The secret itself is
    never in the spec: `secret_env` names the environment variable that holds it.
    """

    external: Literal[True]
    hook_url: Annotated[str, Field(max_length=2000)]
    """Where `ml.training.hook.request_retrain` POSTs its signed request (http or https)."""
    secret_env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    """The environment variable holding the HMAC secret both sides share."""
    timeout_seconds: float = Field(10.0, gt=0, le=120)
    """How long one attempt may take."""
    attempts: int = Field(3, ge=1, le=10)
    """Tries before the request counts as failed (a 5xx, a timeout or no answer is retried)."""

    @field_validator("hook_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        """Accept an http(s) address with a host: the hook is POSTed there, nowhere else."""
        if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
            raise ValueError("an http:// or https:// address, such as "
                             "https://ci.example.com/hooks/retrain")
        return value


class Gate(_Strict):
    """The promotion gate's metric and tolerances, in the task's own metric."""

    metric: str
    reference_tolerance: float = Field(ge=0)
    subgroup_tolerance: float = Field(ge=0)
    verify_margin: float | None = Field(None, ge=0)
    """The smallest change verify counts as a change, in the metric's units (default:
    `verify.margin` of configs/retrain.yaml, which is in F1 points)."""


class Rollout(_Strict):
    """How a challenger runs beside the champion on live traffic (`docs/rollout.md`)."""

    sticky_field: str | None = None
    """A canary routes by this request field's value (e.g. a patient id); None: by caller key."""
    agreement_tolerance: float | None = Field(None, ge=0)
    """Regressors: two predictions agree within this (the target's units); None: the gate's
    `reference_tolerance`. Classifiers agree when they answer the same class."""
    canary_max_errors: int = Field(3, ge=1)
    """A canary whose challenger raised this many times in one process is aborted."""
    canary_latency_ratio: float = Field(3.0, gt=1)
    """A canary whose challenger scores this many times slower than the champion (median
    of the last `canary_latency_rows` scored rows) is aborted."""
    canary_latency_rows: int = Field(200, ge=10)


class Performance(_Strict):
    """When live labelled performance warns and is critical, in the task's own metric."""

    metric: str
    warning: float
    critical: float


class Thresholds(_Strict):
    """One monitor's own warning and critical levels for this model."""

    warning: float
    critical: float


class Monitoring(_Strict):
    """The model's own monitor thresholds; windows and hysteresis are the same for every model.

    `performance` applies to every monitor of kind `performance` in `configs/monitors.yaml`
    (its metric and levels); `thresholds` overrides the levels of any other monitor by its
    name, e.g. `data_drift: {warning: 0.3, critical: 0.5}`.
    """

    performance: Performance
    thresholds: dict[str, Thresholds] = {}


def _training_kind(value) -> str:
    """Tell a recipe from an external model's hook: the mapping says `external`."""
    if isinstance(value, dict):
        return "external" if "external" in value else "recipe"
    return "external" if isinstance(value, ExternalTraining) else "recipe"


class ModelSpec(_Strict):
    """Everything Medic knows about one model, read from `configs/models/<name>.yaml`."""

    name: Annotated[str, Field(pattern=NAME.pattern)]
    description: str = ""
    task: Task
    target: Target
    features: tuple[Feature, ...] = Field(min_length=1)
    reference: ReferenceData
    segments: tuple[Segment, ...] = ()
    training: Annotated[Annotated[Training, Tag("recipe")]
                        | Annotated[ExternalTraining, Tag("external")],
                        Discriminator(_training_kind)] | None
    """The recipe Medic trains with; `external` in the file (None here): trained elsewhere;
    an `ExternalTraining` mapping: trained elsewhere, retrained through its hook."""
    gate: Gate
    monitoring: Monitoring
    rollout: Rollout = Rollout()
    label_delay_hours: float | None = Field(None, ge=0)
    """How long after a prediction its label usually arrives; None: unknown."""
    registry_name: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")] \
        = None
    """The registered model's name in MLflow; default: the spec's name (see `registry_name`)."""

    @cached_property
    def feature_names(self) -> tuple[str, ...]:
        """Return the features' names, in the model's input order."""
        return tuple(f.name for f in self.features)

    @cached_property
    def categorical(self) -> tuple[str, ...]:
        """Return the categorical features' names."""
        return tuple(f.name for f in self.features if f.is_categorical)

    @cached_property
    def numeric(self) -> tuple[str, ...]:
        """Return the numeric features' names."""
        return tuple(f.name for f in self.features if not f.is_categorical)

    @property
    def label(self) -> str:
        """Return the column training and judging read: `target` (mapped) or the target."""
        return "target" if self.target.label else self.target.name

    @property
    def columns(self) -> tuple[Feature, ...]:
        """Return every described column: the features, then the target."""
        return (*self.features, self.target)

    def column(self, name: str) -> Feature:
        """Return one described column by name."""
        return next(c for c in self.columns if c.name == name)

    def labels(self, values):
        """Map target values to labels: the `label` rule for a classifier, as-is otherwise."""
        if not self.target.label:
            return values
        _column, comparison, threshold = LABEL_RULE.match(self.target.label).groups()
        compare = COMPARISONS[comparison]
        try:
            bound: Value = float(threshold)
        except ValueError:
            bound = threshold
        return compare(values, bound).astype("int64")

    @property
    def external(self) -> bool:
        """Return True for a model trained outside Medic (`training: external`, or a hook)."""
        return not isinstance(self.training, Training)

    @property
    def hook(self) -> ExternalTraining | None:
        """Return where an external model's retrain is requested, if its spec says."""
        return self.training if isinstance(self.training, ExternalTraining) else None

    @field_validator("training", mode="before")
    @classmethod
    def _external(cls, value):
        if value == "external":
            return None
        if value is None:
            raise ValueError("give a recipe, or `external` for a model trained elsewhere")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "ModelSpec":
        names = [f.name for f in self.features]
        if len(set(names)) != len(names):
            raise ValueError("features: a name appears twice")
        if self.target.name in names:
            raise ValueError(f"target: {self.target.name!r} is also a feature")
        metrics = CLASSIFICATION_METRICS if self.task == "binary_classification" \
            else REGRESSION_METRICS
        used = [("gate.metric", self.gate.metric),
                ("monitoring.performance.metric", self.monitoring.performance.metric)]
        if isinstance(self.training, Training):
            used.append(("training.selection_metric", self.training.selection_metric))
            if self.task == "binary_classification" and not 0 <= self.training.min_metric <= 1:
                raise ValueError("training.min_metric: a classifier's metric is between 0 and 1")
            if self.task == "regression" and "logreg" in self.training.families:
                raise ValueError("training.families: logreg is a classifier")
            unknown = set(self.training.families) - set(FAMILIES)
            if unknown:
                raise ValueError(f"training.families: unknown {', '.join(sorted(unknown))}; "
                                 f"Medic trains {', '.join(FAMILIES)}")
        if self.gate.metric not in GATE_METRICS:
            raise ValueError(f"gate.metric: the gate judges by {', '.join(GATE_METRICS)}")
        for where, metric in used:
            if metric not in metrics:
                raise ValueError(f"{where}: {metric!r} is not a {self.task} metric "
                                 f"({', '.join(metrics)})")
        performance = self.monitoring.performance
        if higher_is_better(performance.metric) and performance.critical > performance.warning:
            raise ValueError(f"monitoring.performance: critical must be at or below warning "
                             f"({performance.metric}: higher is better)")
        if not higher_is_better(performance.metric) \
                and performance.critical < performance.warning:
            raise ValueError(f"monitoring.performance: critical must be at or above warning "
                             f"({performance.metric}: lower is better)")
        if self.task == "binary_classification":
            rule = LABEL_RULE.match(self.target.label or "")
            if rule is None or rule.group(1) != self.target.name:
                raise ValueError(f"target.label: a classifier needs a rule on "
                                 f"{self.target.name!r}, such as '{self.target.name} > 0'")
        elif self.target.label:
            raise ValueError("target.label: a regressor predicts the target as it is")
        known = {*names, self.target.name, self.reference.time_column}
        for segment in self.segments:
            if segment.column not in known:
                raise ValueError(f"segments: {segment.column!r} is not a feature")
        sticky = self.rollout.sticky_field
        if sticky is not None and sticky not in known - {self.target.name}:
            raise ValueError(f"rollout.sticky_field: {sticky!r} is not a request field (a "
                             "feature or reference.time_column)")
        if not self.reference.read.header:
            missing = known - {None} - set(self.reference.read.columns)
            if missing:
                raise ValueError(f"reference.read.columns: a headerless file needs every "
                                 f"column; missing {', '.join(sorted(missing))}")
        time_column = self.reference.split.time_column
        if time_column is not None and time_column != self.reference.time_column:
            raise ValueError("reference.split.time_column: must be reference.time_column")
        return self


def load(path: Path | str) -> ModelSpec:
    """Read and validate one spec file; a bad spec raises ConfigError naming the field.

    The file is read every time, its text parsed only when it is new (`_parsed`): a console
    page reads every spec several times, and parsing is what costs (6–7 ms a spec).
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path.name}: no such model spec")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path.name}: not YAML ({type(error).__name__})") from error
    return _parsed(text, path.name)


@lru_cache(maxsize=64)
def _parsed(text: str, source: str) -> ModelSpec:
    """Return the spec a file named `source` holds as `text` (frozen: safe to share)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{source}: not YAML ({type(error).__name__})") from error
    spec = parse(raw, source)
    if spec.name != Path(source).stem:
        raise ConfigError(f"{source}: name: {spec.name!r} differs from the file's name")
    return spec


def parse(raw: object, source: str) -> ModelSpec:
    """Validate a spec read from `source` (a file's name); ConfigError names the bad field."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a model spec is a mapping of fields")
    try:
        return ModelSpec.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(f"{source}: {_first(error)}") from None


def _first(error: ValidationError) -> str:
    """Return the first problem as `field.path: message`, one line."""
    problem = error.errors()[0]
    loc = [str(p) for p in problem["loc"] if not str(p).startswith("function-")]
    if loc[:1] == ["training"] and loc[1:2] in (["recipe"], ["external"]):
        del loc[1]  # the kind of `training` pydantic tried, not a field of the file
    where = ".".join(loc)
    message = problem["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def registry_name(settings, spec: ModelSpec) -> str:
    """Return the name `spec` is registered under in MLflow.

    The default model keeps `MEDIC_MODEL_NAME` (existing homes keep their registry); any
    other model its spec's `registry_name`, else its own name.
    """
    if spec.name == settings.default_model:
        return settings.model_name
    return spec.registry_name or spec.name


def every(settings) -> list[ModelSpec]:
    """Return every readable spec, the default model's first; a broken one is logged, skipped.

    The default model's spec must read (ConfigError otherwise): it is what `of` returns.
    """
    default = of(settings)
    found = [default]
    for name in names(settings.models_dir):
        if name != default.name:
            try:
                found.append(of(settings, name))
            except ConfigError as error:
                log.error("model spec skipped: %s", error)
    return found


def names(folder: Path) -> list[str]:
    """Return the names of the specs in a folder, sorted."""
    return sorted(p.stem for p in Path(folder).glob("*.yaml"))


@cache
def default() -> ModelSpec:
    """Return the default model's spec (`MEDIC_DEFAULT_MODEL`), read once per process."""
    from core.settings import ModelChoice

    return of(ModelChoice())


def of(settings, name: str | None = None) -> ModelSpec:
    """Return the spec of `name` (default: the settings' default model) from the models folder."""
    name = name or settings.default_model
    folder = Path(settings.models_dir)
    if not (folder / f"{name}.yaml").is_file():
        known = ", ".join(names(folder)) or "none"
        raise ConfigError(f"unknown model {name!r}; known: {known}")
    return load(folder / f"{name}.yaml")
