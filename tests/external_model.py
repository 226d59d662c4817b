"""A model trained outside Medic, as its team would build and register it in MLflow.

Shared by the tests of `medic models add`, of serving a model added while running, and
of Medic judging the versions the team registers later (`tests/cli/conftest.py` has the
fixtures: `external_home`, `receiver`).
"""

import numpy as np
import pandas as pd
import yaml

PLANS = ("basic", "plus", "pro")
FEATURES = ["tenure", "spend", "plan"]
SECRET = "team-hook-secret"


def churn_data(path=None, *, rows: int = 400, seed: int = 11) -> pd.DataFrame:
    """Return customers (tenure, spend, a plan by name); churn likelier when new and paying.

    Written to `path` as CSV when given.
    """
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"tenure": rng.integers(1, 60, rows).astype(float),
                          "spend": rng.normal(50, 20, rows).round(1).clip(5, 120),
                          "plan": rng.choice(PLANS, rows)})
    level = frame["plan"].map({plan: n for n, plan in enumerate(PLANS, 1)})
    odds = 0.06 * frame["spend"] - 0.08 * frame["tenure"] - 0.4 * level - 0.5
    frame["churned"] = (odds + rng.normal(0, 1, rows) > 0).astype(int)
    if path is not None:
        frame.to_csv(path, index=False)
    return frame


def logged_elsewhere(settings, frame: pd.DataFrame, registered: str, *,
                     numbers: tuple[str, ...] = ("tenure", "spend"), flipped: bool = False):
    """Fit a plain scikit-learn pipeline (steps Medic never names); register it in MLflow.

    Logged as MLflow logs by default (skops), in the team's own experiment and artifacts;
    each call registers the next version of `registered`. `numbers` are the numeric columns
    it uses (fewer: a weaker model); `flipped` learns the opposite label (a broken model).
    """
    import mlflow
    import mlflow.sklearn
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from ml.registry import tracking

    columns = [("plans", OneHotEncoder(handle_unknown="ignore"), ["plan"])]
    if numbers:
        columns.insert(0, ("scaled", StandardScaler(), list(numbers)))
    label = 1 - frame["churned"] if flipped else frame["churned"]
    pipeline = Pipeline([("columns", ColumnTransformer(columns)),
                         ("clf", LogisticRegression(max_iter=500))]).fit(frame[FEATURES], label)
    tracking.configure(settings)
    found = mlflow.get_experiment_by_name("team-churn")
    experiment = found.experiment_id if found else mlflow.create_experiment(
        "team-churn", artifact_location=(settings.home.parent / "team-artifacts").as_uri())
    with mlflow.start_run(experiment_id=experiment):
        logged = mlflow.sklearn.log_model(pipeline, name="model",
                                          pip_requirements=["scikit-learn"])
    mlflow.register_model(logged.model_uri, registered)
    return pipeline


def draft(medic, tmp_path, hook_url: str):
    """Draft the spec from the data with `medic models init-spec`; the team adds its hook.

    `medic` runs a CLI command and returns its result. Return the data and the spec file.
    """
    frame = churn_data(tmp_path / "churn.csv")
    out = tmp_path / "draft.yaml"
    drafted = medic("models", "init-spec", "--reference", str(tmp_path / "churn.csv"),
                    "--target", "churned", "--name", "churn", "--out", str(out))
    assert drafted.exit_code == 0, drafted.output
    raw = yaml.safe_load(out.read_text())
    raw["training"] = {"external": True, "hook_url": hook_url,
                       "secret_env": "CHURN_HOOK_SECRET", "attempts": 2}
    out.write_text(yaml.safe_dump(raw, sort_keys=False))
    return frame, out
