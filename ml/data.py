"""Load UCI heart-disease files as the documentation describes them."""

import csv
import logging
from pathlib import Path

import pandas as pd

from core.errors import BadValues, DataFileMissing, EmptyData, WrongColumns
from ml.schema import COLUMN_NAMES, FEATURE_NAMES, LABEL, TARGET

log = logging.getLogger(__name__)

SITES = {
    "cleveland": "processed.cleveland.data",
    "hungarian": "processed.hungarian.data",
    "switzerland": "processed.switzerland.data",
    "va": "processed.va.data",
}


def load(path: Path | str, *, source: str | None = None) -> pd.DataFrame:
    """Read one file into a frame of floats, with `?` and `chol` = 0 as missing.

    The file is comma-separated, either headerless in the UCI column order or with a
    header row naming the 14 columns (or the 13 features, for unlabelled traffic).
    The frame gains a binary `target` column (num 1-4 -> 1) when `num` is present.
    Errors name the file as `source` (default: its path) and never repeat its content.
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
    return frame_from_rows(rows, source=source)


def frame_from_rows(rows: list[list[str]], *, source: str) -> pd.DataFrame:
    """Turn CSV rows (with or without a header) into a typed frame."""
    header = [cell.strip() for cell in rows[0]]
    has_header = bool(set(header) & set(COLUMN_NAMES))
    first_line = 2 if has_header else 1
    if has_header:
        columns, body = header, rows[1:]
        expected = [c for c in COLUMN_NAMES if c in columns]
        if columns not in (list(COLUMN_NAMES), list(FEATURE_NAMES)):
            missing = [c for c in COLUMN_NAMES if c not in columns and c != TARGET]
            extra = [c for c in columns if c not in COLUMN_NAMES]
            raise WrongColumns(  # names only columns Medic knows: a header cell may be a secret
                f"{source}: columns do not match the UCI layout"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; {len(extra)} unexpected column(s)" if extra else "")
                + ("" if missing or extra else f"; expected order {', '.join(expected)}")
            )
    else:
        columns, body = list(COLUMN_NAMES), rows
    if not body:
        raise EmptyData(f"{source}: the file has a header but no rows")
    for number, row in enumerate(body, start=first_line):
        if len(row) != len(columns):
            raise WrongColumns(
                f"{source}: line {number} has {len(row)} fields, expected {len(columns)}"
            )
    frame = pd.DataFrame(body, columns=columns).apply(lambda s: s.str.strip())
    frame = frame.replace({"?": None, "": None})
    for name in columns:
        converted = pd.to_numeric(frame[name], errors="coerce")
        bad = frame[name].notna() & converted.isna()
        if bad.any():
            line = int(bad.idxmax()) + first_line
            raise BadValues(f"{source}: column {name!r} holds a non-numeric value (line {line})")
        frame[name] = converted.astype("float64")
    frame.loc[frame["chol"] == 0, "chol"] = float("nan")
    if TARGET in frame:
        frame[LABEL] = (frame[TARGET] > 0).astype("int64")
    return frame


def load_site(data_dir: Path, site: str) -> pd.DataFrame:
    """Load one of the four UCI sites from the data folder."""
    if site not in SITES:
        raise DataFileMissing(f"unknown site {site!r}; choose from {', '.join(SITES)}")
    return load(Path(data_dir) / SITES[site])


def features(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the 13 feature columns in the model's order."""
    return frame.loc[:, list(FEATURE_NAMES)]
