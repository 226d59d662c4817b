"""Find the evidence an alert names: a file inside the evidence folder, or a prediction window.

An alert is untrusted input: the file it names must resolve (after symlinks) inside the
one configured folder. Every refusal reads the same, so it tells nothing about which
paths exist, and no error repeats what a file holds.
"""

import logging
from pathlib import Path

from pydantic import BaseModel, Field

from core.errors import DataError
from tools.context import ToolContext

log = logging.getLogger(__name__)

MIN_ROWS = 30  # fewer rows than this is no basis for a drift test or an F1
REFUSED = "evidence file refused: name a readable file inside the evidence folder"


class DataArgs(BaseModel):
    """Evidence to measure: a file in the evidence folder, or a window of the prediction log."""

    model_config = {"extra": "forbid"}
    data_path: str | None = Field(None, min_length=1, max_length=1000)
    window_minutes: int | None = Field(None, ge=1, le=7 * 24 * 60)


def confined(folder: Path, given: str) -> Path | None:
    """Return the file `given` names (relative to the folder, or absolute) if it lies inside."""
    try:
        root = Path(folder).resolve(strict=True)
        path = (root / given).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def load(context: ToolContext, args: DataArgs):
    """Return (frame, where) for the evidence, or (None, why not)."""
    from ml import data
    from ml.serving.prediction_log import window

    if args.data_path:
        path = confined(context.evidence_dir, args.data_path)
        if path is None:
            log.warning("refused evidence path outside %s", context.evidence_dir)
            return None, REFUSED
        name = path.relative_to(Path(context.evidence_dir).resolve()).as_posix()
        try:
            return (data.load(path, context.spec, source=f"evidence file {name}"),
                    f"evidence file {name}")
        except DataError as error:
            return None, str(error)
    if args.window_minutes:
        frame = window(context.sessions, args.window_minutes, spec=context.spec)
        if len(frame) < MIN_ROWS:
            return None, (f"only {len(frame)} predictions in the last "
                          f"{args.window_minutes} min (need {MIN_ROWS})")
        return frame, f"the last {args.window_minutes} min of predictions"
    return None, "no evidence given"
