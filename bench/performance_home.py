"""Seed a PostgreSQL app database for the Performance page: N predictions per model.

heart-disease (a classifier) and bike-demand (a regressor), N rows each spread evenly over
the last 30 days, answer times uniform in 0-20 ms, 20% labelled: heart-disease's scores
uniform, its class answered the score's at 0.5 and its true class 1 with the score's
probability (ROC-AUC about 0.83); bike-demand's true value within ±40 of its prediction.
Counted as an upgraded home would be (`rollup.backfill`). The database is made anew.

Usage: .venv/bin/python bench/performance_home.py [--database medic_perf] [--rows 1000000]
       (a database at an older revision, for a before run: `alembic downgrade` it)
Then: MEDIC_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/medic_perf \\
      .venv/bin/python bench/console_services.py --home DIR --model bike-demand
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="medic_perf")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--server", default="postgres@127.0.0.1:5432")
    options = parser.parse_args()
    import psycopg
    from sqlalchemy import text

    from core import rollup
    from core.db import init_db, make_engine

    with psycopg.connect(f"postgresql://{options.server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{options.database}"')
        admin.execute(f'CREATE DATABASE "{options.database}"')
    engine = make_engine(f"postgresql+psycopg://{options.server}/{options.database}")
    init_db(engine)
    started = time.perf_counter()
    with engine.begin() as connection:
        for model, regressor in (("heart-disease", False), ("bike-demand", True)):
            values = {"model": model, "regressor": regressor, "n": options.rows}
            connection.execute(text("""
              INSERT INTO predictions (model, request_id, features, probability, label,
                                       model_version, latency_ms, created_at)
              SELECT CAST(:model AS text), CAST(:model AS text) || '-' || g,
                     '{"age": 50}'::json, p,
                     CASE WHEN CAST(:regressor AS boolean) THEN 0 ELSE (p >= 0.5)::int END,
                     '2', random() * 20,
                     now() - (g::float / CAST(:n AS int)) * interval '30 days'
              FROM (SELECT g, CASE WHEN CAST(:regressor AS boolean) THEN random() * 600
                                   ELSE random() END AS p
                    FROM generate_series(1, CAST(:n AS int)) g) AS scored"""), values)
            connection.execute(text("""
              INSERT INTO feedback (request_id, model, label, received_at)
              SELECT request_id, model,
                     CASE WHEN CAST(:regressor AS boolean)
                          THEN round(probability + (random() - 0.5) * 80)
                          ELSE (random() < probability)::int END, now()
              FROM predictions WHERE model = :model AND random() < 0.2"""), values)
        rollup.backfill(connection)  # the counts and histograms, as an upgrade fills them
        connection.execute(text("ANALYZE"))
    print(f"seeded {options.rows:,} predictions per model in "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
