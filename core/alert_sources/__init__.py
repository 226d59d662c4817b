"""The alert sources, each declared in its own module and registered here by one line.

Adding a source: write `core/alert_sources/<name>.py` holding an `AlertSource` (its
parser and how to recognise its payload), then add it to `SOURCES` below.
"""

from typing import Any

from core.alert_source import AlertSource
from core.alert_sources.alertmanager import ALERTMANAGER
from core.alert_sources.medic import MEDIC
from core.alerts import Alert
from core.errors import AlertError

SOURCES: dict[str, AlertSource] = {source.name: source for source in (ALERTMANAGER, MEDIC)}


def parse(payload: Any, format: str = "any") -> list[Alert]:
    """Read a payload of the named format.

    "any": the first source that recognises the payload reads it; Medic's own JSON is read
    when none does (its errors then say what a Medic alert lacks).
    """
    if format != "any":
        try:
            return SOURCES[format].parse(payload)
        except KeyError:
            raise AlertError(f"unknown alert format {format!r} (known: any, "
                             f"{', '.join(SOURCES)})") from None
    for source in SOURCES.values():
        if source.recognises is not None and source.recognises(payload):
            return source.parse(payload)
    return MEDIC.parse(payload)


__all__ = ["SOURCES", "AlertSource", "parse"]
