"""Serve every known model at once: each its registry name, serving model and watcher.

Every spec in the models folder is known. Each follows its own champion alias (a
`ServingModel` polled by its own `ModelWatcher`), so promoting one model never touches
another. The default model's `ServingModel` is the one today's routes serve. A model other
than the default is served once the app database records its champion (trained, promoted
or rolled back through Medic): no MLflow on the start-up path.

A spec added to the folder while the server runs (`medic models add`) is served without a
restart: a request for a name the fleet does not know reads the folder again — at most
once per `REFRESH_SECONDS`, so unknown names cannot make it scan on every request — and a
new spec gets its serving model and watcher (and, through `on_added`, its metrics).
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import NotFound
from ml import spec as specs
from ml.serving.model import ModelWatcher, ServingModel
from ml.serving.rows import Rows

log = logging.getLogger(__name__)

REFRESH_SECONDS = 2.0
"""At most one read of the models folder per this many seconds, for unknown names."""


@dataclass
class Served:
    """One model as served: its spec, registry, rows, serving model and watcher."""

    spec: specs.ModelSpec
    registry: object
    rows: Rows
    serving: ServingModel
    watcher: ModelWatcher
    counted: Callable[[int, int], None] = lambda _negatives, _positives: None
    """Counts its answers (negatives, positives) in the metrics; set by the app."""

    @property
    def name(self) -> str:
        """Return the model's name (its spec's)."""
        return self.spec.name

    @property
    def classifier(self) -> bool:
        """Return True for a classifier (answers a probability and a class)."""
        return self.spec.task == "binary_classification"


class Fleet:
    """Every known model, by name; the default model first."""

    def __init__(self, settings, registry, *, on_load_failure: Callable[[str], None],
                 on_reload: Callable[[str, str], None]) -> None:
        self.default_name = settings.default_model
        self._settings, self._registry = settings, registry
        self._on_load_failure, self._on_reload = on_load_failure, on_reload
        self.on_added: Callable[[Served], None] = lambda _served: None
        """Called for each model found after start-up, before it is served (the metrics)."""
        self._refresh = threading.Lock()
        self._next_refresh = 0.0
        self._others_started = False
        self._models: dict[str, Served] = {}  # replaced, never changed: safe to iterate
        self._models = {spec.name: self._serve(spec) for spec in specs.every(settings)}

    def _serve(self, spec: specs.ModelSpec) -> Served:
        """Build one model's serving model and watcher (not started)."""
        settings = self._settings
        named = self._registry.named(specs.registry_name(settings, spec))
        rows = Rows(spec)
        serving = ServingModel(named, rows=rows, ask_mlflow=spec.name == self.default_name,
                               on_load_failure=lambda n=spec.name: self._on_load_failure(n),
                               external=spec.external,
                               classifier=spec.task == "binary_classification")
        watcher = ModelWatcher(serving, poll_seconds=settings.reload_seconds,
                               name=f"model-watcher-{spec.name}",
                               at_once=spec.name != self.default_name,
                               on_reload=lambda v, n=spec.name: self._on_reload(n, v))
        return Served(spec, named, rows, serving, watcher)

    @property
    def names(self) -> list[str]:
        """Return the known models' names, the default first."""
        return list(self._models)

    @property
    def default(self) -> Served:
        """Return the default model (today's routes serve it)."""
        return self._models[self.default_name]

    def __iter__(self):
        return iter(self._models.values())

    def get(self, name: str) -> Served:
        """Return a known model; NotFound names the known ones.

        A name not known yet reads the models folder again (rate-limited), so a model added
        while the server runs is served from its first request.
        """
        found = self._models.get(name)
        if found is None and name in self.refresh():
            found = self._models.get(name)
        if found is None:
            raise NotFound(f"no model {name[:100]!r}; known: {', '.join(self._models)}")
        return found

    def refresh(self, *, force: bool = False) -> list[str]:
        """Serve the specs added to the models folder since the last read; return their names.

        Reads the folder at most once per `REFRESH_SECONDS` (unless `force`); one caller
        reads while others go on. A spec removed meanwhile stays served until the restart.
        """
        now = time.monotonic()
        if not force and now < self._next_refresh:
            return []
        if not self._refresh.acquire(blocking=False):
            return []
        try:
            self._next_refresh = now + REFRESH_SECONDS
            added = [spec for spec in specs.every(self._settings)
                     if spec.name not in self._models]
            for spec in added:
                served = self._serve(spec)
                self.on_added(served)
                self._models = {**self._models, spec.name: served}
                if self._others_started:
                    served.watcher.start()  # loads its recorded champion at once
                log.info("model %s added to the models folder: served from now on", spec.name)
            return [spec.name for spec in added]
        finally:
            self._refresh.release()

    def load(self) -> None:
        """Load the default model's champion, if there is one (before the server listens)."""
        self.default.serving.reload()

    def start(self) -> None:
        """Start the default model's watcher."""
        self.default.watcher.start()

    def start_others(self) -> None:
        """Start the other models' watchers: each loads its champion at once.

        Called once the server answers: unpickling a tree ensemble imports scikit-learn and
        its booster's library (seconds), which the default model, served from a stored
        scorer, does not need to answer `/ready`.
        """
        with self._refresh:
            self._others_started = True
            for served in self:
                if served.name != self.default_name:
                    served.watcher.start()

    def close(self) -> None:
        """Stop every watcher."""
        for served in self:
            served.watcher.close()

