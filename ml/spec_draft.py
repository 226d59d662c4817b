"""Draft a model spec from a data file, for a person to review (`medic models init-spec`).

The draft reads what the data shows: each column's kind (a date column becomes the time
column; numbers with a few whole values and text with few values become categories), its
range or categories, and its share of missing values. It cannot know what a column means,
how late labels arrive or which thresholds matter: those fields are drafted from the data's
own baseline and marked for review.
"""

import csv
import math
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import yaml

from core.errors import BadValues, DataFileMissing, EmptyData, WrongColumns
from ml.spec import ModelSpec, Task

MISSING = ("", "?", "NA", "N/A", "NaN", "nan", "null", "None")
MAX_CATEGORIES = 30  # more distinct texts than this: an identifier or free text, not a feature
FEW_NUMBERS = 10  # whole numbers with at most this many values are codes, not quantities
CLASSIFIER_FAMILIES = ("logreg", "random_forest", "xgboost", "lightgbm")
REGRESSOR_FAMILIES = ("random_forest", "xgboost", "lightgbm")


def draft(path: Path, *, target: str, name: str, task: Task | None = None,
          data_dir: Path | None = None) -> tuple[dict, list[str]]:
    """Return a spec drafted from the CSV at `path`, and notes on what to review."""
    frame, header = _read(path)
    if target not in frame:
        raise WrongColumns(f"{path.name}: no column {target!r} to predict")
    notes: list[str] = []
    time_column = next((c for c in frame if c != target and _dates(frame[c]) is not None), None)
    features, skipped = [], []
    for column in frame:
        if column in (target, time_column):
            continue
        described = _column(column, frame[column])
        if described is None:
            skipped.append(column)
        else:
            features.append(described)
    if skipped:
        notes.append(f"left out (too many distinct texts for a category): {', '.join(skipped)}")
    if not features:
        raise BadValues(f"{path.name}: no column besides {target!r} can be a feature")
    y = frame[target]
    task = task or ("binary_classification" if y.dropna().nunique() == 2 else "regression")
    spec = {"name": name, "description": f"Predicts {target} (drafted from {path.name}).",
            "task": task, "target": _target(target, y, task), "features": features,
            "reference": _reference(path, header, time_column, task, data_dir)}
    categorical = [f["name"] for f in features if f["kind"] == "categorical"
                   and len(f["categories"]) <= 5]
    if categorical:
        spec["segments"] = [{"column": categorical[0],
                             "values": {str(v): v for v in _feature(features, categorical[0])}}]
    spec |= _thresholds(task, y)
    ModelSpec.model_validate(spec)  # the draft itself must load
    notes.append("remove any feature known only with the target (a part of it, a later "
                 "measurement)")
    notes.append("review the thresholds: drafted from this data's own baseline")
    return spec, notes


