"""Medic agent_graph."""
