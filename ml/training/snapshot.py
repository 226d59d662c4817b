"""Snapshot a training set to a versioned file tracked by DVC, named by its hash."""

import logging
from functools import lru_cache
from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from ml.spec import ModelSpec
from ml.training.lineage import file_md5

log = logging.getLogger(__name__)

SOURCE = "source"  # the column naming where each row came from
REMOTE = "medic"  # the remote's name in the training-set repository's DVC config


class TrainingSet(BaseModel):
    """One snapshotted training set: where it lies, its DVC md5, and its composition."""

    path: str
    md5: str
    rows: int
    composition: dict[str, int]

    def params(self) -> dict[str, str | int]:
        """Return MLflow params naming the set: its hash and rows per source."""
        return {"training_set_md5": self.md5, "training_set_rows": self.rows,
                **{f"rows_{source}": count for source, count in self.composition.items()}}


def snapshot(frame: pd.DataFrame, folder: Path, spec: ModelSpec, *,
             remote: str = "") -> TrainingSet:
    """Write features, label and source to `folder`, `dvc add` it there, return its record.

    The file name carries the content hash, so each distinct set is its own version and
    writing the same set twice changes nothing. With a `remote` (any DVC URL: a folder,
    s3://…), the folder's sets are pushed there.
    """
    columns = [*spec.feature_names, spec.label, SOURCE]
    text = frame.loc[:, columns].to_csv(index=False, float_format="%.6g", lineterminator="\n")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / "staging.csv"
    staging.write_text(text)
    md5 = file_md5(staging)
    path = folder / f"training-set-{md5[:12]}.csv"
    staging.replace(path)
    _dvc_add(folder, path, remote)
    composition = {str(k): int(v) for k, v in frame[SOURCE].value_counts(sort=False).items()}
    log.info("training set %s: %d rows %s", path.name, len(frame), composition)
    return TrainingSet(path=str(path), md5=md5, rows=len(frame), composition=composition)


def _dvc_add(folder: Path, path: Path, remote: str) -> None:
    """Track the file with DVC in its own repository (no git needed); push it to `remote`."""
    from dvc.repo import Repo

    if not (folder / ".dvc").is_dir():
        repo = Repo.init(str(folder), no_scm=True)
        with repo.config.edit() as config:
            config["core"]["analytics"] = False
        repo.close()
    with Repo(str(folder)) as repo:
        repo.add(str(path))
    if remote:
        _push(folder, path.name, remote)


def _push(folder: Path, name: str, url: str) -> None:
    """Push the folder's sets to `url`, made its default remote (kept in step with the setting).

    A push that fails (a URL DVC refuses, a plugin missing, the remote unreachable, no
    credentials) is logged and the set stays in the local cache: a retrain does not
    depend on the remote, and the next push sends every set the remote lacks.
    """
    from dvc.exceptions import DvcException
    from dvc.repo import Repo

    try:
        with Repo(str(folder)) as repo:
            if (repo.config["remote"].get(REMOTE, {}).get("url"),
                    repo.config["core"].get("remote")) != (url, REMOTE):
                with repo.config.edit() as config:
                    config["remote"][REMOTE] = {"url": url}
                    config["core"]["remote"] = REMOTE
        with Repo(str(folder)) as repo:  # opened afresh: the push reads the remote just set
            pushed = repo.push()
    except ImportError as error:  # the URL's scheme needs a plugin, e.g. dvc-s3
        log.warning("training set %s kept locally: %s", name, error)
    except (DvcException, OSError) as error:  # its message may carry the URL: kind only
        log.warning("training set %s kept locally: push to the DVC remote failed (%s)",
                    name, type(error).__name__)
    else:
        log.info("pushed %d file(s) to the DVC remote %s", pushed, REMOTE)


def remember(sessions, model: str, version: str, training_set: TrainingSet) -> None:
    """Store which training set a registered version learnt from (beside the version)."""
    from core.tables import VersionTrainingSet

    with sessions.begin() as session:
        session.merge(VersionTrainingSet(model=model, version=str(version),
                                         path=training_set.path, md5=training_set.md5,
                                         rows=training_set.rows))


def recorded(sessions, model: str, version: str) -> TrainingSet | None:
    """Return the training set stored with a version, or None (trained before sets were kept)."""
    from core.tables import VersionTrainingSet

    with sessions() as session:
        found = session.get(VersionTrainingSet, (model, str(version)))
    if found is None:
        return None
    return TrainingSet(path=found.path, md5=found.md5, rows=found.rows, composition={})


def read(training_set: TrainingSet, spec: ModelSpec) -> pd.DataFrame | None:
    """Return a stored set's features and label, or None when its file is gone or changed.

    Read once per file version (path, size, modification time): verify's sweep asks often.
    """
    path = Path(training_set.path)
    try:
        found = path.stat()
    except OSError:
        found = None
    columns = (*spec.feature_names, spec.label)
    texts = tuple(f.name for f in spec.features if not f.is_numeric_valued)
    frame = _read(str(path), columns, texts, training_set.md5, found.st_size,
                  found.st_mtime_ns) if found is not None else None
    if frame is None:
        log.warning("training set %s is missing or changed: not used", path.name)
        return None
    return frame.copy()


@lru_cache(maxsize=8)
def _read(path: str, columns: tuple[str, ...], texts: tuple[str, ...], md5: str, _size: int,
          _mtime_ns: int) -> pd.DataFrame | None:
    """Read the stored set: numbers as floats, text categories (`texts`) as text."""
    if file_md5(Path(path)) != md5:
        return None
    frame = pd.read_csv(path, dtype=dict.fromkeys(texts, object)).loc[:, list(columns)]
    return frame.astype({c: "float64" for c in columns if c not in texts})


def seen(rows: pd.DataFrame, trained_on: pd.DataFrame, spec: ModelSpec) -> pd.Series:
    """Return, per row, whether its features equal those of a row the model trained on."""
    numeric = [f.name for f in spec.features if f.is_numeric_valued]
    texts = [f.name for f in spec.features if not f.is_numeric_valued]

    def keys(frame: pd.DataFrame) -> pd.Series:
        values = frame.loc[:, numeric].astype("float64")
        written = values.map(lambda v: float(f"{v:.6g}") if v == v else -1e300)  # as stored
        words = frame.loc[:, texts].map(lambda v: v if isinstance(v, str) else "\0missing")
        return pd.util.hash_pandas_object(pd.concat([written, words], axis=1), index=False)

    return keys(rows).isin(set(keys(trained_on))).set_axis(rows.index)
