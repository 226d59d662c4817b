"""Items 4 and 1 (issue 22): the audit log cannot be forged unseen, anchor or no anchor."""

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
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


def _rewrite_everything_as_plain(settings) -> None:
    """The attack of issue 22: every entry recomputed as plain SHA-256, one actor edited."""
    with _attacker(settings).begin() as session:
        previous = audit.GENESIS
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            if entry.id == 30:
                entry.actor = "somebody else"
            entry.prev_hash = previous
            entry.hash = previous = _plain(entry)
        session.get(AuditHead, 1).last_hash = previous


def _cut(anchor, keep: int) -> None:
    anchor.write_text("".join(anchor.read_text().splitlines(keepends=True)[:keep]))


@pytest.mark.parametrize(("damage", "named"), [
    (lambda anchor: anchor.unlink(), "is missing but the audit log has 120 entries"),
    (lambda anchor: anchor.write_text(""), "is empty but the audit log has 120 entries"),
    (lambda anchor: _cut(anchor, 100), "entry 1 was changed or forged"),
    (lambda anchor: _cut(anchor, 0), "is empty but the audit log has 120 entries"),
], ids=["deleted", "emptied", "cut", "cut-to-nothing"])
def test_item1_log_rewritten_without_the_key_is_detected_whatever_became_of_the_anchor(
        home, damage, named):
    _rewrite_everything_as_plain(home)
    damage(home.audit_anchor)
    code, result = _verify()
    assert code == 1 and named in result["reason"], result
    shown = runner.invoke(app, ["audit", "verify"])
    assert shown.exit_code == 1 and "audit log broken" in shown.output
    assert "intact" not in shown.output


def test_item1_anchor_cut_at_its_end_is_detected(home):
    _cut(home.audit_anchor, 110)
    code, result = _verify()
    assert code == 1 and result["first_broken"] == 111
    assert "entries 111 to 120 (10) are keyed but not in the anchor file" in result["reason"]


def test_item1_anchor_line_dropped_from_the_middle_is_detected(home):
    lines = home.audit_anchor.read_text().splitlines(keepends=True)
    home.audit_anchor.write_text("".join(lines[:49] + lines[50:]))
    code, result = _verify()
    assert code == 1 and "line 50 of the anchor file" in result["reason"]


def test_item1_anchor_line_from_another_key_is_refused(home, tmp_path):
    other = Seal(SecretStr("another-key-" + "k" * 32), tmp_path / "other.log")
    other.append([(121, "0" * 64)])
    with home.audit_anchor.open("a") as anchor:
        anchor.write(other.anchor.read_text())
    code, result = _verify()
    assert code == 1 and "line 121 of the anchor file" in result["reason"]


def test_item1_chain_truncated_at_its_end_with_the_anchor_intact_is_detected(home):
    with _attacker(home).begin() as session:
        session.execute(text("DELETE FROM audit_log WHERE id > 115"))
    code, result = _verify()
    assert code == 1 and result["first_broken"] == 116
    assert "entries 116 to 120 are anchored but missing" in result["reason"]


def test_item1_log_from_before_the_key_verifies_only_when_asked(tmp_path, monkeypatch):
    settings = make_settings(tmp_path / "medic")
    plain = sessions(connect(settings.database_url).kw["bind"])
    with plain.begin() as session:  # written by the unkeyed version of Medic: no anchor
        previous = audit.GENESIS
        for step in range(3):
            entry = AuditEntry(at=datetime.now(UTC), actor="medic", event="alert_received",
                               data={"step": step}, prev_hash=previous, hash="")
            entry.hash = previous = _plain(entry)
            session.add(entry)
        session.get(AuditHead, 1).last_hash = previous
    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    code, result = _verify()
    assert code == 1 and "is missing" in result["reason"] and "--legacy" in result["reason"]
    legacy = runner.invoke(app, ["audit", "verify", "--legacy"])
    assert legacy.exit_code == 0 and "audit log intact: 3 entries" in legacy.stdout
    assert "3 entries predate the audit key" in legacy.stderr


