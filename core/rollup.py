"""Count the prediction log and its labels per model and 30-second slot, as they are written.

Every count is keyed by (slot, model, model version): each model's Overview and Monitoring
count its own rows only. A label adds to its slot's confusion matrix (a classifier's) and to
its error sums (every model's; a regressor's MAE, RMSE and R² are read from them).
Beside them, histograms (`core/histograms.py`) of the answer times and of a classifier's
labelled scores, and the error sums again, each counted in its slot, hour and day: the
Performance page reads any period as its whole days and hours and the slots at its ends.
"""

import math
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    BigInteger,
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from core import histograms
from core.clock import utcnow
from core.request_ids import by_request_id
from core.tables import (
    FIRST_MODEL,
    ErrorSum,
    Feedback,
    LabelCount,
    LatencyCount,
    Prediction,
    PredictionCount,
    ScoreCount,
    insert_for,
)

SLOT = 30  # seconds: each bucket the monitoring series cuts (hours x 150 s) is whole slots
EARLY = 0x6D65646966  # PostgreSQL advisory lock: the log's writer against a label come early
CELLS = {(1, 1): "tp", (1, 0): "fp", (0, 1): "fn", (0, 0): "tn"}  # (predicted, true)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Label = tuple[datetime, str, str, int, float, float, int]
"""created_at, model, version, predicted class, predicted value (the log's `probability`),
true value, +1 (or -1: a label taken back)."""
SUMS = ("labels", "abs_error", "squared_error", "truth", "squared_truth")


