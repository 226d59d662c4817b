"""Issue 28: on PostgreSQL the audit log is several keyed chains, each as tamper-evident as one.

The log below is written by transactions open at the same time, so its entries land on
chains 1, 2 and 3, interleaved by id; every attack of tests/core/test_audit.py is tried
on an entry of a chain other than the first, and `medic audit verify` names it.
"""

import json
from contextlib import ExitStack
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select, text
from typer.testing import CliRunner

from cli.main import app
from core import audit
from core.audit_seal import Seal
from core.db import connect, make_engine, sessions
from core.tables import AuditEntry, AuditHead
from tests.conftest import make_settings
from tests.core.test_audit import _plain

pytestmark = pytest.mark.postgres
runner = CliRunner()
ROUNDS = 10  # each round: three transactions at once, on three chains


@pytest.fixture
def home(tmp_path, monkeypatch, postgres_url):
    """A PostgreSQL log of 30 entries on chains 1-3 (ids interleaved), each anchored."""
    settings = make_settings(tmp_path / "medic", database_url=postgres_url)
    factory = connect(postgres_url, seal=Seal.of(settings))
    for number in range(ROUNDS):
        with ExitStack() as stack:  # three writers at once: none waits, each its own chain
            for writer in range(3):
                session = stack.enter_context(factory.begin())
                audit.record(session, event="alert_received", actor=f"replica {writer}",
                             step=number)
    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    monkeypatch.setenv("MEDIC_DATABASE_URL", postgres_url)
    yield settings
    factory.kw["bind"].dispose()


