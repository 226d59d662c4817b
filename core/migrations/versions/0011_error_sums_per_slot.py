"""Each slot's labels keep their error sums: a regressor's MAE, RMSE and R² without its rows.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 22:50:00

`label_counts` gains, per (slot, model, model version), the sums of every label's error
(the logged value less the true value): `labels` (n), `abs_error` (Σ|error|),
`squared_error` (Σerror²), `truth` (Σtrue) and `squared_truth` (Σtrue²), kept as the
labels are stored (`core/rollup.py`). They are on the confusion matrix's rows, not a table
of their own: the same key, written by the same upsert when a label is stored or moved,
trimmed by the same retention and partition drops, read by the same range scan.

The labels already stored are summed here from feedback ⋈ predictions: a slot with counts
gains its sums, a slot without (a regressor's labels were not counted) a row of its own.
A home whose counts were never filled (before 0009's tables) gets its confusion matrix in
the same statement — `rollup.backfill` then finds the table filled and adds nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SUMS = (("labels", sa.BigInteger()), ("abs_error", sa.Float()),
        ("squared_error", sa.Float()), ("truth", sa.Float()), ("squared_truth", sa.Float()))


def upgrade() -> None:
    """Add the sums' columns and sum the labels already stored."""
    connection = op.get_bind()
    empty = connection.scalar(sa.text("SELECT count(*) FROM "
                                      "(SELECT 1 FROM label_counts LIMIT 1) AS one")) == 0
    for name, kind in SUMS:
        op.add_column("label_counts", sa.Column(name, kind, nullable=False,
                                                server_default="0"))
    if connection.dialect.name == "postgresql":
        at = "CAST(floor(extract(epoch FROM p.created_at) / 30) * 30 AS BIGINT)"
    else:  # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff': the fraction cut, as rollup does
        at = "CAST(strftime('%s', substr(p.created_at, 1, 19)) AS INTEGER) / 30 * 30"

    def hits(predicted: int, true: int) -> str:
        if not empty:  # the counts kept are the truth: new rows add no class to them
            return "0"
        return f"sum(CASE WHEN p.label = {predicted} AND f.label = {true} THEN 1 ELSE 0 END)"

    names = ", ".join(name for name, _ in SUMS)
    op.execute(
        f"INSERT INTO label_counts (slot, model, model_version, tp, fp, fn, tn, {names}) "
        f"SELECT {at}, p.model, p.model_version, {hits(1, 1)}, {hits(1, 0)}, {hits(0, 1)}, "
        f"{hits(0, 0)}, count(*), sum(abs(p.probability - f.label)), "
        "sum((p.probability - f.label) * (p.probability - f.label)), sum(f.label), "
        "sum(f.label * f.label) "
        "FROM feedback f JOIN predictions p ON p.request_id = f.request_id WHERE true "
        f"GROUP BY {at}, p.model, p.model_version "
        "ON CONFLICT (slot, model, model_version) DO UPDATE SET "
        + ", ".join(f"{name} = excluded.{name}" for name, _ in SUMS))


def downgrade() -> None:
    """Drop the sums (Medic itself only upgrades; for `alembic downgrade`)."""
    with op.batch_alter_table("label_counts") as batch:
        for name, _ in SUMS:
            batch.drop_column(name)
