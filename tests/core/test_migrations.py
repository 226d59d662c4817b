"""Issue 27, "upgrades lose nothing": the schema comes from Alembic revisions, on both databases.

A home made by the code before Alembic (`legacy_home/`, made by its script) is opened by
this code: every row is kept, the audit chain still verifies, keys still authenticate.
"""

import json
import multiprocessing
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text
from typer.testing import CliRunner

from cli.main import app
from core import audit, migrations
from core.db import init_db, make_engine
from core.errors import AuthError, ConfigError
from core.tables import Base
from services import approvals, keys
from services.context import open_medic
from tests.conftest import make_settings

LEGACY = Path(__file__).parent / "legacy_home"
EXPECTED = json.loads((LEGACY / "expected.json").read_text())
runner = CliRunner()


def load_postgres(url: str, dump: str) -> None:
    """Load a pg_dump file as psql would (its \\restrict lines are psql's, not SQL)."""
    import psycopg

    sql = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


def legacy_database(kind: str, home: Path, request) -> str:
    """Restore the legacy dump of `kind` into a new database; return its URL."""
    dump = (LEGACY / f"{kind}.sql").read_text()
    if kind == "sqlite":
        with sqlite3.connect(home / "medic.db") as connection:
            connection.executescript(dump)
        return f"sqlite:///{home / 'medic.db'}"
    url = request.getfixturevalue("postgres_url")
    load_postgres(url, dump)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def legacy(request, tmp_path, monkeypatch):
    """A home as the code before Alembic left it (its secrets and anchor), and its database."""
    home = tmp_path / "medic"
    shutil.copytree(LEGACY / request.param, home)
    url = legacy_database(request.param, home, request)
    monkeypatch.setenv("MEDIC_HOME", str(home))
    monkeypatch.setenv("MEDIC_DATABASE_URL", url)
    return make_settings(home, database_url=url), EXPECTED[request.param]


