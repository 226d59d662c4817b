"""Medic's own alert JSON: one alert object or a list of them (what no other source claims)."""

from core.alert_source import AlertSource
from core.alerts import from_medic

MEDIC = AlertSource(name="medic", parse=from_medic)
