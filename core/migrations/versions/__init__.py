"""Alembic revision files, applied in order by core.migrations.upgrade."""
