"""Histograms of answer times and a classifier's labelled scores, error sums: slot, hour, day.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 03:40:00

The Performance page read its latency percentiles and a classifier's ROC-AUC from the rows
(every one up to 20,000 a period, else a sample), and 30 days of slots for the rest. Three
tables now count them as they are written (`core/rollup.py`, `core/histograms.py`), keyed
like the per-slot counts plus the span's width (30, 3600 or 86400 s):

- `latency_counts`: answers per log-spaced bucket, each 2% wider than the one below from
  0.01 ms (bucket 0: faster; bucket 1000: about 65 minutes or slower);
- `score_counts`: labelled scores per bin of 0.005 and class answered, positives and
  negatives apart (so a period's confusion matrix reads its days and hours too);
- `error_sums`: 0011's error sums of `label_counts` (a regressor's MAE, RMSE, R²) again,
  per slot, hour and day, copied from its slots.

The histograms are filled here from the rows an upgraded home already holds: 30-second
slots from the rows (a label 0 or 1 on a score in [0, 1] counts as a class, as 0011
counted the confusion matrix of every model), then hours and days from the slots. The buckets are
computed as `core/histograms.py` does; on SQLite by the same arithmetic in Python,
registered on the connection (SQLite's math functions are a build option).
"""

import math

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FASTEST, RATIO, LAST, BINS = 0.01, 1.02, 1_000, 200  # as core/histograms.py
WIDTHS = (3_600, 86_400)  # summed from the 30-second slots
SUMS = ("labels", "abs_error", "squared_error", "truth", "squared_truth")  # as 0011's


def upgrade() -> None:
    """Create the two histograms and count what the log already holds."""
    def key(*more: str) -> list:
        names = ("width", "slot", "model", "model_version", "bucket", *more)
        return [sa.Column("width", sa.Integer(), nullable=False),
                sa.Column("slot", sa.BigInteger(), nullable=False),
                sa.Column("model", sa.String(length=200), server_default="heart-disease",
                          nullable=False),
                sa.Column("model_version", sa.String(length=32), nullable=False),
                sa.Column("bucket", sa.Integer(), nullable=False),
                *(sa.Column(name, sa.Integer(), nullable=False) for name in more),
                sa.PrimaryKeyConstraint(*names)]

    op.create_table("latency_counts", *key(),
                    sa.Column("predictions", sa.BigInteger(), nullable=False))
    op.create_table("score_counts", *key("predicted"),
                    sa.Column("positives", sa.BigInteger(), nullable=False),
                    sa.Column("negatives", sa.BigInteger(), nullable=False))
    op.create_table("error_sums", *key()[:4],
                    sa.Column("labels", sa.BigInteger(), nullable=False),
                    *(sa.Column(name, sa.Float(), nullable=False) for name in SUMS[1:]),
                    sa.PrimaryKeyConstraint("width", "slot", "model", "model_version"))
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":  # a slot's rows are mostly apart: many groups
        op.execute("SET LOCAL work_mem = '256MB'")
    at, latency, score = _sql(connection)
    op.execute(
        "INSERT INTO latency_counts (width, slot, model, model_version, bucket, predictions) "
        f"SELECT 30, {at}, p.model, p.model_version, {latency}, count(*) "
        "FROM predictions p GROUP BY 2, 3, 4, 5")
    op.execute(
        "INSERT INTO score_counts "
        "(width, slot, model, model_version, bucket, predicted, positives, negatives) "
        f"SELECT 30, {at}, p.model, p.model_version, {score}, p.label, "
        "sum(CASE WHEN f.label = 1 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN f.label = 0 THEN 1 ELSE 0 END) "
        "FROM feedback f JOIN predictions p ON p.request_id = f.request_id "
        "WHERE f.label IN (0, 1) AND p.probability >= 0 AND p.probability <= 1 "
        "GROUP BY 2, 3, 4, 5, 6")
    names = ", ".join(SUMS)
    op.execute(f"INSERT INTO error_sums (width, slot, model, model_version, {names}) "
               f"SELECT 30, slot, model, model_version, {names} FROM label_counts "
               "WHERE labels <> 0")
    for table, keys, values in (("latency_counts", ", bucket", "predictions"),
                                ("score_counts", ", bucket, predicted", "positives, negatives"),
                                ("error_sums", "", names)):
        sums = ", ".join(f"sum({v})" for v in values.split(", "))
        groups = ", ".join(str(i) for i in range(2, 5 + keys.count(",")))
        for width in WIDTHS:
            op.execute(
                f"INSERT INTO {table} (width, slot, model, model_version{keys}, {values}) "
                f"SELECT {width}, slot / {width} * {width}, model, model_version{keys}, "
                f"{sums} FROM {table} WHERE width = 30 GROUP BY {groups}")


def downgrade() -> None:
    """Drop the histograms (Medic itself only upgrades; for `alembic downgrade`)."""
    op.drop_table("error_sums")
    op.drop_table("score_counts")
    op.drop_table("latency_counts")


def _sql(connection) -> tuple[str, str, str]:
    """Return the SQL of a row's slot, its latency bucket and its score bin."""
    if connection.dialect.name == "postgresql":
        steps = f"floor(ln(p.latency_ms / {FASTEST}) / {math.log(RATIO)!r})"
        return ("CAST(floor(extract(epoch FROM p.created_at) / 30) * 30 AS BIGINT)",
                f"CASE WHEN p.latency_ms >= {FASTEST} "
                f"THEN CAST(LEAST({LAST}, 1 + {steps}) AS INTEGER) ELSE 0 END",
                f"CAST(LEAST({BINS - 1}, GREATEST(0, floor(p.probability * {BINS}))) "
                "AS INTEGER)")
    raw = connection.connection.driver_connection
    raw.create_function("medic_0012_latency", 1, _latency, deterministic=True)
    raw.create_function("medic_0012_score", 1, _score, deterministic=True)
    return ("CAST(strftime('%s', substr(p.created_at, 1, 19)) AS INTEGER) / 30 * 30",
            "medic_0012_latency(p.latency_ms)", "medic_0012_score(p.probability)")


def _latency(ms: float) -> int:
    if ms is None or not ms >= FASTEST:
        return 0
    return min(LAST, 1 + int(math.log(ms / FASTEST) / math.log(RATIO)))


def _score(score: float) -> int:
    if score is None or not score > 0:
        return 0
    return min(BINS - 1, int(score * BINS))
