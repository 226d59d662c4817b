"""Several processes set up one PostgreSQL database at once (replicas and workers starting)."""

import threading

import pytest


@pytest.mark.postgres
def test_replicas_starting_together_set_up_the_schema_without_errors(postgres_url):
    from core.db import init_db, make_engine

    errors: list[str] = []

    def start() -> None:
        engine = make_engine(postgres_url)
        try:
            init_db(engine)
        except Exception as error:  # what a starting replica would die of
            errors.append(repr(error)[:200])
        finally:
            engine.dispose()

    starting = [threading.Thread(target=start) for _ in range(6)]
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join()
    assert errors == []
