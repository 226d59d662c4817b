"""Declare an alert source once: its name, how to read its payload, how to tell it apart.

The ways in read payloads through the registry (`core/alert_sources/`): the webhooks (by
name), `medic alert send` and the evaluation harness (which tell the formats apart).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.alerts import Alert


@dataclass(frozen=True)
class AlertSource:
    """One sender of alerts.

    `name` is the format callers name (`medic`, `alertmanager`). `parse` reads one payload
    into alerts, raising AlertError with a one-line reason. `recognises` says whether a
    payload whose format is not named is this source's (None: it must be named); one no
    source recognises is read as Medic's own JSON.
    """

    name: str
    parse: Callable[[Any], "list[Alert]"]
    recognises: Callable[[Any], bool] | None = None
