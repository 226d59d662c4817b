"""Shared pieces of Medic: settings, errors, database, CLI."""