def test_item1_replicas_anchoring_apart_each_verify_what_they_wrote(settings, tmp_path):
    """Production: each replica's anchor covers its own entries; the keyed chain all."""
    replicas = [Seal(settings.audit_key, tmp_path / f"replica-{n}.log", complete=False)
                for n in range(2)]
    factories = [connect(settings.database_url, seal=seal) for seal in replicas]
    for step in range(6):
        with factories[step % 2].begin() as session:
            audit.record(session, event="alert_received", actor="medic", step=step)
    for seal, factory in zip(replicas, factories, strict=True):
        with factory() as session:
            assert audit.verify(session, seal=seal).ok
    embedded = Seal(settings.audit_key, replicas[0].anchor)  # one file for every writer
    with factories[0]() as session:
        result = audit.verify(session, seal=embedded)
    assert not result.ok and "entries 6 to 6 (1) are keyed but not" in result.reason
    replicas[1].anchor.unlink()
    with factories[1]() as session:
        result = audit.verify(session, seal=replicas[1])
    assert not result.ok and "is missing but the audit log has 6 entries" in result.reason


def test_item1_anchor_lines_from_before_the_chaining_still_verify(home):
    key = home.audit_key.get_secret_value().encode()
    with _attacker(home)() as session:  # read only
        rows = [(e.id, e.hash) for e in session.scalars(select(AuditEntry))]
    home.audit_anchor.write_text("".join(  # the first version's unchained lines
        f"{i} {h} {hmac.new(key, f'anchor {i} {h}'.encode(), hashlib.sha256).hexdigest()}\n"
        for i, h in rows))
    factory = connect(home.database_url, seal=Seal.of(home))
    with factory.begin() as session:
        audit.record(session, event="key_created", actor="medic keys", name="bob")
    assert _verify() == (0, {"ok": True, "entries": 121, "first_broken": None, "reason": ""})


def test_item1_an_entry_whose_process_died_before_anchoring_it_is_settled_by_the_next(
        home, tmp_path):
    lost = Seal(home.audit_key, tmp_path / "never-written" / "anchor.log")  # as if killed
    with connect(home.database_url, seal=lost).begin() as session:
        audit.record(session, event="alert_received", actor="medic", step=120)
    code, result = _verify()
    assert code == 1 and result["first_broken"] == 121
    assert "entries 121 to 121 (1) are keyed but not in the anchor file" in result["reason"]
    with connect(home.database_url, seal=Seal.of(home)).begin() as session:
        audit.record(session, event="alert_received", actor="medic", step=121)
    assert _verify() == (0, {"ok": True, "entries": 122, "first_broken": None, "reason": ""})


def test_item1_a_copy_of_the_anchor_kept_elsewhere_sees_a_truncation_cut_from_both(home,
                                                                                   tmp_path):
    copy = tmp_path / "second-machine" / "audit-anchor.log"
    copy.parent.mkdir()
    _cut(home.audit_anchor, 110)  # the copy was taken when the chain had 110 entries
    copy.write_text(home.audit_anchor.read_text())
    with connect(home.database_url, seal=Seal.of(home)).begin() as session:  # settles 111+
        audit.record(session, event="alert_received", actor="medic", step=120)
    behind = runner.invoke(app, ["audit", "verify", "--json", "--anchor", str(copy)])
    assert behind.exit_code == 0, behind.output  # a copy may end before the chain does
    with _attacker(home).begin() as session:  # the database and the local anchor cut alike
        session.execute(text("DELETE FROM audit_log WHERE id > 100"))
        head = session.get(AuditHead, 1)
        head.last_hash, head.entries = session.get(AuditEntry, 100).hash, 100
    _cut(home.audit_anchor, 100)
    assert _verify()[0] == 0  # the limit: nothing on this machine remembers more
    remote = runner.invoke(app, ["audit", "verify", "--json", "--anchor", str(copy)])
    assert remote.exit_code == 1
    assert "entries 101 to 110 are anchored but missing" in json.loads(remote.stdout)["reason"]
