"""Issue 28: the worker's claim on PostgreSQL is one statement, and never waits on an intake.

The claim leases the oldest due incident, marks it handled and returns its alert in one
`UPDATE … RETURNING`; the finish of one incident leases the next in its own transaction.
An intake that holds the incident's row (joining an alert to it) waits on the claim's
agent_work row in turn, so the claim skips marking a locked incident instead of waiting.
"""

import threading

import pytest
from sqlalchemy import event, select, text

from core import work
from core.alerts import Alert
from core.audit_seal import Seal
from core.db import connect
from core.ingest import ingest
from core.tables import AgentWork, Incident
from tests.conftest import make_settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def factory(tmp_path, postgres_url):
    made = connect(postgres_url,
                   seal=Seal.of(make_settings(tmp_path / "medic", database_url=postgres_url)))
    yield made
    made.kw["bind"].dispose()


def _store(factory, clock, *names: str) -> list[int]:
    return [ingest(factory, Alert(name=name, labels={"severity": "info"}),
                   clock=clock)[0].incident_id for name in names]


def _handled(factory, incident_id: int) -> bool:
    with factory() as session:
        return session.scalar(select(Incident.handled).where(Incident.id == incident_id))


def test_a_claim_leases_marks_handled_and_returns_the_alert_in_one_statement(factory, clock):
    first, second = _store(factory, clock, "First", "Second")
    statements: list[str] = []
    engine = factory.kw["bind"]

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        claimed = work.claim(factory, owner="a", lease_seconds=60, now=clock(),
                             then=lambda session, claim: f"read with {claim.incident_id}")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 1
    assert (claimed.incident_id, claimed.wakes, claimed.attempts) == (first, 1, 1)
    assert claimed.alert["name"] == "First" and claimed.open and claimed.model == "heart-disease"
    assert claimed.read == f"read with {first}"
    assert _handled(factory, first) and not _handled(factory, second)
    other = work.claim(factory, owner="b", lease_seconds=60, now=clock())
    assert other.incident_id == second  # the first is leased: skipped, not waited on
    assert work.claim(factory, owner="c", lease_seconds=60, now=clock()) is None


def test_a_claim_does_not_wait_for_an_incident_an_intake_holds(factory, clock):
    [incident_id] = _store(factory, clock, "Held")
    claimed = []
    with factory.begin() as intake:  # as an intake joining an alert: the incident's row lock
        intake.execute(text("SELECT id FROM incidents WHERE id = :id FOR UPDATE"),
                       {"id": incident_id})
        claimer = threading.Thread(target=lambda: claimed.append(
            work.claim(factory, owner="a", lease_seconds=60, now=clock())))
        claimer.start()
        claimer.join(timeout=10)
        assert not claimer.is_alive(), "the claim waited for the intake's lock"
    [lease] = claimed
    assert lease.incident_id == incident_id and lease.alert is None  # leased, not marked
    assert not _handled(factory, incident_id)  # the runner reads and marks it itself


def test_a_finish_leases_the_next_incident_and_a_lease_given_back_costs_no_attempt(
        factory, clock):
    first, second = _store(factory, clock, "First", "Second")
    claimed = work.claim(factory, owner="a", lease_seconds=60, now=clock())

    def lease_next(session):
        return work.claim_in(session, owner="a", lease_seconds=60, now=clock())

    ahead = work.finish(factory, claimed, owner="a", then=lease_next)
    assert ahead.incident_id == second and ahead.attempts == 1 and _handled(factory, second)
    with factory() as session:
        done = session.get(AgentWork, first)
        assert (done.done, done.owner) == (1, None)
    work.give_back(factory, ahead, owner="a")
    with factory() as session:
        back = session.get(AgentWork, second)
        assert (back.owner, back.lease_until, back.attempts) == (None, None, 0)
    assert work.claim(factory, owner="b", lease_seconds=60, now=clock()).incident_id == second
    assert work.finish(factory, claimed, owner="a", then=lease_next) is None  # nothing due
