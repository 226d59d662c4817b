"""Several processes set up one PostgreSQL database at once (replicas and workers starting)."""

import threading

import pytest


def start_replica(postgres_url: str, errors: list[str]) -> None:
    """Set up the schema as a starting replica does; note what it would die of."""
    from core.db import init_db, make_engine

    engine = make_engine(postgres_url)
    try:
        init_db(engine)
    except Exception as error:  # what a starting replica would die of
        errors.append(repr(error)[:300])
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_replicas_starting_together_set_up_the_schema_without_errors(postgres_url):
    errors: list[str] = []
    starting = [threading.Thread(target=start_replica, args=(postgres_url, errors))
                for _ in range(6)]
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join()
    assert errors == []


@pytest.mark.postgres
def test_replicas_and_workers_starting_together_set_up_tables_and_checkpoints(postgres_url):
    # LangGraph's checkpoint migrations build indexes CONCURRENTLY, which waits for every
    # open transaction: a process waiting for the schema lock must not hold one open
    from agent_graph.runtime.checkpoint import open_checkpointer

    errors: list[str] = []

    def replica() -> None:
        start_replica(postgres_url, errors)

    def worker() -> None:
        try:
            with open_checkpointer(postgres_url):
                pass
        except Exception as error:  # what a starting worker would die of
            errors.append(repr(error)[:300])

    starting = [threading.Thread(target=role, daemon=True)
                for role in (worker, replica, worker, replica, worker, worker)]
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in starting), "a start-up hung"
    assert errors == []
