"""Build the candidate pipelines: LogReg, RandomForest, XGBoost, LightGBM (regressors too)."""

from sklearn.pipeline import Pipeline

from ml.spec import FAMILIES, ModelSpec

CANDIDATES = FAMILIES


def build(name: str, params: dict, seed: int, spec: ModelSpec) -> Pipeline:
    """Return an unfitted pipeline (imputation, then the model) for a candidate.

    A regressor's pipeline encodes the spec's columns itself (text categories one-hot,
    a missing category as its own value), so callers send rows as the data has them.
    """
    from sklearn.impute import SimpleImputer

    if spec.task == "regression":
        return Pipeline([("prepare", _encoded(spec)), ("model", _regressor(name, params, seed))])
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


def _encoded(spec: ModelSpec):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import OneHotEncoder

    return ColumnTransformer(
        [("numeric", SimpleImputer(strategy="median", keep_empty_features=True),
          list(spec.numeric)),
         ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
          list(spec.categorical))])


def _regressor(name: str, params: dict, seed: int):
    if name == "random_forest":
        from sklearn.ensemble import RandomForestRegressor

        return RandomForestRegressor(random_state=seed, n_jobs=1, **params)
    if name == "xgboost":
        from xgboost import XGBRegressor

        return XGBRegressor(random_state=seed, n_jobs=1, **params)
    if name == "lightgbm":
        from lightgbm import LGBMRegressor

        return LGBMRegressor(random_state=seed, n_jobs=1, deterministic=True,
                             force_row_wise=True, verbose=-1, **params)
    raise ValueError(f"no regressor {name!r}; choose from random_forest, xgboost, lightgbm")


def _logreg(params: dict, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(random_state=seed, **params)