def rows(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = {t.name: connection.scalar(select(func.count()).select_from(t))
                 for t in Base.metadata.sorted_tables}
    engine.dispose()
    return found


def upgraded(settings, expected: dict) -> dict[str, int]:
    """Return the rows expected after the upgrade: the legacy ones, and PostgreSQL's chains."""
    chains = audit.POSTGRES_CHAINS if settings.database_url.startswith("postgresql") else 1
    return {**expected["rows"], "audit_head": chains}


def revision(url: str) -> str | None:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = migrations.revision(connection)
    engine.dispose()
    return found


def contents(url: str, columns: dict[str, list[str]] | None = None) -> tuple[dict, dict]:
    """Return every app table's rows (sorted) and the columns read, those given or all."""
    engine = make_engine(url)
    with engine.connect() as connection:
        known = inspect(connection)
        columns = columns or {t: [c["name"] for c in known.get_columns(t)]
                              for t in Base.metadata.tables if known.has_table(t)}
        found = {t: sorted(repr(tuple(map(_value, row))) for row in connection.execute(text(
            f"SELECT {', '.join(names)} FROM {t}"))) for t, names in columns.items()}
    engine.dispose()
    return found, columns


def _value(value):
    """Return a value as compared: a whole float as its int (0009 made feedback labels floats,
    the same numbers: 1 is kept as 1.0)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def upgraded_rows(url: str, expected: dict) -> dict[str, int]:
    """Return the rows the legacy home holds after the upgrade: the tables added since too.

    Read before the upgrade: each monitor's history is summed per hour, once (the hours its
    checks fall in); the record of the registry is filled on its first read; the log's
    answer times and labelled scores are counted in their buckets per slot, hour and day.
    """
    from core import histograms, rollup
    from core.monitor_counts import slot

    engine = make_engine(url)
    with engine.connect() as connection:
        hours = {(name, slot(datetime.fromisoformat(str(at)))) for name, at in  # one model
                 connection.execute(text("SELECT name, checked_at FROM monitor_history"))}
        logged = connection.execute(text(
            "SELECT p.created_at, p.model_version, p.latency_ms, p.probability, f.label "
            "FROM predictions p LEFT JOIN feedback f ON f.request_id = p.request_id")).all()
    engine.dispose()
    times, scores, errors = set(), set(), set()
    for at, version, latency, score, true in logged:
        at = rollup.slot(at if isinstance(at, datetime) else datetime.fromisoformat(at))
        for width in histograms.WIDTHS:
            times.add((width, at // width, version, histograms.latency_bucket(latency)))
            if true is not None:
                errors.add((width, at // width, version))
            if true in (0, 1):
                scores.add((width, at // width, version, histograms.score_bin(score)))
    return {**expected["rows"], "model_facts": 0, "monitor_hour_counts": len(hours),
            "rollouts": 0, "shadow_predictions": 0, "external_versions": 0,
            "latency_counts": len(times), "score_counts": len(scores),
            "error_sums": len(errors)}


def models(url: str) -> set[str]:
    """Return every model named by the rows of the tables now keyed by model."""
    engine = make_engine(url)
    with engine.connect() as connection:
        found = {name for table in ("incidents", "alerts", "approvals", "predictions",
                                    "feedback", "monitor_states", "monitor_history")
                 for name in connection.scalars(text(f"SELECT DISTINCT model FROM {table}"))}
    engine.dispose()
    return found


def verify() -> dict:
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_home_from_before_alembic_upgrades_in_place_and_keeps_everything(legacy):
    settings, expected = legacy
    assert revision(settings.database_url) is None  # made before Alembic: no version
    before, columns = contents(settings.database_url)
    after = upgraded_rows(settings.database_url, expected)

    with open_medic(settings) as medic:  # the first start of this version upgrades it
        assert keys.authenticate(medic, expected["keys"]["ana"]).role == "approver"
        assert keys.authenticate(medic, expected["keys"]["ops"]).role == "operator"
        with pytest.raises(AuthError):
            keys.authenticate(medic, expected["keys"]["bot"])  # revoked before: still revoked

    assert revision(settings.database_url) == migrations.HEAD
    assert rows(settings.database_url) == {**after, **upgraded(settings, expected)}
    found = contents(settings.database_url, columns)[0]
    found["audit_head"] = found["audit_head"][:1]  # PostgreSQL's other chains: new, empty
    assert found == before  # every value of every row
    assert models(settings.database_url) == {"heart-disease"}  # the one model there was
    assert verify() == {"ok": True, "entries": expected["rows"]["audit_log"],
                        "first_broken": None, "reason": ""}
    with open_medic(settings) as medic:  # and the chain goes on from where it was
        ana = keys.authenticate(medic, expected["keys"]["ana"])
        pending = approvals.pending(medic)
        assert len(pending) == 1
        approvals.decide(medic, pending[0].id, principal=ana, approve=False, comment="later")
    assert verify()["entries"] > expected["rows"]["audit_log"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    return request.getfixturevalue("postgres_url")


def test_the_revisions_build_exactly_the_tables_the_code_declares(fresh_url):
    # a change to core/tables.py without its revision fails here
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(fresh_url)
    init_db(engine)
    if fresh_url.startswith("postgresql"):  # LangGraph's tables beside Medic's are not ours
        from agent_graph.runtime.checkpoint import open_checkpointer

        with open_checkpointer(fresh_url):
            pass
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=migrations.context_options())
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_the_latest_revision_undone_by_hand_is_applied_again_at_the_next_start(fresh_url):
    from alembic import command

    engine = make_engine(fresh_url)
    init_db(engine)
    with engine.begin() as connection:
        command.downgrade(migrations.alembic_config(connection), "0001")
        assert "model" not in {c["name"] for c in inspect(connection).get_columns("incidents")}
    init_db(engine)
    assert revision(fresh_url) == migrations.HEAD
    with engine.connect() as connection:
        assert "model" in {c["name"] for c in inspect(connection).get_columns("incidents")}
    engine.dispose()


def test_head_names_the_newest_revision():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert script.get_heads() == [migrations.HEAD]


def test_a_start_on_an_upgraded_database_does_not_import_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'medic.db'}"
    init_db(make_engine(url))
    started = subprocess.run(
        [sys.executable, "-c", "import sys; from core.db import init_db, make_engine; "
         f"init_db(make_engine({url!r})); print(sorted(m for m in sys.modules "
         "if m.split('.')[0] == 'alembic'))"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    assert started.stdout.strip() == "[]"


def test_a_database_newer_than_this_medic_is_refused_in_one_line(fresh_url, tmp_path,
                                                                 monkeypatch):
    engine = make_engine(fresh_url)
    init_db(engine)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {migrations.VERSION_TABLE} SET version_num = 'f00d'"))
    with pytest.raises(ConfigError, match="revision f00d, newer than this Medic"):
        init_db(engine)
    engine.dispose()

    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "medic"))
    monkeypatch.setenv("MEDIC_DATABASE_URL", fresh_url)
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1
    assert "newer than this Medic" in result.output


def start(url: str, gate, errors) -> None:
    """A replica starting: wait at the gate with the others, then open the database."""
    engine = make_engine(url)
    gate.wait()
    try:
        init_db(engine)
    except Exception as error:  # what the replica would die of
        errors.put(repr(error)[:300])
    finally:
        engine.dispose()


def test_two_processes_upgrading_one_legacy_database_at_once_both_start(legacy):
    settings, expected = legacy
    after = upgraded_rows(settings.database_url, expected)
    spawn = multiprocessing.get_context("spawn")
    gate, errors = spawn.Barrier(2), spawn.Queue()
    replicas = [spawn.Process(target=start, args=(settings.database_url, gate, errors))
                for _ in range(2)]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(timeout=300)
    assert [replica.exitcode for replica in replicas] == [0, 0]
    assert errors.empty(), errors.get()
    assert revision(settings.database_url) == migrations.HEAD
    # the history summed once, not twice; PostgreSQL's audit chains made
    assert rows(settings.database_url) == {**after, **upgraded(settings, expected)}
    assert verify()["ok"]


def test_counts_and_labels_kept_at_0008_become_the_default_models(fresh_url):
    """0009: the per-slot counts gain a model (heart-disease for the rows kept), labels floats."""
    from alembic import command

    from core import rollup
    from core.tables import Feedback, LabelCount, Prediction, PredictionCount

    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), "0008")
        connection.execute(text(
            "INSERT INTO prediction_counts (slot, model_version, predictions, positives) "
            "VALUES (1800, '2', 40, 12), (1830, '2', 5, 1)"))
        connection.execute(text(
            "INSERT INTO label_counts (slot, model_version, tp, fp, fn, tn) "
            "VALUES (1800, '2', 3, 1, 2, 4)"))
        connection.execute(text(
            "INSERT INTO feedback (request_id, label, received_at) "
            "VALUES ('r1', 1, '2026-12-04 20:00:00')"))
    init_db(engine)  # the next start applies 0009
    assert revision(fresh_url) == migrations.HEAD
    with engine.connect() as connection:
        counted = connection.execute(select(
            PredictionCount.slot, PredictionCount.model, PredictionCount.model_version,
            PredictionCount.predictions, PredictionCount.positives)
            .order_by(PredictionCount.slot)).all()
        assert [tuple(row) for row in counted] == [(1800, "heart-disease", "2", 40, 12),
                                                   (1830, "heart-disease", "2", 5, 1)]
        assert [tuple(r) for r in connection.execute(select(
            LabelCount.model, LabelCount.tp, LabelCount.fp, LabelCount.fn, LabelCount.tn))] \
            == [("heart-disease", 3, 1, 2, 4)]
        assert connection.scalar(select(Feedback.label)) == 1.0
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():  # another model's rows: their own key
        rollup.count_predictions(session, [
            {"created_at": datetime(1970, 1, 1, 0, 30, 5), "model": "bike-demand",
             "model_version": "2", "label": 0, "latency_ms": 3.0}])
        session.add(Feedback(request_id="r2", model="bike-demand", label=31.25))
    with Session(engine) as session:
        assert rollup.buckets(session, 1800, 60, 1)[0][:2] == [45, 13]  # heart-disease's
        assert rollup.buckets(session, 1800, 60, 1, model="bike-demand")[0][:2] == [1, 0]
        assert session.get(Feedback, "r2").label == 31.25  # stored exactly
        assert session.scalar(select(func.count()).select_from(Prediction)) == 0
    engine.dispose()


def test_labels_stored_at_0010_gain_their_error_sums(fresh_url):
    """0011: every label already stored is summed into its slot (a regressor's in a row of
    its own, a classifier's beside its confusion matrix, which is kept), per model."""
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
    from sqlalchemy.orm import Session

    from core import rollup
    from core.tables import LabelCount

    engine = make_engine(fresh_url)
    rows = [("b1", "bike-demand", 0.0, 40.0, 31.0), ("b2", "bike-demand", 0.0, 12.5, 20.0),
            ("b3", "bike-demand", 0.0, 7.0, 7.5), ("b4", "bike-demand", 0.0, 90.0, None),
            ("h1", "heart-disease", 1.0, 0.8, 1.0), ("h2", "heart-disease", 0.0, 0.3, 1.0)]
    with engine.begin() as connection:
        command_upgrade(connection, "0010")
        for request_id, model, label, value, truth in rows:
            connection.execute(text(
                "INSERT INTO predictions (request_id, model, features, probability, label, "
                "model_version, latency_ms, created_at) VALUES (:id, :model, '{}', :value, "
                ":label, '3', 1.0, '1970-01-01 00:30:05')"),
                {"id": request_id, "model": model, "value": value, "label": label})
            if truth is not None:
                connection.execute(text(
                    "INSERT INTO feedback (request_id, model, label, received_at) "
                    "VALUES (:id, :model, :truth, '1970-01-01 01:00:00')"),
                    {"id": request_id, "model": model, "truth": truth})
        connection.execute(text(  # the classifier's labels, counted as 0010's code did
            "INSERT INTO label_counts (slot, model, model_version, tp, fp, fn, tn) "
            "VALUES (1800, 'heart-disease', '3', 1, 0, 1, 0)"))
    init_db(engine)  # the next start applies 0011
    assert revision(fresh_url) == migrations.HEAD
    with Session(engine) as session:
        found = {r.model: r for r in session.scalars(select(LabelCount))}
        assert (found["heart-disease"].tp, found["heart-disease"].fn) == (1, 1)  # kept
        assert (found["bike-demand"].tp, found["bike-demand"].fp, found["bike-demand"].fn,
                found["bike-demand"].tn) == (0, 0, 0, 0)  # a regressor's labels: no class
        for model, truth, predicted in (("bike-demand", [31.0, 20.0, 7.5], [40.0, 12.5, 7.0]),
                                        ("heart-disease", [1.0, 1.0], [0.8, 0.3])):
            n, absolute, squared, total, squares = rollup.errors(session, 1800, 30, 1,
                                                                 model=model)[0]
            assert n == len(truth)
            assert absolute / n == pytest.approx(mean_absolute_error(truth, predicted))
            assert (squared / n) ** 0.5 == pytest.approx(
                mean_squared_error(truth, predicted) ** 0.5)
            if model == "bike-demand":
                assert 1 - squared / (squares - total ** 2 / n) == pytest.approx(
                    r2_score(truth, predicted))
    engine.dispose()


def command_upgrade(connection, to: str) -> None:
    from alembic import command

    command.upgrade(migrations.alembic_config(connection), to)


def test_a_log_held_before_0012_fills_the_histograms_its_page_reads(fresh_url):
    """0012: the answer times and labelled scores already logged are counted in their
    slots, hours and days, as the log's writer counts them, and the error sums 0011 kept
    per slot summed per hour and day, for the Performance page."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from core import histograms, rollup
    from core.db import connect
    from core.tables import LatencyCount, ScoreCount
    from tests.core import test_histograms

    def stamp(epoch: float) -> str:  # as both databases read it: UTC, to the microsecond
        return f"{datetime.fromtimestamp(epoch, UTC):%Y-%m-%d %H:%M:%S.%f}+00:00"

    engine = make_engine(fresh_url)
    rng = np.random.default_rng(12)
    start = 1_800_000_000 - 1_800_000_000 % 86_400  # a midnight; rows over 3 days from it
    logged = []
    with engine.begin() as connection:
        command_upgrade(connection, "0010")  # 0011 sums the labels per slot, 0012 the rest
        for i in range(900):
            at = start + float(rng.uniform(0, 3 * 86_400))
            model = "heart-disease" if i % 3 else "bike-demand"
            score = float(rng.random()) if model == "heart-disease" else float(rng.uniform(0, 600))
            truth = int(rng.random() < score) if model == "heart-disease" else round(score)
            latency = float(rng.gamma(2.0, 4.0))
            logged.append((at, model, latency, score, truth if i % 2 else None))
            connection.execute(text(
                "INSERT INTO predictions (request_id, model, features, probability, label, "
                "model_version, latency_ms, created_at) VALUES (:id, :model, '{}', :score, "
                ":label, '3', :latency, :at)"),
                {"id": f"r{i}", "model": model, "score": score, "latency": latency,
                 "label": int(score >= 0.5) if model == "heart-disease" else 0,
                 "at": stamp(at)})
            if i % 2:
                connection.execute(text(
                    "INSERT INTO feedback (request_id, model, label, received_at) "
                    "VALUES (:id, :model, :truth, :at)"),
                    {"id": f"r{i}", "model": model, "truth": truth, "at": stamp(at)})
    init_db(engine)  # the next start applies 0011 and 0012
    assert revision(fresh_url) == migrations.HEAD
    sessions = connect(fresh_url)
    assert test_histograms.stored(sessions) == test_histograms.by_hand(sessions)
    test_histograms.errors_agree(sessions)
    middle, end = start + 2 * 86_400 + 3_600 * 5 + 90, start + 3 * 86_400  # a ragged cut
    with sessions() as session:
        times = rollup.histogram(session, LatencyCount, start, middle, end)
        scores = rollup.histogram(session, ScoreCount, start, middle, end)
    for found, low, high in ((times[0], start, middle), (times[1], middle, end)):
        exact = [ms for at, model, ms, _s, _t in logged
                 if model == "heart-disease" and low <= at < high]
        assert sum(found.values()) == len(exact)
        for q in (50, 95, 99):
            assert abs(histograms.percentile(found, q) - np.percentile(exact, q)) <= \
                histograms.LATENCY_BOUND * np.percentile(exact, q)
    labelled = [(s, t) for at, model, _ms, s, t in logged
                if model == "heart-disease" and t is not None and start <= at < middle]
    bins: dict[int, tuple[int, int]] = {}
    for (found, _answered), (positives, negatives) in scores[0].items():
        bins[found] = (bins.get(found, (0, 0))[0] + positives,
                       bins.get(found, (0, 0))[1] + negatives)
    auc, bound = histograms.auc(bins)
    assert abs(auc - roc_auc_score([t for _s, t in labelled], [s for s, _t in labelled])) <= bound
    with sessions() as session:  # and the error sums, per day and over a ragged cut
        days = rollup.errors(session, start, 86_400, 3, model="bike-demand")
        cut = rollup.errors(session, start + 3_630, middle - start - 3_630, 1,
                            model="bike-demand")[0]
    for sums, low, high in [*((days[i], start + i * 86_400, start + (i + 1) * 86_400)
                              for i in range(3)), (cut, start + 3_630, middle)]:
        pairs = [(s, t) for at, model, _ms, s, t in logged
                 if model == "bike-demand" and t is not None and low <= at < high]
        assert sums[0] == len(pairs)
        assert sums[1] == pytest.approx(sum(abs(s - t) for s, t in pairs), rel=1e-9)
        assert sums[2] == pytest.approx(sum((s - t) ** 2 for s, t in pairs), rel=1e-9)
    engine.dispose()