def render(spec: dict, notes: list[str], source: Path) -> str:
    """Return the draft as YAML, headed by what was read and what to review."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    head = [f"# Drafted by `medic models init-spec` from {source.name} on {stamp}.",
            "# Review every field before use: meanings, ranges, thresholds, label delay."]
    head += [f"# - {note}" for note in notes]
    return "\n".join(head) + "\n" + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True,
                                                   width=100)


def _read(path: Path) -> tuple[pd.DataFrame, list[str]]:
    if not path.is_file():
        raise DataFileMissing(f"{path.name}: no such file")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=list(MISSING),
                            skipinitialspace=True)
    except UnicodeDecodeError as error:
        raise BadValues(f"{path.name}: not UTF-8 text") from error
    except (pd.errors.ParserError, csv.Error) as error:
        raise BadValues(f"{path.name}: not a comma-separated file") from error
    except pd.errors.EmptyDataError as error:
        raise EmptyData(f"{path.name}: the file is empty") from error
    if frame.empty:
        raise EmptyData(f"{path.name}: the file has a header but no rows")
    return frame, [h.strip() for h in header]


def _dates(values: pd.Series) -> pd.Series | None:
    """Return the column as dates when every value present reads as an ISO date."""
    present = values.dropna()
    if present.empty or pd.to_numeric(present, errors="coerce").notna().any():
        return None
    dates = pd.to_datetime(present, errors="coerce", format="ISO8601")
    return dates if dates.notna().all() else None


def _missing_share(values: pd.Series) -> float:
    """Round the observed missing share up to the next 5%, so the reference itself passes."""
    share = values.isna().mean()
    return 0.0 if share == 0 else min(1.0, math.ceil(share * 20 + 1e-9) / 20)


def _column(name: str, values: pd.Series) -> dict | None:
    numbers = pd.to_numeric(values, errors="coerce")
    present = values.dropna()
    described: dict = {"name": name}
    if numbers[values.notna()].notna().all():
        whole = (numbers.dropna() % 1 == 0).all()
        distinct = sorted(numbers.dropna().unique())
        if whole and len(distinct) <= FEW_NUMBERS:
            described |= {"kind": "categorical", "categories": [_plain(v) for v in distinct]}
        else:
            described |= {"kind": "numeric",
                          "range": [_plain(numbers.min()), _plain(numbers.max())]}
    elif present.nunique() <= MAX_CATEGORIES:
        described |= {"kind": "categorical", "categories": sorted(present.unique())}
    else:
        return None
    described = {"name": name, "description": _observed(values, described), **described}
    if share := _missing_share(values):
        described["max_missing"] = share
    return described


def _observed(values: pd.Series, described: dict) -> str:
    """Say what the data showed, as the description a person then rewrites."""
    missing = f", {values.isna().mean():.1%} missing" if values.isna().any() else ""
    if described["kind"] == "numeric":
        low, high = described["range"]
        return f"seen: numbers {low} to {high}{missing}"
    return f"seen: {len(described['categories'])} values{missing}"


def _feature(features: list[dict], name: str) -> list:
    return next(f["categories"] for f in features if f["name"] == name)


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _target(name: str, y: pd.Series, task: Task) -> dict:
    numbers = pd.to_numeric(y, errors="coerce")
    described = {"name": name, "description": "the value to predict"}
    if task == "regression":
        if numbers[y.notna()].isna().any():
            raise BadValues(f"target {name!r} holds text: a regressor predicts numbers")
        return described | {"kind": "numeric",
                            "range": [_plain(numbers.min()), _plain(numbers.max())]}
    values = y.dropna()
    if numbers[y.notna()].notna().all():
        categories = [_plain(v) for v in sorted(numbers.dropna().unique())]
        rule = f"{name} > {categories[0]}"  # the lowest value is the negative class
    else:
        categories = sorted(values.unique())
        rarest = values.value_counts().idxmin()
        rule = f"{name} == {rarest}"  # the rarer class is the one to find
    return described | {"kind": "categorical", "categories": categories, "label": rule}


def _reference(path: Path, header: list[str], time_column: str | None, task: Task,
               data_dir: Path | None) -> dict:
    file = path.resolve()
    if data_dir is not None and file.is_relative_to(Path(data_dir).resolve()):
        file = file.relative_to(Path(data_dir).resolve())
    reference: dict = {"file": str(file), "read": {"header": True, "columns": header,
                                                   "missing": list(MISSING)}}
    if time_column is not None:
        reference["time_column"] = time_column
        reference["split"] = {"time_column": time_column, "test_size": 0.2}
    else:
        reference["split"] = {"seed": 42, "test_size": 0.2,
                              "stratify": task == "binary_classification"}
    return reference


def _thresholds(task: Task, y: pd.Series) -> dict:
    """Draft the recipe and thresholds: fixed F1 bars, or MAE against a constant guess."""
    if task == "binary_classification":
        return {"training": {"selection_metric": "f1", "min_metric": 0.7,
                             "families": {f: {} for f in CLASSIFIER_FAMILIES}},
                "gate": {"metric": "f1", "reference_tolerance": 0.03,
                         "subgroup_tolerance": 0.1},
                "monitoring": {"performance": {"metric": "f1", "warning": 0.7,
                                               "critical": 0.6}}}
    numbers = pd.to_numeric(y, errors="coerce").dropna()
    constant = float((numbers - numbers.median()).abs().mean())  # MAE of always the median
    baseline = round(constant, 3)
    return {"training": {"selection_metric": "mae", "min_metric": baseline,
                         "families": {f: {} for f in REGRESSOR_FAMILIES}},
            "gate": {"metric": "mae", "reference_tolerance": round(0.05 * constant, 3),
                     "subgroup_tolerance": round(0.15 * constant, 3)},
            "monitoring": {"performance": {"metric": "mae", "warning": baseline,
                                           "critical": round(1.25 * constant, 3)}}}
