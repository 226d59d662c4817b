"""A transaction PostgreSQL aborted to break a deadlock is run again; other errors are not."""

import pytest
from sqlalchemy.exc import OperationalError

from core.db import retried


class Aborted(Exception):
    def __init__(self, sqlstate: str) -> None:
        self.sqlstate = sqlstate


def failing(sqlstate: str, times: int):
    calls = []

    def attempt():
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("UPDATE incidents …", {}, Aborted(sqlstate))
        return "stored"
    return attempt, calls


def test_a_deadlock_victim_is_run_again_until_it_commits():
    attempt, calls = failing("40P01", times=2)
    assert retried(attempt) == "stored" and len(calls) == 3


def test_other_errors_and_a_deadlock_that_persists_are_raised():
    attempt, calls = failing("08006", times=1)  # connection failure: not ours to repeat
    with pytest.raises(OperationalError):
        retried(attempt)
    assert len(calls) == 1
    attempt, calls = failing("40P01", times=5)
    with pytest.raises(OperationalError):
        retried(attempt)
    assert len(calls) == 3
