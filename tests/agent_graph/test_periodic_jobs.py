"""The worker's periodic jobs are a list: a toy job runs at its interval, claimed across workers."""

from contextlib import ExitStack, contextmanager

import pytest

from agent_graph.runtime.runner import open_agent
from agent_graph.runtime.worker import Worker
from core.periodic import PeriodicJob
from tests.conftest import make_settings

STANDARD = ["approval-expiry", "approval-escalation", "verifying-sweep", "checkpoint-prune",
            "prediction-log-retention"]


@contextmanager
def agents_on(settings, clock):
    """Two agents on one database, as two `medic worker` processes would be."""
    with ExitStack() as stack:
        yield [stack.enter_context(open_agent(settings, clock=clock)) for _ in range(2)]


@pytest.fixture
def two_agents(trained, clock):
    with agents_on(trained[0], clock) as agents:
        yield agents


def test_a_claimed_toy_job_runs_once_per_interval_across_two_workers(two_agents, clock):
    claimed_once_per_interval(two_agents, clock)


@pytest.mark.postgres
def test_a_claimed_toy_job_runs_once_per_interval_on_postgres(trained, clock, postgres_url):
    settings = make_settings(trained[0].home, database_url=postgres_url)
    with agents_on(settings, clock) as agents:
        claimed_once_per_interval(agents, clock)


def claimed_once_per_interval(two_agents, clock) -> None:
    runs = []
    workers = [Worker(agent, jobs=[PeriodicJob(
        "toy-report", lambda now, n=n: runs.append((n, now)), every_seconds=600, claimed=True)])
        for n, agent in enumerate(two_agents)]
    assert [job.name for job in workers[0].timetable.jobs] == [*STANDARD, "toy-report"]
    first = clock()
    assert "toy-report" in workers[0].tick()
    assert "toy-report" not in workers[1].tick()  # this interval is taken
    clock.advance(seconds=599)
    assert "toy-report" not in workers[0].tick() + workers[1].tick()
    clock.advance(seconds=2)
    assert "toy-report" in workers[1].tick()
    assert "toy-report" not in workers[0].tick()
    assert runs == [(0, first), (1, clock())]


def test_an_unclaimed_job_runs_in_each_worker_at_its_own_interval(two_agents, clock):
    runs = []
    workers = [Worker(agent, jobs=[PeriodicJob("toy-local", lambda now, n=n: runs.append(n),
                                               every_seconds=60)])
               for n, agent in enumerate(two_agents)]
    for worker in workers:
        worker.tick()
        worker.tick()  # not yet its turn again
    clock.advance(seconds=60)
    workers[0].tick()
    assert runs == [0, 1, 0]


def test_a_failing_job_is_logged_and_the_next_one_still_runs(two_agents, clock, caplog):
    def broken(now):
        raise RuntimeError("disk full")

    runs = []
    worker = Worker(two_agents[0], jobs=[PeriodicJob("toy-broken", broken),
                                         PeriodicJob("toy-after", runs.append)])
    with caplog.at_level("WARNING", logger="core.periodic"):
        ran = worker.tick()
    assert "toy-broken" not in ran and "toy-after" in ran and runs == [clock()]
    assert "periodic job toy-broken failed" in caplog.text


def test_job_declarations_are_checked():
    with pytest.raises(ValueError, match="needs an interval"):
        PeriodicJob("toy", print, claimed=True)
    with pytest.raises(ValueError, match="over 32 characters"):
        PeriodicJob("x" * 33, print)
