"""Medic api."""
