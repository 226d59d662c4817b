"""Train the spec's candidates, select the best by its metric, register behind a promotion gate."""

import logging
import time
from collections.abc import Callable

from pydantic import BaseModel

from core.errors import BelowMinimumF1
from core.settings import PROJECT_ROOT, Settings
from ml import data
from ml import spec as specs
from ml.registry import tracking
from ml.registry.aliases import Registry
from ml.training import candidates as models
from ml.training import evaluate, gate, lineage
from ml.training import retrain as retraining
from ml.training.config import TrainingConfig

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]


class CandidateResult(BaseModel):
    """How one candidate scored."""

    name: str
    run_id: str
    cv: dict[str, float]
    test: dict[str, float]


class TrainingResult(BaseModel):
    """What a training run produced and decided."""

    parent_run_id: str
    candidates: list[CandidateResult]
    best: str
    version: str | None = None
    decision: str  # "champion", "challenger" or "rejected"
    reason: str
    champion_test_score: float | None = None
    """The champion's held-out score it was compared on, in `champion_test_metric`."""
    champion_test_metric: str | None = None
    data_version: str
    seconds: float
    training_set: dict | None = None
    """Remediation retrains: the snapshotted set's hash and rows per source."""
    gate: dict | None = None
    """Remediation retrains: the production gate's verdict and table."""


def run(settings: Settings, registry: Registry, *, progress: Progress | None = None,
        actor: str = "medic train", production=None,
        spec: specs.ModelSpec | None = None) -> TrainingResult:
    """Run the whole pipeline; raise BelowMinimumF1 when nothing is good enough.

    With `production` (a `retraining.ProductionData`), its earlier labelled rows join the
    training share and its later ones judge the new version in the promotion gate.
    """
    import mlflow

    step = progress or (lambda _message, _fraction: None)
    spec = spec or specs.of(settings)
    config = TrainingConfig.from_settings(settings, spec)
    min_f1 = config.min_f1
    started = time.perf_counter()
    step("loading and validating data", 0.0)
    frame = data.reference(spec, settings.data_dir)
    report = _validated(frame, spec, settings, source=config.site)
    x_train, x_test, y_train, y_test = split(frame, config, spec)
    training_set = None
    if production is not None:
        x_train, y_train, training_set = retraining.assemble(x_train, y_train, config.site,
                                                             production, spec)
    tracking.configure(settings)
    data_version = lineage.dvc_dir_hash(settings.data_dir)
    with mlflow.start_run(run_name=f"train-{config.site}") as parent:
        mlflow.log_params({"site": config.site, "seed": config.seed, "min_f1": min_f1,
                           "test_size": config.test_size, "cv_folds": config.cv_folds,
                           "data_version": data_version})
        mlflow.set_tags({"data_version": data_version,
                         "git_commit": lineage.git_commit(PROJECT_ROOT)})
        if training_set is not None:
            mlflow.log_params(training_set.params())
            mlflow.set_tags({"training_set_md5": training_set.md5, "retrain": "production"})
        mlflow.log_dict(report.model_dump(mode="json"), "validation/report.json")
        candidates = []
        for index, name in enumerate(config.models):
            share = 0.7 / len(config.models)
            at = 0.1 + share * index
            candidates.append(_train_one(
                name, config, spec, x_train, y_train, x_test, y_test,
                lambda message, done, at=at, share=share: step(message, at + share * done)))
        sign = 1 if specs.higher_is_better(config.selection_metric) else -1
        best = max(candidates, key=lambda c: sign * c.cv[config.selection_metric])
        mlflow.set_tag("best_model", best.name)
        step("registering", 0.85)
        if production is None:
            result = _register(best, registry, config, min_f1, x_test, y_test, actor, spec)
        else:
            result = retraining.register(best, registry, production, spec, min_f1=min_f1,
                                         x_test=x_test, y_test=y_test, actor=actor,
                                         training_set=training_set,
                                         metric_name=config.selection_metric)
            result["training_set"] = training_set.model_dump()
        result.update(parent_run_id=parent.info.run_id, candidates=candidates,
                      data_version=data_version, seconds=time.perf_counter() - started)
        mlflow.set_tag("decision", result["decision"])
        if result.get("champion_test_score") is not None:
            mlflow.log_metric(f"champion_test_{result['champion_test_metric']}",
                              result["champion_test_score"])
    step("done", 1.0)
    outcome = TrainingResult(**result)
    if outcome.decision == "rejected":
        raise BelowMinimumF1(outcome.reason)
    return outcome


def _validated(frame, spec: specs.ModelSpec, settings: Settings, source: str):
    from core.errors import ValidationFailed
    from ml.validation import default_report_path, validate

    report = validate(frame, spec, source=source)
    report.save(default_report_path(settings.home, source))
    if not report.success:
        failed = "; ".join(f"{c.column or 'table'}: {c.expectation}" for c in report.failed)
        raise ValidationFailed(f"training data {source} failed validation: {failed}")
    return report


def split(frame, config: TrainingConfig, spec: specs.ModelSpec):
    """Split features and labels into training and held-out parts, as every run does.

    A spec split by time holds out the latest rows; otherwise a seeded shuffle, stratified
    by label when the spec asks.
    """
    from sklearn.model_selection import train_test_split

    x, y = data.features(frame, spec), frame[spec.label]
    if spec.reference.split.time_column is not None:
        order = frame[spec.reference.split.time_column].argsort(kind="stable").to_numpy()
        cut = len(frame) - round(len(frame) * config.test_size)
        train, test = order[:cut], order[cut:]
        return x.iloc[train], x.iloc[test], y.iloc[train], y.iloc[test]
    return train_test_split(
        x, y, test_size=config.test_size,
        stratify=y if spec.reference.split.stratify else None, random_state=config.seed,
    )


