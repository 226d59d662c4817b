"""Train the models that have no champion yet in a child process, one after another.

`medic up` trains the default model before it serves (it cannot start without one); every
other model without a champion is trained here, after start-up, so `/ready` does not wait
for it. The child holds the GIL while it fits, never the serving process. Until the model
is served its routes answer 503 with what this says (training, retry in N s; or failed).
"""

import logging
import threading
import time
from dataclasses import dataclass

from core.settings import Settings

log = logging.getLogger(__name__)

ESTIMATE_SECONDS = 90.0
"""How long a shipped recipe takes on a fresh home (bike-demand: 82 s on 2 shared cores)."""
TIMEOUT_SECONDS = 3600.0
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class TrainingState:
    """Where one model's background training stands."""

    model: str
    state: str  # "waiting", "training", "trained" (being loaded) or "failed"
    started: float | None = None  # time.monotonic() when its training began

    @property
    def retry_seconds(self) -> int:
        """Return how long a caller should wait before asking again."""
        if self.state == "trained":
            return 5
        elapsed = time.monotonic() - self.started if self.started is not None else 0.0
        queued = ESTIMATE_SECONDS if self.state == "waiting" else 0.0
        return int(max(5.0, queued + ESTIMATE_SECONDS - elapsed))

    @property
    def message(self) -> str:
        """Return the one line a caller sees while the model is not served."""
        if self.state == "failed":
            return (f"{self.model} has no champion: its background training failed (see the "
                    f"server log); run `medic train --model {self.model}`")
        if self.state == "trained":
            return f"{self.model} is trained and being loaded, retry in {self.retry_seconds} s"
        return f"{self.model} is training, retry in {self.retry_seconds} s"


def to_train(settings: Settings, specs, champion_of) -> list[str]:
    """Return the models `medic up` trains in the background (no champion, not default).

    Only models with a recipe of Medic's whose `champion_of(spec)` is None; none unless the
    profile is embedded and `train_in_background` is on.
    """
    if not settings.train_in_background or settings.profile != "embedded":
        return []
    return [s.name for s in specs if s.name != settings.default_model and not s.external
            and champion_of(s) is None]


def train_model(settings: Settings, name: str) -> None:
    """Train and register `name` with its spec's own recipe (run in the child, niced)."""
    import os

    from ml import spec as specs
    from ml.registry.aliases import open_registry
    from ml.training import train

    os.nice(5)  # the serving process comes first; the fit still gets an idle core
    chosen = specs.of(settings, name)
    config = settings.model_copy(update={
        "model_name": specs.registry_name(settings, chosen), "default_model": name,
        "experiment": name, "training_config": None, "min_f1": None})
    result = train.run(config, open_registry(config), actor="medic up")
    log.warning("%s trained: version %s %s (%s) in %.0f s", name, result.version,
                result.decision, result.reason, result.seconds)


class Training:
    """Train the named models in one child process, in order; say where each stands."""

    def __init__(self, settings: Settings, names: list[str]) -> None:
        from services.processes.background import ChildJob

        self._settings, self._waiting = settings, list(names)
        self._states = {name: TrainingState(name, "waiting") for name in names}
        self._job = ChildJob("background training", train_model, timeout=TIMEOUT_SECONDS)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="background-training",
                                        daemon=True)

    def start(self) -> None:
        """Start training the first model."""
        if self._waiting:
            self._thread.start()

    def state(self, name: str) -> TrainingState | None:
        """Return where `name`'s training stands; None when it is not trained here."""
        return self._states.get(name)

    def close(self) -> None:
        """Stop: a training under way is killed (the next start trains it again)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self._job.close(grace=0)

    def _run(self) -> None:
        for name in self._waiting:
            if self._stop.is_set():
                return
            log.warning("%s has no champion: training it in the background (its routes "
                        "answer 503 until it is served)", name)
            self._states[name] = TrainingState(name, "training", time.monotonic())
            self._job.start(self._settings, name)
            while not self._job.wait(POLL_SECONDS):
                if self._stop.is_set():
                    return
            failed = self._job.last_answer != "ok"
            self._states[name] = TrainingState(name, "failed" if failed else "trained")
        self._job.close()
