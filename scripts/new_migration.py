"""Write the Alembic revision for a change to the tables (`core/tables.py`, `monitor_tables.py`).

    .venv/bin/python scripts/new_migration.py "what changed, as a sentence"

Builds a scratch SQLite database at the current head, compares it with the tables the code
declares, and writes `core/migrations/versions/<next number>_<message>.py` with the
operations found. Read it before committing: autogenerate cannot tell a rename from a drop
and an add, and a new NOT NULL column needs a server default for the rows already there.
Then set `HEAD` in `core/migrations/__init__.py` to the new number.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    """Generate the revision from the difference between head and the declared tables."""
    from alembic import command

    from core import migrations
    from core.db import init_db, make_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("message", help="what the revision changes, as a sentence")
    message = parser.parse_args().message
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'head.db'}")
        init_db(engine)
        with engine.begin() as connection:
            command.revision(migrations.alembic_config(connection), message,
                             autogenerate=True, rev_id=f"{int(migrations.HEAD) + 1:04d}")
        engine.dispose()


if __name__ == "__main__":
    main()