REGRESSION_SCORING = {"mae": "neg_mean_absolute_error", "rmse": "neg_root_mean_squared_error",
                      "r2": "r2"}


def _cross_validate(name, pipeline, config: TrainingConfig, spec: specs.ModelSpec, x_train,
                    y_train, step: Progress) -> dict[str, float]:
    """Score the candidate fold by fold (the same folds and numbers as one call), saying which.

    A classifier: stratified shuffled folds. A regressor on a time-ordered reference: each
    fold is judged on rows later than those it fitted (time-series folds); else shuffled.
    """
    from sklearn.model_selection import KFold, StratifiedKFold, TimeSeriesSplit, cross_validate

    if spec.task == "binary_classification":
        folds = StratifiedKFold(config.cv_folds, shuffle=True, random_state=config.seed)
        scoring = {m: m for m in evaluate.METRICS}
    else:
        folds = TimeSeriesSplit(config.cv_folds) if spec.reference.split.time_column \
            else KFold(config.cv_folds, shuffle=True, random_state=config.seed)
        scoring = REGRESSION_SCORING
    scores: dict[str, list[float]] = {m: [] for m in scoring}
    for fold, split in enumerate(folds.split(x_train, y_train)):
        step(f"{name}: fold {fold + 1} of {config.cv_folds}", fold / (config.cv_folds + 2))
        cv = cross_validate(pipeline, x_train, y_train, cv=[split], scoring=scoring)
        for metric_name, scorer in scoring.items():
            value = float(cv[f"test_{metric_name}"][0])
            scores[metric_name].append(-value if scorer.startswith("neg_") else value)
    return {m: sum(values) / len(values) for m, values in scores.items()}


def _train_one(name, config: TrainingConfig, spec: specs.ModelSpec, x_train, y_train, x_test,
               y_test, step: Progress):
    import mlflow
    from mlflow.models import infer_signature

    params = config.models[name]
    pipeline = models.build(name, params, config.seed, spec)
    cv_means = _cross_validate(name, pipeline, config, spec, x_train, y_train, step)
    step(f"{name}: fitting on the training set", config.cv_folds / (config.cv_folds + 2))
    pipeline.fit(x_train, y_train)
    classifier = spec.task == "binary_classification"
    predicted = gate.predictions(pipeline, x_test)
    test = evaluate.scores(y_test, predicted) if classifier \
        else evaluate.regression_scores(y_test, predicted)
    step(f"{name}: logging to MLflow", (config.cv_folds + 1) / (config.cv_folds + 2))
    with mlflow.start_run(run_name=name, nested=True) as child:
        mlflow.log_params({"model": name, **params})
        mlflow.log_metrics({f"cv_{k}": v for k, v in cv_means.items()})
        mlflow.log_metrics({f"test_{k}": v for k, v in test.items()})
        if classifier:
            for file_name, figure in evaluate.figures(y_test, predicted, name).items():
                mlflow.log_figure(figure, f"plots/{file_name}")
        output = pipeline.predict_proba(x_test) if classifier else pipeline.predict(x_test)
        info = tracking.log_model(pipeline, signature=infer_signature(x_test, output),
                                  input_example=x_train.head(3),
                                  predict_fn="predict_proba" if classifier else "predict")
        mlflow.set_tag("model_uri", info.model_uri)
    import matplotlib.pyplot as plt

    plt.close("all")
    chosen = config.selection_metric
    log.info("%s: cv %s %.3f, test %s %.3f", name, chosen, cv_means[chosen], chosen,
             test[chosen])
    return CandidateResult(name=name, run_id=child.info.run_id, cv=cv_means, test=test)


def _register(best: CandidateResult, registry: Registry, config, min_f1, x_test, y_test,
              actor, spec: specs.ModelSpec) -> dict:
    admitted = retraining.admit(best, registry, min_f1=min_f1, actor=actor,
                                metric_name=config.selection_metric)
    if admitted.result is not None:
        return admitted.result
    chosen, version, champion = config.selection_metric, admitted.version, admitted.champion
    name, mine = chosen.upper(), best.test[chosen]
    theirs = gate.predictions(registry.load(champion.version), x_test)
    champion_f1 = (evaluate.scores(y_test, theirs) if spec.task == "binary_classification"
                   else evaluate.regression_scores(y_test, theirs))[chosen]
    sign = 1 if specs.higher_is_better(chosen) else -1
    if sign * (mine - champion_f1) >= -config.promotion_tolerance:
        reason = (f"{best.name} {name} {mine:.3f} {'>=' if sign > 0 else '<='} champion "
                  f"v{champion.version} {name} {champion_f1:.3f} on the same held-out data")
        registry.promote(version, expected=champion.version, actor=actor, reason=reason)
        decision = "champion"
    else:
        reason = (f"{best.name} {name} {mine:.3f} {'<' if sign > 0 else '>'} champion "
                  f"v{champion.version} {name} {champion_f1:.3f} on the same held-out data; "
                  "kept as challenger")
        registry.set_challenger(version, actor=actor, reason=reason)
        decision = "challenger"
    return {"best": best.name, "version": version, "decision": decision, "reason": reason,
            "champion_test_score": champion_f1, "champion_test_metric": chosen}

