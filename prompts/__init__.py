"""Medic prompts."""
