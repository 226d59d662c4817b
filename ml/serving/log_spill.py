"""Keep prediction log rows in a local JSON-lines file while the database cannot take them."""

import json
import logging
import os
from datetime import datetime
from pathlib import Path

from core.db import EncodedJSON

log = logging.getLogger(__name__)


class Spill:
    """An append-only file of rows waiting for the database; replayed oldest first."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.rows = self._count()

    def append(self, rows: list[dict]) -> bool:
        """Append rows; return False when the file cannot be written either."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8", opener=_private) as out:
                out.writelines(_line(row) for row in rows)
                out.flush()
                os.fsync(out.fileno())
        except OSError:
            log.error("cannot write the prediction spill file %s", self.path, exc_info=True)
            return False
        self.rows += len(rows)
        return True

    def read(self) -> list[dict]:
        """Return every spilled row, timestamps as datetimes again."""
        if not self.rows:
            return []
        with self.path.open(encoding="utf-8") as lines:
            rows = [json.loads(line) for line in lines if line.strip()]
        for row in rows:
            row["created_at"] = datetime.fromisoformat(row["created_at"])
        return rows

    def clear(self) -> None:
        """Forget the rows once they are in the database."""
        self.path.unlink(missing_ok=True)
        self.rows = 0

    def _count(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open(encoding="utf-8") as lines:
            return sum(1 for line in lines if line.strip())


def _line(row: dict) -> str:
    features = row["features"]
    if isinstance(features, EncodedJSON):  # an object in the file, as the database stores it
        row = {**row, "features": json.loads(features)}
    return json.dumps(row, default=_iso) + "\n"


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in the spill file")


def _private(path: str, flags: int) -> int:
    """Open the spill file 0600: its rows hold patients' features."""
    return os.open(path, flags, 0o600)
