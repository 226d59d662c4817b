"""The Audit page says what verify found: no "entry None", warnings kept, text escaped."""

from ui.console.audit import verdict


def test_a_broken_chain_without_an_entry_names_only_the_reason():
    shown = verdict({"ok": False, "entries": 12, "first_broken": None,
                     "reason": "the anchor file /h/audit-anchor.log is missing"})
    assert "None" not in shown and "anchor file /h/audit-anchor.log is missing" in shown


def test_a_broken_entry_is_named_and_the_reason_escaped():
    shown = verdict({"ok": False, "entries": 12, "first_broken": 7, "reason": "<b>edited</b>"})
    assert "at entry 7" in shown and "&lt;b&gt;edited&lt;/b&gt;" in shown


def test_an_intact_chain_keeps_verifys_warning():
    shown = verdict({"ok": True, "entries": 3, "first_broken": None,
                     "reason": "2 entries predate the audit key (plain SHA-256)"})
    assert "intact" in shown and "predate the audit key" in shown
