"""Item 4: with write access to the database alone, the audit log cannot be forged unseen."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from cli.main import app
from core import audit
from core.audit_seal import Seal
from core.db import connect, make_engine, sessions
from core.errors import ConfigError
from core.tables import AuditEntry, AuditHead
from tests.conftest import make_settings

runner = CliRunner()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home whose audit log holds 120 entries, each committed (and anchored) on its own."""
    settings = make_settings(tmp_path / "medic")
    factory = connect(settings.database_url, seal=Seal.of(settings))
    for number in range(120):
        with factory.begin() as session:
            audit.record(session, event="approval_requested", actor="medic agent",
                         incident_id=number // 10 + 1, step=number)
    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    return settings


def _attacker(settings):
    """A plain session on the database, its append-only triggers dropped: no key, no anchor."""
    engine = make_engine(settings.database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("DROP TRIGGER audit_log_no_delete"))
    return sessions(engine)


def _plain(entry: AuditEntry) -> str:
    """The hash anyone can recompute: SHA-256 of the entry's content and previous hash."""
    return hashlib.sha256(audit._body(entry.prev_hash, entry.at, entry.incident_id, entry.actor,
                                      entry.event, entry.data)).hexdigest()


def _verify() -> tuple[int, dict]:
    result = runner.invoke(app, ["audit", "verify", "--json"])
    return result.exit_code, json.loads(result.output)


def test_item4_audit_intact_log_verifies(home):
    assert _verify() == (0, {"ok": True, "entries": 120, "first_broken": None, "reason": ""})


def test_item4_audit_forged_row_is_detected(home):
    with _attacker(home).begin() as session:
        head = session.get(AuditHead, 1)
        forged = AuditEntry(at=datetime.now(UTC), incident_id=3, actor="alice",
                            event="approval_approved", data={"approval_id": 3},
                            prev_hash=head.last_hash, hash="")
        forged.hash = _plain(forged)
        session.add(forged)
        head.last_hash, head.entries = forged.hash, head.entries + 1
    code, result = _verify()
    assert code == 1 and result["first_broken"] == 121
    assert "entry 121 was changed or forged" in result["reason"]
    shown = runner.invoke(app, ["audit", "verify"])
    assert "audit log broken at entry 121" in shown.output


def test_item4_audit_rechained_edit_is_detected(home):
    with _attacker(home).begin() as session:
        previous = None
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            if entry.id == 10:
                entry.data = {"step": 9, "note": "nothing to see"}
            if entry.id >= 10:
                entry.prev_hash = previous
                entry.hash = _plain(entry)
            previous = entry.hash
        session.get(AuditHead, 1).last_hash = previous
    code, result = _verify()
    assert code == 1 and result["first_broken"] == 10
    assert "entry 10 was changed or forged" in result["reason"]


def test_item4_audit_truncation_with_head_moved_back_is_detected(home):
    with _attacker(home).begin() as session:
        session.execute(text("DELETE FROM audit_log WHERE id > 20"))
        head = session.get(AuditHead, 1)
        head.last_hash, head.entries = session.get(AuditEntry, 20).hash, 20
    code, result = _verify()
    assert code == 1 and result["first_broken"] == 21
    assert "entries 21 to 120 are anchored but missing" in result["reason"]


def test_item4_audit_anchor_lines_are_signed(home):
    anchor = home.audit_anchor
    lines = anchor.read_text().splitlines()
    number, digest, _mac = lines[5].split()
    lines[5] = f"{number} {'0' * 64} {_mac}"
    anchor.write_text("\n".join(lines) + "\n")
    code, result = _verify()
    assert code == 1 and "line 6 of the anchor file" in result["reason"]


def test_item4_audit_entries_from_before_the_key_still_verify_but_cannot_be_added(tmp_path):
    settings = make_settings(tmp_path / "medic")
    seal = Seal.of(settings)
    factory = connect(settings.database_url, seal=seal)
    plain = sessions(factory.kw["bind"])
    with plain.begin() as session:  # written by the unkeyed version of Medic
        previous = audit.GENESIS
        for step in range(3):
            entry = AuditEntry(at=datetime.now(UTC), actor="medic", event="alert_received",
                               data={"step": step}, prev_hash=previous, hash="")
            entry.hash = previous = _plain(entry)
            session.add(entry)
        session.get(AuditHead, 1).last_hash = previous
    with factory.begin() as session:
        audit.record(session, event="key_created", actor="medic keys", name="alice")
    with factory() as session:
        assert audit.verify(session).ok
    with plain.begin() as session:
        head = session.get(AuditHead, 1)
        late = AuditEntry(at=datetime.now(UTC), actor="medic", event="alert_received",
                          data={}, prev_hash=head.last_hash, hash="")
        late.hash = head.last_hash = _plain(late)
        session.add(late)
    with factory() as session:
        result = audit.verify(session)
    assert (result.ok, result.first_broken) == (False, 5)


def test_item4_audit_refuses_to_write_without_the_key(settings):
    plain = sessions(make_engine(settings.database_url))
    connect(settings.database_url)  # tables
    with plain() as session, pytest.raises(ConfigError, match="audit log is keyed"):
        audit.record(session, event="key_created", actor="medic keys")


def test_the_head_is_locked_once_per_transaction_and_again_after_a_savepoint(settings):
    from sqlalchemy import event

    factory = connect(settings.database_url, seal=Seal.of(settings))
    locks = []
    event.listen(factory.kw["bind"], "before_cursor_execute",  # the lock's no-op write
                 lambda *args: locks.append(1) if "SET entries=audit_head.entries" in args[2]
                 else None)
    with factory.begin() as session:
        audit.record(session, event="a", actor="tests")
        session.flush()  # a flush ends an inner subtransaction: the lock is still held
        audit.record(session, event="b", actor="tests")
        with session.begin_nested():
            audit.record(session, event="c", actor="tests")
        audit.record(session, event="d", actor="tests")  # a savepoint may have rolled back
    assert len(locks) == 2  # for "a", and again after the savepoint for "d"
    with factory() as session:
        assert audit.verify(session).ok and session.get(AuditHead, 1).entries == 4
