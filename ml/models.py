"""Build the four candidate pipelines: LogReg, RandomForest, XGBoost, LightGBM."""

from sklearn.pipeline import Pipeline

from ml.spec import FAMILIES, ModelSpec

CANDIDATES = FAMILIES


def build(name: str, params: dict, seed: int, spec: ModelSpec) -> Pipeline:
    """Return an unfitted pipeline (imputation, then the model) for a candidate."""
    from sklearn.impute import SimpleImputer

    if name == "logreg":
        return Pipeline([("prepare", _scaled_one_hot(spec)), ("model", _logreg(params, seed))])
    impute = SimpleImputer(strategy="median", keep_empty_features=True)
    if name == "random_forest":
        from sklearn.ensemble import RandomForestClassifier

        model = RandomForestClassifier(random_state=seed, n_jobs=1, **params)
    elif name == "xgboost":
        from xgboost import XGBClassifier

        model = XGBClassifier(random_state=seed, n_jobs=1, eval_metric="logloss", **params)
    elif name == "lightgbm":
        from lightgbm import LGBMClassifier

        model = LGBMClassifier(
            random_state=seed, n_jobs=1, deterministic=True, force_row_wise=True,
            verbose=-1, **params,
        )
    else:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(CANDIDATES)}")
    return Pipeline([("impute", impute), ("model", model)])


def _scaled_one_hot(spec: ModelSpec):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = Pipeline(
        [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
    )
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("one_hot", OneHotEncoder(handle_unknown="ignore")),
        ]
    )
    return ColumnTransformer(
        [("numeric", numeric, list(spec.numeric)),
         ("categorical", categorical, list(spec.categorical))]
    )


def _logreg(params: dict, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(random_state=seed, **params)