def _attacker(settings):
    """A plain session on the database, its append-only trigger dropped: no key, no anchor."""
    engine = make_engine(settings.database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"))
    return sessions(engine)


def _verify() -> tuple[int, dict]:
    result = runner.invoke(app, ["audit", "verify", "--json"])
    return result.exit_code, json.loads(result.output)


def _chain(settings, chain: int) -> list[int]:
    with _attacker(settings)() as session:
        return list(session.scalars(select(AuditEntry.id).where(AuditEntry.chain == chain)
                                    .order_by(AuditEntry.id)))


def test_writers_at_once_append_to_separate_chains_and_the_log_verifies(home):
    with _attacker(home)() as session:
        spread = dict(session.execute(select(AuditEntry.chain, func.count())
                                      .group_by(AuditEntry.chain)).all())
        heads = {h.id: h.entries for h in session.scalars(select(AuditHead))}
    assert spread == {1: ROUNDS, 2: ROUNDS, 3: ROUNDS}
    assert len(heads) == audit.POSTGRES_CHAINS and heads[2] == ROUNDS
    assert _verify() == (0, {"ok": True, "entries": 3 * ROUNDS, "first_broken": None,
                             "reason": ""})


def test_a_forged_entry_appended_to_another_chain_is_named(home):
    with _attacker(home).begin() as session:
        head = session.get(AuditHead, 2)
        forged = AuditEntry(at=datetime.now(UTC), incident_id=3, actor="alice",
                            event="approval_approved", data={}, prev_hash=head.last_hash,
                            hash="", chain=2)
        forged.hash = _plain(forged)
        session.add(forged)
        head.last_hash, head.entries = forged.hash, head.entries + 1
    code, result = _verify()
    assert code == 1 and result["first_broken"] == 3 * ROUNDS + 1
    assert f"entry {3 * ROUNDS + 1} was changed or forged" in result["reason"]


def test_an_edit_rechained_to_the_end_of_its_chain_is_named(home):
    second = _chain(home, 2)
    edited = second[4]
    with _attacker(home).begin() as session:
        previous = session.get(AuditEntry, second[3]).hash
        for entry_id in second[4:]:
            entry = session.get(AuditEntry, entry_id)
            if entry_id == edited:
                entry.data = {"step": 99}
            entry.prev_hash, entry.hash = previous, _plain(entry)
            previous = entry.hash
        session.get(AuditHead, 2).last_hash = previous
    code, result = _verify()
    assert code == 1 and result["first_broken"] == edited
    assert f"entry {edited} was changed or forged" in result["reason"]


def test_an_entry_moved_to_another_chain_is_named(home):
    second = _chain(home, 2)
    with _attacker(home).begin() as session:  # the last one, so no link after it breaks
        session.execute(text("UPDATE audit_log SET chain = 5 WHERE id = :id"),
                        {"id": second[-1]})
        session.get(AuditHead, 2).last_hash = session.get(AuditEntry, second[-2]).hash
        session.get(AuditHead, 5).last_hash = session.get(AuditEntry, second[-1]).hash
    code, result = _verify()
    assert code == 1 and result["first_broken"] == second[-1]


def test_one_chain_truncated_with_its_head_moved_back_is_named_by_the_anchor(home):
    third = _chain(home, 3)
    with _attacker(home).begin() as session:
        session.execute(text("DELETE FROM audit_log WHERE id >= :id"), {"id": third[6]})
        head = session.get(AuditHead, 3)
        head.last_hash = session.get(AuditEntry, third[5]).hash
        for chain in (1, 2):  # the others cut back as far as the same moment
            kept = [i for i in _chain(home, chain) if i < third[6]]
            session.get(AuditHead, chain).last_hash = session.get(AuditEntry, kept[-1]).hash
    code, result = _verify()
    assert code == 1 and result["first_broken"] == third[6]
    assert f"entries {third[6]} to {3 * ROUNDS} are anchored but missing" in result["reason"]


def test_one_chain_cut_at_its_end_without_moving_its_head_is_named(home):
    third = _chain(home, 3)
    with _attacker(home).begin() as session:
        session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": third[-1]})
    code, result = _verify()
    assert code == 1 and result["first_broken"] == third[-1]
    assert f"entry {third[-1]} is anchored but missing" in result["reason"]
    with _attacker(home)() as session:  # no anchor at hand: the head still tells
        result = audit.verify(session, seal=Seal(home.audit_key, home.home / "copy.log",
                                                 complete=False))
    assert "the last entries of chain 3 were removed" in result.reason


def test_a_checkpoint_binds_the_chains_a_replica_did_not_anchor(home, tmp_path):
    """Replicas anchor apart: the checkpoint, anchored by this one, names the others' ends."""
    mine = Seal(home.audit_key, tmp_path / "replica-a.log", complete=False)
    factory = connect(home.database_url, seal=mine)
    with factory.begin() as session:
        checkpoint = audit.checkpoint(session)
    claims = checkpoint.data["chains"]
    assert set(claims) == {"2", "3"}  # the other chains with entries (this one is locked)
    with factory() as session:
        assert audit.verify(session, seal=mine).ok
    third = _chain(home, 3)
    with _attacker(home).begin() as session:  # chain 3 cut and its head moved back
        session.execute(text("DELETE FROM audit_log WHERE chain = 3 AND id >= :id"),
                        {"id": third[7]})
        session.get(AuditHead, 3).last_hash = session.get(AuditEntry, third[6]).hash
    with factory() as session:
        result = audit.verify(session, seal=mine)
    assert not result.ok and result.first_broken == third[-1]
    assert f"chain 3, named by checkpoint {checkpoint.id}" in result.reason
    factory.kw["bind"].dispose()


def test_a_process_checkpoints_once_per_interval(home, monkeypatch):
    seal = Seal.of(home)
    factory = connect(home.database_url, seal=seal)
    monkeypatch.setattr(audit, "CHECKPOINT_SECONDS", 3600.0)
    audit._next_checkpoint.pop(seal, None)
    for _ in range(3):  # the interval starts with the first, and has not passed since
        with factory.begin() as session:
            audit.record(session, event="alert_received", actor="medic")
    audit._next_checkpoint[seal] = 0.0  # an hour later
    for _ in range(2):  # the first appends a checkpoint before its entry; the next does not
        with factory.begin() as session:
            audit.record(session, event="alert_received", actor="medic")
    with factory() as session:
        events = list(session.scalars(select(AuditEntry.event).order_by(AuditEntry.id.desc())
                                      .limit(6)))[::-1]
    assert events == ["alert_received"] * 3 + [audit.CHECKPOINT] + ["alert_received"] * 2
    assert _verify()[0] == 0
    factory.kw["bind"].dispose()


def test_the_entries_a_transaction_appends_move_their_head_by_trigger_alone(home):
    factory = connect(home.database_url, seal=Seal.of(home))
    statements: list[str] = []
    engine = factory.kw["bind"]
    listener = lambda _c, _cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with factory.begin() as session:  # three entries, one INSERT
            entries = [audit.record(session, event="alert_received", actor="medic", step=step)
                       for step in range(3)]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert not [s for s in statements if s.startswith("UPDATE audit_head")]
    with factory() as session:
        head = session.get(AuditHead, entries[-1].chain)
        on_chain = session.scalar(select(func.count()).where(
            AuditEntry.chain == entries[-1].chain))
    assert (head.last_hash, head.entries) == (entries[-1].hash, on_chain)
    assert _verify() == (0, {"ok": True, "entries": 3 * ROUNDS + 3, "first_broken": None,
                             "reason": ""})
    engine.dispose()
