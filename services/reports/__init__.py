"""Incident and model-health reports: collect the facts, render HTML, print a capped PDF."""
