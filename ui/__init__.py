"""Medic ui."""
