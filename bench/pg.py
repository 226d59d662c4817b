"""A PostgreSQL database of a bench's own, created for one run and dropped after it."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_ADMIN = os.environ.get("MEDIC_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """Create a database for this run; yield its URL; drop it afterwards, whatever happened."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
