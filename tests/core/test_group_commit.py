"""Concurrent submissions share a transaction; each caller still gets its own outcome."""

import threading
import time

import pytest
from sqlalchemy import event, func, select

from core import audit
from core.alerts import from_medic
from core.errors import NotFound, SignatureError
from core.group_commit import GroupCommit
from core.ingest import Submission
from core.tables import AlertRecord, Incident, SeenSignature
from services.context import open_medic
from tests.conftest import make_settings
from tests.processes import PATIENCE

WAIT = 30  # seconds: nothing here may hang


def _run_all(calls) -> list:
    """Run each call on its own thread; return each one's result or error, in order."""
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            outcomes[index] = call()
        except Exception as error:  # the outcome this caller would see
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _behind_a_first_group(items: list[str], **options) -> tuple[list, list[list[str]]]:
    """Submit `items` from threads while a first group is being stored; return what each
    caller got and the groups `store_all` saw (a group holding "bad" fails)."""
    storing, release = threading.Event(), threading.Event()
    groups: list[list[str]] = []

    def store_all(group: list[str]) -> list[str]:
        groups.append(list(group))
        if group == ["first"]:
            storing.set()
            assert release.wait(WAIT)
        if "bad" in group:
            raise ValueError("a bad item")
        return [item.upper() for item in group]

    commit = GroupCommit(store_all, **options)
    first = threading.Thread(target=commit.submit, args=("first",))
    first.start()
    assert storing.wait(WAIT)
    outcomes: list = []
    later = threading.Thread(target=lambda: outcomes.extend(
        _run_all([lambda item=item: commit.submit(item) for item in items])))
    later.start()
    deadline = time.monotonic() + WAIT * PATIENCE
    while len(commit._queue) < len(items) and time.monotonic() < deadline:
        time.sleep(0.01)  # until every item waits behind the first group
    release.set()
    first.join(WAIT)
    later.join(WAIT)
    return outcomes, groups


def test_items_sent_while_a_group_is_stored_go_together_and_a_bad_one_fails_alone():
    items = [f"item-{n}" for n in range(6)] + ["bad"]

    outcomes, groups = _behind_a_first_group(items)

    assert outcomes[:6] == [item.upper() for item in items[:6]]
    assert isinstance(outcomes[6], ValueError)
    assert groups[0] == ["first"] and sorted(groups[1]) == sorted(items)
    assert sorted(groups[2:]) == sorted([item] for item in items)  # again, one by one


def test_a_group_weighs_at_most_its_limit():
    outcomes, groups = _behind_a_first_group(["aaaa"] * 5, weight=len, limit=10)

    assert outcomes == ["AAAA"] * 5
    assert [len(group) for group in groups] == [1, 2, 2, 1]


def test_payloads_sent_at_once_are_stored_each_with_its_own_outcome(tmp_path, clock):
    with open_medic(make_settings(tmp_path / "medic"), clock=clock) as medic:
        medic.ingest(Submission(from_medic({"name": "Known", "type": "drift"}),
                                signature="spent"))
        good = [Submission(from_medic({"name": f"Drift{n % 4}", "type": "drift"}),
                           signature=f"sig-{n}") for n in range(12)]
        replayed = Submission(from_medic({"name": "Known", "type": "drift"}), signature="spent")
        unknown = Submission(from_medic({"name": "Never", "status": "resolved"}))

        outcomes = _run_all([lambda s=s: medic.ingest(s) for s in [*good, replayed, unknown]])

        assert isinstance(outcomes[12], SignatureError) and isinstance(outcomes[13], NotFound)
        incident_of = {}
        for submission, [stored] in zip(good, outcomes[:12], strict=True):
            incident_of.setdefault(submission.alerts[0].name, set()).add(stored.incident_id)
        assert all(len(ids) == 1 for ids in incident_of.values()) and len(incident_of) == 4
        with medic.sessions() as session:
            assert session.scalar(select(func.count()).select_from(AlertRecord)) == 13
            assert session.scalar(select(func.sum(Incident.alert_count))) == 13
            assert audit.verify(session).ok


def test_signatures_too_old_to_be_replayed_are_forgotten(tmp_path, clock):
    with open_medic(make_settings(tmp_path / "medic"), clock=clock) as medic:
        def send(signature: str) -> None:
            medic.ingest(Submission(from_medic({"name": "Drift", "type": "drift"}),
                                    signature=signature))

        send("old")
        clock.advance(minutes=6)
        send("recent")
        clock.advance(minutes=5)
        send("new")

        with medic.sessions() as session:
            assert set(session.scalars(select(SeenSignature.signature))) == {"recent", "new"}
        with pytest.raises(SignatureError, match="replay"):
            send("recent")


def test_a_signature_costs_one_statement_and_the_old_ones_are_forgotten_once_a_minute(
        tmp_path, clock):
    with open_medic(make_settings(tmp_path / "medic"), clock=clock) as medic:
        said: list[str] = []

        def heard(_connection, _cursor, statement, *_args) -> None:
            if "seen_signatures" in statement:
                said.append(statement.split()[0])

        event.listen(medic.sessions.kw["bind"], "before_cursor_execute", heard)
        for number in range(5):  # at 0, 25, 50, 75 and 100 seconds
            medic.ingest(Submission(from_medic({"name": f"Drift{number}", "type": "drift"}),
                                    signature=f"sent-{number}"))
            clock.advance(seconds=25)
        with pytest.raises(SignatureError, match="replay"):
            medic.ingest(Submission(from_medic({"name": "Drift0", "type": "drift"}),
                                    signature="sent-3"))

    assert said == ["DELETE", "INSERT", "INSERT", "INSERT", "DELETE", "INSERT", "INSERT",
                    "INSERT"]
