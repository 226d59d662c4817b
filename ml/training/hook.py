"""Ask an external model's own pipeline to retrain it: export its labelled window, post a hook.

Medic cannot retrain a model trained elsewhere (`training: external`). Its spec may name a
hook (`training: {external: true, hook_url: …, secret_env: NAME}`); `request_retrain`
writes the model's labelled production rows (predictions joined with their feedback) to a
CSV file under the home and POSTs a JSON request signed like Medic's other webhooks
(`X-Medic-Signature: sha256=HMAC(secret, "<timestamp>.<body>")`) with the incident, the
model and where the file is. The pipeline trains and registers a new version in MLflow;
Medic's gate and verify judge it as any other. See docs/external-models.md.
"""

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from core.channels.webhook import sign
from core.clock import utcnow
from core.home import write_private
from ml import spec as specs

log = logging.getLogger(__name__)

EVENT = "retrain_requested"
RETRIED = {408, 425, 429, 500, 502, 503, 504}
"""Answers worth another attempt: the receiver is busy or briefly down."""
BACKOFF_SECONDS = 0.5  # then 1 s, 2 s, … at most MAX_BACKOFF_SECONDS between attempts
MAX_BACKOFF_SECONDS = 5.0


@dataclass(frozen=True)
class HookOutcome:
    """What became of one retrain request: sent, or failed and why; the file and its rows."""

    sent: bool
    why: str
    """Sent: what the receiver answered; failed: the reason, one line."""
    file: Path | None = None
    rows: int = 0
    attempts: int = 0

    @property
    def text(self) -> str:
        """Return `sent` or `failed: why`, as the agent and a person read it."""
        return "sent" if self.sent else f"failed: {self.why}"


def request_retrain(settings, spec: specs.ModelSpec, *, incident_id: int, actor: str,
                    sessions=None, now: datetime | None = None) -> HookOutcome:
    """Export `spec`'s labelled production window and POST the signed retrain request.

    The window is the retrain window of `settings.retrain_config` (`window_minutes`) up to
    `now`. `sessions` (the app database) is opened from the settings when not given. Never
    raises for the hook's sake: a missing hook or secret, an unreachable or refusing
    receiver, are a failed outcome saying why. The secret is read from the environment
    variable the spec names and never logged or stored.
    """
    hook = spec.hook
    if hook is None:
        why = ("Medic retrains it itself" if not spec.external else
               "its spec names no retrain hook (training: {external: true, hook_url: …, "
               "secret_env: …})")
        return HookOutcome(False, f"{spec.name}: {why}")
    secret = os.environ.get(hook.secret_env, "")
    if not secret:
        return HookOutcome(False, f"environment variable {hook.secret_env} (the hook's "
                                  "secret) is not set")
    sessions = sessions or _sessions(settings)
    until = now or utcnow()
    since = until - timedelta(minutes=_window_minutes(settings, spec))
    path, rows, columns = export(sessions, spec, since=since, until=until,
                                 folder=settings.home / "exports", incident_id=incident_id)
    body = json.dumps(_payload(settings, spec, sessions, incident_id=incident_id, actor=actor,
                               path=path, rows=rows, columns=columns, since=since,
                               until=until)).encode()
    outcome = _post(hook, secret, body, delivery=path.stem)
    log.warning("%s: retrain hook to %s for incident %d: %s (%d rows in %s)", spec.name,
                urlsplit(hook.hook_url).netloc, incident_id, outcome.text, rows, path.name)
    return HookOutcome(outcome.sent, outcome.why, path, rows, outcome.attempts)


def export(sessions, spec: specs.ModelSpec, *, since: datetime, until: datetime,
           folder: Path, incident_id: int) -> tuple[Path, int, list[str]]:
    """Write the labelled rows made in [since, until) as CSV; return file, rows, columns.

    The file is its owner's only (production data), under the home's `exports/`.
    Columns: the spec's features as callers sent them, the label under `spec.label` (a
    classifier's 0/1, a regressor's value), then `created_at`, `labelled_at`,
    `model_version` and `prediction` (what the model answered).
    """
    from ml.data import LABEL
    from ml.training.production import labelled

    frame = labelled(sessions, since=since, until=until, spec=spec)
    frame = frame.rename(columns={LABEL: spec.label, "probability": "prediction"})
    frame = frame.loc[:, [*spec.feature_names, spec.label, "created_at", "labelled_at",
                          "model_version", "prediction"]]
    folder.mkdir(parents=True, exist_ok=True)
    stamp = until.strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"{spec.name}-incident-{incident_id}-{stamp}.csv"
    write_private(path, frame.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ").encode())
    return path, len(frame), list(frame.columns)


def _payload(settings, spec: specs.ModelSpec, sessions, *, incident_id: int, actor: str,
             path: Path, rows: int, columns: list[str], since: datetime,
             until: datetime) -> dict:
    """Return the request's JSON: who asks, for which model and incident, and the data."""
    from ml.registry.aliases import Registry
    from ml.registry.client import lazy_client

    registered = specs.registry_name(settings, spec)
    champion = Registry(lazy_client(settings), sessions, registered).recorded_champion()
    return {
        "event": EVENT, "model": spec.name, "task": spec.task,
        "registry_name": registered, "champion_version": champion,
        "incident_id": incident_id, "requested_by": actor,
        "requested_at": utcnow().isoformat(),
        "data": {"path": str(path), "uri": path.as_uri(), "format": "csv", "rows": rows,
                 "columns": columns, "features": list(spec.feature_names),
                 "label": spec.label,
                 "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                 "window": {"since": since.isoformat(), "until": until.isoformat()}},
    }


def _post(hook: specs.ExternalTraining, secret: str, body: bytes, *,
          delivery: str) -> HookOutcome:
    """POST the signed body, retrying what may pass (no answer, a timeout, a 5xx, 429)."""
    import httpx

    why = "not attempted"
    for attempt in range(1, hook.attempts + 1):
        headers = {"Content-Type": "application/json", "X-Medic-Event": EVENT,
                   "X-Medic-Delivery": delivery, **sign(secret, body)}
        try:
            answer = httpx.post(hook.hook_url, content=body, headers=headers,
                                timeout=hook.timeout_seconds)
        except httpx.HTTPError as error:
            why = f"no answer ({type(error).__name__})"
        else:
            if answer.is_success:
                return HookOutcome(True, f"the receiver answered {answer.status_code}",
                                   attempts=attempt)
            why = f"the receiver answered {answer.status_code}"
            if answer.status_code not in RETRIED:
                return HookOutcome(False, why, attempts=attempt)
        if attempt < hook.attempts:
            time.sleep(min(BACKOFF_SECONDS * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS))
    return HookOutcome(False, f"{why} after {hook.attempts} attempts", attempts=hook.attempts)


def _window_minutes(settings, spec: specs.ModelSpec) -> int:
    """Return how far back the labelled window reaches: the retrain config's window."""
    from ml.training.heal_config import HealConfig

    return HealConfig.for_model(settings.retrain_config, spec).window_minutes


def _sessions(settings):
    """Open the app database (a caller without one: a tool, a script)."""
    from core.audit_seal import Seal
    from core.db import connect

    return connect(settings.database_url, seal=Seal.of(settings))
