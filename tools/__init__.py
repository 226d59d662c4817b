"""Medic tools."""
