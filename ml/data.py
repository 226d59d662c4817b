"""Load a model's data files as its spec describes them (header or not, missing markers)."""

import csv
import logging
from pathlib import Path

import pandas as pd

from core.errors import BadValues, DataFileMissing, EmptyData, WrongColumns
from ml.spec import ModelSpec

log = logging.getLogger(__name__)

LABEL = "target"  # a classifier's mapped label column (the spec's `target.label` rule)
SITES = {
    "cleveland": "processed.cleveland.data",
    "hungarian": "processed.hungarian.data",
    "switzerland": "processed.switzerland.data",
    "va": "processed.va.data",
}


def load(path: Path | str, spec: ModelSpec, *, source: str | None = None) -> pd.DataFrame:
    """Read one file into a typed frame, missing markers as missing.

    The file is comma-separated, either headerless in the spec's column order or with a
    header row naming the spec's columns (all of them, or those without the target, for
    unlabelled traffic). A classifier's frame gains its binary `target` column when the
    target is present. Errors name the file as `source` (default: its path) and never
    repeat its content.
    """
    path = Path(path)
    source = source or str(path)
    if not path.is_file():
        raise DataFileMissing(f"{source}: no such file")
    if path.stat().st_size == 0:
        raise EmptyData(f"{source}: the file is empty")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except UnicodeDecodeError as error:
        raise BadValues(f"{source}: not UTF-8 text") from error
    except csv.Error as error:
        raise BadValues(f"{source}: not a comma-separated file") from error
    if not rows:
        raise EmptyData(f"{source}: the file holds no rows")
    return frame_from_rows(rows, spec, source=source)


def layout(spec: ModelSpec) -> list[str]:
    """Return every column of the model's files in order: as read, or features then target."""
    return list(spec.reference.read.columns) or [
        *([spec.reference.time_column] if spec.reference.time_column else []),
        *spec.feature_names, spec.target.name]


def frame_from_rows(rows: list[list[str]], spec: ModelSpec, *, source: str) -> pd.DataFrame:
    """Turn CSV rows (with or without a header) into a typed frame."""
    full = layout(spec)
    described = {*spec.feature_names, spec.reference.time_column}
    unlabelled = [c for c in full if c in described]
    header = [cell.strip() for cell in rows[0]]
    has_header = bool(set(header) & set(full))
    first_line = 2 if has_header else 1
    if has_header:
        columns, body = header, rows[1:]
        if columns not in (full, unlabelled):
            missing = [c for c in unlabelled if c not in columns]
            extra = [c for c in columns if c not in full]
            expected = [c for c in full if c in columns]
            raise WrongColumns(  # names only columns Medic knows: a header cell may be a secret
                f"{source}: columns do not match the {spec.name} layout"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; {len(extra)} unexpected column(s)" if extra else "")
                + ("" if missing or extra else f"; expected order {', '.join(expected)}")
            )
    elif spec.reference.read.header:
        raise WrongColumns(f"{source}: no header row naming the {spec.name} columns")
    else:
        columns, body = full, rows
    if not body:
        raise EmptyData(f"{source}: the file has a header but no rows")
    for number, row in enumerate(body, start=first_line):
        if len(row) != len(columns):
            raise WrongColumns(
                f"{source}: line {number} has {len(row)} fields, expected {len(columns)}"
            )
    frame = pd.DataFrame(body, columns=columns).apply(lambda s: s.str.strip())
    frame = frame.replace(dict.fromkeys(spec.reference.read.missing, None))
    for name in columns:
        frame[name] = _typed(frame[name], name, spec, source, first_line)
    for column in spec.columns:
        if column.missing_values and column.name in frame:
            frame.loc[frame[column.name].isin(column.missing_values), column.name] = None
    if spec.target.name in frame and spec.target.label:
        frame[LABEL] = spec.labels(frame[spec.target.name])
    return frame


def _typed(values: pd.Series, name: str, spec: ModelSpec, source: str,
           first_line: int) -> pd.Series:
    """Return a column as floats, dates or text: as the spec describes it (others as read)."""
    if name == spec.reference.time_column:
        dates = pd.to_datetime(values, errors="coerce", format="ISO8601")
        _refuse_unreadable(values, dates, name, "a date", source, first_line)
        return dates
    known = {c.name: c for c in spec.columns}
    if name in known and not known[name].is_numeric_valued:
        return values.astype("object")
    converted = pd.to_numeric(values, errors="coerce")
    if name not in known and (values.notna() & converted.isna()).any():
        return values.astype("object")  # a column the spec does not use: kept as written
    _refuse_unreadable(values, converted, name, "a number", source, first_line)
    return converted.astype("float64")


def _refuse_unreadable(values: pd.Series, converted: pd.Series, name: str, kind: str,
                       source: str, first_line: int) -> None:
    bad = values.notna() & converted.isna()
    if bad.any():
        line = int(bad.idxmax()) + first_line
        what = "non-numeric value" if kind == "a number" else f"value that is not {kind}"
        raise BadValues(f"{source}: column {name!r} holds a {what} (line {line})")


def reference(spec: ModelSpec, data_dir: Path) -> pd.DataFrame:
    """Load the model's reference data (rows before `until`, for a dated spec), in order."""
    ref = spec.reference
    frame = load(Path(data_dir) / ref.file, spec, source=ref.file)
    if ref.time_column is not None:
        if ref.until is not None:
            frame = frame[frame[ref.time_column] < pd.Timestamp(ref.until)]
        frame = frame.sort_values(ref.time_column, kind="stable").reset_index(drop=True)
    return frame


def load_site(data_dir: Path, site: str, spec: ModelSpec) -> pd.DataFrame:
    """Load one of the four UCI heart-disease sites from the data folder."""
    if site not in SITES:
        raise DataFileMissing(f"unknown site {site!r}; choose from {', '.join(SITES)}")
    return load(Path(data_dir) / SITES[site], spec)


def features(frame: pd.DataFrame, spec: ModelSpec) -> pd.DataFrame:
    """Return the model's feature columns in its input order."""
    return frame.loc[:, list(spec.feature_names)]