def slot(at: datetime) -> int:
    """Return the epoch second that starts the slot `at` falls in (naive means UTC)."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return (at - _EPOCH) // timedelta(seconds=SLOT) * SLOT


def count_predictions(session: Session, rows: Iterable[dict]) -> None:
    """Add logged rows (created_at, model, model_version, label, latency_ms) in their transaction.

    Each counts in its slot, and its answer time in the latency histogram's slot, hour, day.
    """
    counted, positive, times = Counter(), Counter(), Counter()
    for row in rows:
        key = slot(row["created_at"]), row.get("model", FIRST_MODEL), row["model_version"]
        counted[key] += 1
        positive[key] += int(row["label"])
        bucket = histograms.latency_bucket(row["latency_ms"])
        for width, start in _spans(key[0]):
            times[width, start, key[1], key[2], bucket] += 1
    _add(session, PredictionCount, [
        {"slot": s, "model": m, "model_version": v, "predictions": n,
         "positives": positive[s, m, v]}
        for (s, m, v), n in sorted(counted.items())])
    _add(session, LatencyCount, [
        {"width": w, "slot": s, "model": m, "model_version": v, "bucket": b, "predictions": n}
        for (w, s, m, v, b), n in sorted(times.items())])


def count_labels(session: Session, labels: Iterable[Label], *, classes: bool = True) -> None:
    """Add labels to their prediction's model and slot (sign -1 takes a changed one back).

    Each adds to its slot's error sums; with `classes` (a classifier's), to its confusion
    matrix and its score histogram too — a regressor's true value has no class to count in.
    """
    cells: dict[tuple[int, str, str], dict[str, float]] = {}
    scores: dict[tuple, dict[str, int]] = {}
    for created_at, model, version, predicted, value, true, sign in labels:
        key = slot(created_at), model, version
        cell = cells.setdefault(key, dict.fromkeys((*CELLS.values(), *SUMS), 0))
        kind = CELLS.get((int(predicted), true)) if classes else None  # (1, 1.0): (1, 1)
        if kind is not None:
            cell[kind] += sign
        if classes and true in (0, 1):
            bucket = histograms.score_bin(float(value))
            for width, start in _spans(key[0]):
                held = scores.setdefault((width, start, model, version, bucket, int(predicted)),
                                         {"positives": 0, "negatives": 0})
                held["positives" if true == 1 else "negatives"] += sign
        error = float(value) - float(true)
        cell["labels"] += sign
        cell["abs_error"] += sign * abs(error)
        cell["squared_error"] += sign * error * error
        cell["truth"] += sign * float(true)
        cell["squared_truth"] += sign * float(true) * float(true)
    _add(session, LabelCount, [{"slot": s, "model": m, "model_version": v, **cell}
                               for (s, m, v), cell in sorted(cells.items())])
    _add(session, ScoreCount, [
        {"width": w, "slot": s, "model": m, "model_version": v, "bucket": b, "predicted": c,
         **held}
        for (w, s, m, v, b, c), held in sorted(scores.items())])
    spread: dict[tuple, dict[str, float]] = {}
    for (at, m, v), cell in cells.items():
        for width, start in _spans(at):
            held = spread.setdefault((width, start, m, v), dict.fromkeys(SUMS, 0))
            for name in SUMS:
                held[name] += cell[name]
    _add(session, ErrorSum, [{"width": w, "slot": s, "model": m, "model_version": v, **held}
                             for (w, s, m, v), held in sorted(spread.items())])


def _spans(at: int) -> list[tuple[int, int]]:
    """Return (width, start) of the slot, hour and day a slot's epoch second falls in."""
    return [(width, at // width * width) for width in histograms.WIDTHS]


def share_early_lock(session: Session) -> None:
    """Let a label that came before its prediction's row be counted once (PostgreSQL).

    The log's writer holds this shared while it writes rows and reads their early labels;
    a label that finds no row takes it exclusively and looks again (`store_label`).
    """
    if _dialect(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:id)"), {"id": EARLY})


def stored_labels(session: Session, rows: list[dict], *, classes: bool = True) -> None:
    """Count the labels already stored for rows just written (feedback faster than the log).

    `classes=False`: the rows are a regressor's (error sums only, see `count_labels`).
    """
    by_id = {row["request_id"]: row for row in rows}
    found = session.execute(select(Feedback.request_id, Feedback.label)
                            .where(Feedback.request_id.in_(by_id))).all()
    count_labels(session, [(by_id[i]["created_at"], by_id[i].get("model", FIRST_MODEL),
                            by_id[i]["model_version"], by_id[i]["label"],
                            by_id[i]["probability"], true, 1)
                           for i, true in found], classes=classes)


def store_label(session: Session, request_id: str, label: float, *, model: str | None = None,
                counted: bool = True) -> None:
    """Store a prediction's true label and count it; a changed label moves its count.

    Writes come first, so on SQLite the reads after them hold the database's write lock.
    When the prediction's row is not written yet, the log's writer counts the label.
    `model` keys the label (default: the column's); `counted=False` (a regressor's true
    value, which has no class) adds it to the error sums only.
    """
    keyed = {"model": model} if model is not None else {}
    inserted = session.execute(
        insert_for(session, Feedback).values(request_id=request_id, label=label,
                                          received_at=utcnow(), **keyed)
        .on_conflict_do_nothing(index_elements=["request_id"])
        .returning(Feedback.request_id)).first() is not None  # rowcount: -1 on psycopg
    before = None
    if not inserted:
        before = session.scalar(select(Feedback.label).where(Feedback.request_id == request_id)
                                .with_for_update())
        if before == label:
            return
        session.execute(update(Feedback).where(Feedback.request_id == request_id)
                        .values(label=label))
    found = _prediction(session, request_id)
    if found is None and _dialect(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": EARLY})
        found = _prediction(session, request_id)
    if found is None:
        return
    at, owner, version, predicted, value = found
    count_labels(session, [(at, owner, version, predicted, value, label, 1)]
                 + ([(at, owner, version, predicted, value, before, -1)]
                    if before is not None else []), classes=counted)


def buckets(session: Session, start: int, width: int, count: int, *,
            model: str = FIRST_MODEL):
    """Return per bucket of `width` s from `start`: predictions, positives, tp, fp, fn, tn.

    Only `model`'s rows are counted.
    """
    end = start + width * count
    sums = [[0] * 6 for _ in range(count)]
    for table, columns, first in ((PredictionCount, ("predictions", "positives"), 0),
                                  (LabelCount, ("tp", "fp", "fn", "tn"), 2)):
        bucket = ((table.slot - start) // width).label("bucket")
        found = session.execute(
            select(bucket, *(func.sum(getattr(table, c)) for c in columns))
            .where(table.model == model, table.slot >= start, table.slot < end)
            .group_by(bucket)).all()
        for b, *values in found:
            sums[int(b)][first:first + len(values)] = [int(v or 0) for v in values]
    return sums


def errors(session: Session, start: int, width: int, count: int, *,
           model: str = FIRST_MODEL) -> list[list[float]]:
    """Return per bucket of `width` s from `start` the error sums of `model`'s labels.

    Each is [labels, Σ|error|, Σerror², Σtrue, Σtrue²] (see `LabelCount`): every label of
    the buckets' predictions, each bucket read as its whole days and hours and the slots at
    its ends (`ErrorSum`), so 30 daily buckets are 30 days' rows.
    """
    sums = [[0, 0.0, 0.0, 0.0, 0.0] for _ in range(count)]
    spans = _bucket_spans(start, width, count)
    bucket = ((ErrorSum.slot - start) // width).label("bucket")
    found = session.execute(
        select(bucket, *(func.sum(getattr(ErrorSum, c)) for c in SUMS))
        .where(ErrorSum.model == model, _spanned(ErrorSum, spans))
        .group_by(bucket)).all()
    for b, n, *values in found:
        sums[int(b)] = [int(n or 0), *(float(v or 0) for v in values)]
    return sums


def _bucket_spans(start: int, width: int, count: int) -> list:
    """Return the spans (`histograms.cover`) of `count` buckets of `width` s from `start`."""
    return [span for i in range(count)
            for span in histograms.cover(start + i * width, start + (i + 1) * width)]


def histogram(session: Session, table, start: int, middle: int, end: int, *,
              model: str = FIRST_MODEL) -> tuple[dict, dict]:
    """Return `model`'s histogram over [start, middle) and over [middle, end) (epoch s).

    `table`: `LatencyCount` ({bucket: answers}) or `ScoreCount` ({(bin, class answered):
    (positives, negatives)}). Each period is read as its whole days and hours and the slots
    at its ends (`histograms.cover`): about 300 spans a version for 30 days, whatever the
    traffic.
    """
    keys = [c for c in table.__table__.primary_key if c.name not in _SPANNED]
    values = [c for c in table.__table__.columns if not c.primary_key]
    later = (table.slot >= middle).label("later")
    found = session.execute(
        select(later, *keys, *(func.sum(c) for c in values))
        .where(table.model == model,
               _spanned(table, histograms.cover(start, middle) + histograms.cover(middle, end)))
        .group_by(later, *keys)).all()
    periods: tuple[dict, dict] = ({}, {})
    for row in found:
        key, sums = tuple(int(k) for k in row[1:1 + len(keys)]), row[1 + len(keys):]
        periods[bool(row[0])][key[0] if len(key) == 1 else key] = (
            int(sums[0] or 0) if len(sums) == 1 else tuple(int(v or 0) for v in sums))
    return periods


def confusions(session: Session, start: int, width: int, count: int, *,
               model: str = FIRST_MODEL) -> list[dict[str, int]]:
    """Return per bucket of `width` s from `start` a classifier's tp, fp, fn and tn.

    From its score counts (`ScoreCount`, by class answered): each bucket read as its whole
    days and hours and the slots at its ends, so 30 daily buckets are 30 days' rows.
    """
    spans = _bucket_spans(start, width, count)
    at = ((ScoreCount.slot - start) // width).label("at")
    found = session.execute(
        select(at, ScoreCount.predicted, func.sum(ScoreCount.positives),
               func.sum(ScoreCount.negatives))
        .where(ScoreCount.model == model, _spanned(ScoreCount, spans))
        .group_by(at, ScoreCount.predicted)).all()
    cells = [dict.fromkeys(CELLS.values(), 0) for _ in range(count)]
    for b, predicted, positives, negatives in found:
        for true, n in ((1, positives), (0, negatives)):
            kind = CELLS.get((int(predicted), true))
            if kind is not None:
                cells[int(b)][kind] += int(n or 0)
    return cells


_SPANNED = {"width", "slot", "model", "model_version"}


def _spanned(table, spans: list[tuple[int, int, int]]):
    """Return the condition of `table`'s rows in `spans` (width, from, to).

    Adjacent spans of one width are merged: 30 whole days are one range of day rows.
    """
    merged: list[list[int]] = []
    for width, low, high in sorted(spans):
        if merged and merged[-1][0] == width and merged[-1][2] == low:
            merged[-1][2] = high
        else:
            merged.append([width, low, high])
    return or_(*(and_(table.width == width, table.slot >= low, table.slot < high)
                 for width, low, high in merged))


def predictions_since(session: Session, since: datetime, *, model: str = FIRST_MODEL) -> int:
    """Return how many predictions of `model` were logged since `since`.

    Whole slots come from the counts; the part of a slot before the first whole one is
    counted on the log's (model, created_at) index, at most 30 seconds of rows.
    """
    boundary = slot(since)
    if _EPOCH + timedelta(seconds=boundary) < since:
        boundary += SLOT
    whole = session.scalar(select(func.sum(PredictionCount.predictions))
                           .where(PredictionCount.model == model,
                                  PredictionCount.slot >= boundary))
    part = session.scalar(select(func.count()).select_from(Prediction).where(
        Prediction.model == model, Prediction.created_at >= since,
        Prediction.created_at < _EPOCH + timedelta(seconds=boundary)))
    return int(whole or 0) + int(part or 0)


def backfill(connection) -> None:
    """Count what an upgraded home logged before the counts existed (each table once).

    Each INSERT ... SELECT fills its table only while it is empty, so a second process
    opening the same home at the same time adds nothing.
    """
    at = _slot_sql(connection.dialect.name, Prediction.created_at)
    predicted, true = Prediction.label, Feedback.label

    def hits(p: int, t: int):
        return func.sum(case(((predicted == p) & (true == t), 1), else_=0))

    connection.execute(PredictionCount.__table__.insert().from_select(
        ["slot", "model", "model_version", "predictions", "positives"],
        select(at, Prediction.model, Prediction.model_version, func.count(), func.sum(predicted))
        .where(~exists(select(PredictionCount.slot)))
        .group_by(at, Prediction.model, Prediction.model_version)))
    connection.execute(LabelCount.__table__.insert().from_select(
        ["slot", "model", "model_version", "tp", "fp", "fn", "tn", *SUMS],
        select(at, Prediction.model, Prediction.model_version,
               hits(1, 1), hits(1, 0), hits(0, 1), hits(0, 0),
               *error_sums(Prediction.probability, true))
        .select_from(Feedback).join(Prediction, Prediction.request_id == Feedback.request_id)
        .where(~exists(select(LabelCount.slot)))
        .group_by(at, Prediction.model, Prediction.model_version)))
    fill_histograms(connection)


def fill_histograms(connection) -> None:
    """Count the answer times, labelled scores and error sums already logged (each width once).

    Slots from the rows (the error sums from `label_counts`, filled first), then hours and
    days from the slots; a width that already has rows (kept as they were written) is left.
    """
    at = _slot_sql(connection.dialect.name, Prediction.created_at)
    latency, score = _bucket_sql(connection)
    true = Feedback.label

    def missing(table, width: int):
        return ~exists(select(table.slot).where(table.width == width))

    connection.execute(LatencyCount.__table__.insert().from_select(
        ["width", "slot", "model", "model_version", "bucket", "predictions"],
        select(literal(SLOT), at, Prediction.model, Prediction.model_version,
               latency(Prediction.latency_ms).label("bucket"), func.count())
        .where(missing(LatencyCount, SLOT))
        .group_by(at, Prediction.model, Prediction.model_version, "bucket")))
    connection.execute(ScoreCount.__table__.insert().from_select(
        ["width", "slot", "model", "model_version", "bucket", "predicted", "positives",
         "negatives"],
        select(literal(SLOT), at, Prediction.model, Prediction.model_version,
               score(Prediction.probability).label("bucket"), Prediction.label,
               func.sum(case((true == 1, 1), else_=0)), func.sum(case((true == 0, 1), else_=0)))
        .select_from(Feedback).join(Prediction, Prediction.request_id == Feedback.request_id)
        .where(true.in_((0, 1)), Prediction.probability.between(0, 1),
               missing(ScoreCount, SLOT))
        .group_by(at, Prediction.model, Prediction.model_version, "bucket", Prediction.label)))
    connection.execute(ErrorSum.__table__.insert().from_select(
        ["width", "slot", "model", "model_version", *SUMS],
        select(literal(SLOT), LabelCount.slot, LabelCount.model, LabelCount.model_version,
               *(getattr(LabelCount, c) for c in SUMS))
        .where(LabelCount.labels != 0, missing(ErrorSum, SLOT))))
    for table in (LatencyCount, ScoreCount, ErrorSum):
        keys = [c for c in table.__table__.primary_key if c.name not in _SPANNED]
        values = [c for c in table.__table__.columns if not c.primary_key]
        for width in histograms.WIDTHS[:-1]:
            start = (table.slot // width * width).label("start")
            connection.execute(table.__table__.insert().from_select(
                ["width", "slot", "model", "model_version", *(c.name for c in keys),
                 *(c.name for c in values)],
                select(literal(width), start, table.model, table.model_version, *keys,
                       *(func.sum(c) for c in values))
                .where(table.width == SLOT, missing(table, width))
                .group_by(start, table.model, table.model_version, *keys)))


def _bucket_sql(connection):
    """Return SQL of `histograms.latency_bucket` and `histograms.score_bin` for `connection`.

    PostgreSQL computes them; SQLite (whose math functions are a build option) calls the
    Python functions themselves, registered on the connection.
    """
    if connection.dialect.name != "postgresql":
        raw = connection.connection.driver_connection
        raw.create_function("medic_latency_bucket", 1, histograms.latency_bucket,
                            deterministic=True)
        raw.create_function("medic_score_bin", 1, histograms.score_bin, deterministic=True)
        return func.medic_latency_bucket, func.medic_score_bin

    def latency(column):
        steps = func.floor(func.ln(column / histograms.FASTEST) / math.log(histograms.RATIO))
        return cast(case((column >= histograms.FASTEST,
                          func.least(histograms.LAST, 1 + steps)), else_=0), Integer)

    def score(column):
        return cast(func.least(histograms.BINS - 1,
                               func.greatest(0, func.floor(column * histograms.BINS))), Integer)

    return latency, score


def error_sums(value, true) -> list:
    """Return the SQL of the error sums (`SUMS`) of logged values against their labels."""
    error = value - true
    return [func.count(), func.sum(func.abs(error)), func.sum(error * error), func.sum(true),
            func.sum(true * true)]


def _slot_sql(dialect: str, column):
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column) / SLOT) * SLOT,
                    BigInteger).label("slot")
    # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff'; strftime rounds to the millisecond, so
    # 0.9999995 s would count in the next second: cut the fraction off first.
    whole = func.strftime("%s", func.substr(column, 1, 19))
    return (cast(whole, Integer) // SLOT * SLOT).label("slot")


def _prediction(session: Session, request_id: str):
    return session.execute(select(Prediction.created_at, Prediction.model,
                                  Prediction.model_version, Prediction.label,
                                  Prediction.probability)
                           .where(*by_request_id(request_id))).first()


def _add(session: Session, table, values: list[dict]) -> None:
    if not values:
        return
    keys = [c.name for c in table.__table__.primary_key]
    statement = insert_for(session, table)
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={c.name: c + statement.excluded[c.name] for c in table.__table__.columns
              if c.name not in keys})
    session.execute(statement, values)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
