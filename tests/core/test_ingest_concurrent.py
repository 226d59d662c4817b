"""Issue 28: replicas storing at once on PostgreSQL still open one incident per problem.

No lock is global any more: each transaction locks the fingerprints and correlated models
it carries. Two writers (own engines, as two replicas) released together by a barrier
send, round after round, the same alert, or two monitors' alerts about one model.
"""

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from core import audit
from core.alerts import Alert
from core.audit_seal import Seal
from core.db import connect, make_engine, sessions
from core.ingest import ingest
from core.tables import AuditEntry, Incident
from tests.conftest import make_settings
from tests.core.test_correlation import monitor_alert

pytestmark = pytest.mark.postgres
ROUNDS = 12


def _race(postgres_url, tmp_path, alerts_of) -> list[list]:
    """Run ROUNDS rounds of two writers at once; return what each stored, per round."""
    settings = make_settings(tmp_path / "medic", database_url=postgres_url)
    factories = [connect(postgres_url, seal=Seal.of(settings)) for _ in range(2)]
    gate = threading.Barrier(2)
    stored: list[list] = [[None, None] for _ in range(ROUNDS)]
    failed: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for round_ in range(ROUNDS):
                gate.wait(timeout=60)
                [stored[round_][number]] = ingest(factories[number],
                                                  alerts_of(round_, number))
        except BaseException as error:  # noqa: BLE001  (raised in the test below)
            failed.append(error)
            gate.abort()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed, failed
    with factories[0]() as session:
        assert audit.verify(session, seal=Seal.of(settings)).ok
    for factory in factories:
        factory.kw["bind"].dispose()
    return stored


def test_the_same_alert_from_two_replicas_at_once_opens_one_incident(postgres_url, tmp_path):
    stored = _race(postgres_url, tmp_path, lambda round_, _number: Alert(
        name=f"Drift{round_}", type="drift", values={"drift_share": 0.6}))
    for first, second in stored:
        assert first.incident_id == second.incident_id
        assert [first.created, second.created].count(True) == 1
    with sessions(make_engine(postgres_url))() as session:
        counts = dict(session.execute(select(Incident.title, Incident.alert_count)).all())
        chains = Counter(session.scalars(select(AuditEntry.chain)))
    assert len(counts) == ROUNDS and set(counts.values()) == {2}  # no join was lost
    assert len(chains) >= 1 and sum(chains.values()) == 2 * ROUNDS


def test_two_monitors_about_one_model_from_two_replicas_at_once_are_one_incident(
        postgres_url, tmp_path):
    stored = _race(postgres_url, tmp_path, lambda round_, number: monitor_alert(
        ("performance", "data_drift")[number], ("performance", "drift")[number], 60,
        model=f"model-{round_}"))
    for first, second in stored:
        assert first.incident_id == second.incident_id
        assert [first.created, second.created].count(True) == 1
