"""Serve every known model at once: each its registry name, serving model and watcher.

Every spec in the models folder is known. Each follows its own champion alias (its own
`ServingModel`), so promoting one model never touches another. One watcher thread polls for
all of them: every `reload_seconds` it reads every model's recorded champion and reload
generation at once, and hands a model whose champion moved to a loader thread (a few, so
one slow load holds up no other). Twenty models' own watchers read the database sixty times
a second, each read taking the GIL from the requests. The default model's `ServingModel` is
the one today's routes serve. A model other than the default is served once the app
database records its champion (trained, promoted or rolled back through Medic): no MLflow
on the start-up path.

A spec added to the folder while the server runs (`medic models add`) is served without a
restart: a request for a name the fleet does not know reads the folder again — at most
once per `REFRESH_SECONDS`, so unknown names cannot make it scan on every request — and a
new spec gets its serving model, is watched (and, through `on_added`, gets its metrics).
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import ModelLoadError, NotFound
from core.heap import freeze_startup_objects
from ml import spec as specs
from ml.serving.model import ServingModel
from ml.serving.rows import Rows

log = logging.getLogger(__name__)

REFRESH_SECONDS = 2.0
"""At most one read of the models folder per this many seconds, for unknown names."""
LOADERS = 4
"""Champions loading at once, each in its own thread: a stuck load (a remote store) holds up
no more than itself."""


@dataclass
class Served:
    """One model as served: its spec, registry, rows and serving model."""

    spec: specs.ModelSpec
    registry: object
    rows: Rows
    serving: ServingModel
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
        self._watched: frozenset[str] = frozenset()  # replaced, never changed
        self._loading: set[str] = set()  # models a loader thread is loading now
        self._loading_lock = threading.Lock()
        self._loaders = threading.BoundedSemaphore(LOADERS)
        self._look = threading.Event()  # set: poll now, not at the next interval
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="model-watcher", daemon=True)

    def _serve(self, spec: specs.ModelSpec) -> Served:
        """Build one model's serving model (not watched yet)."""
        named = self._registry.named(specs.registry_name(self._settings, spec))
        rows = Rows(spec)
        serving = ServingModel(named, rows=rows, ask_mlflow=spec.name == self.default_name,
                               on_load_failure=lambda n=spec.name: self._on_load_failure(n),
                               external=spec.external,
                               classifier=spec.task == "binary_classification")
        return Served(spec, named, rows, serving)

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
                    self._follow([spec.name])  # loads its recorded champion at once
                log.info("model %s added to the models folder: served from now on", spec.name)
            return [spec.name for spec in added]
        finally:
            self._refresh.release()

    def load(self) -> None:
        """Load the default model's champion, if there is one (before the server listens)."""
        self.default.serving.reload()

    def start(self) -> None:
        """Start watching the default model (loaded already, so its first look is a poll on)."""
        self._watched = frozenset([self.default_name])
        self._watcher.start()

    def start_others(self) -> None:
        """Watch the other models too: each loads its champion at once.

        Called once the server answers: unpickling a tree ensemble imports scikit-learn and
        its booster's library (seconds), which the default model, served from a stored
        scorer, does not need to answer `/ready`.
        """
        with self._refresh:
            self._others_started = True
            self._follow([name for name in self._models if name != self.default_name])

    def close(self) -> None:
        """Stop watching; loads under way finish in their (daemon) threads, none start."""
        self._stop.set()
        self._look.set()
        if self._watcher.ident is not None:
            self._watcher.join(timeout=30)

    def _follow(self, names: list[str]) -> None:
        """Watch these models too, and look at once (each new one loads its champion)."""
        self._watched = self._watched | set(names)
        self._look.set()

    def _watch(self) -> None:
        """Every `reload_seconds` (or when woken), load each model whose champion moved."""
        while not self._stop.is_set():
            self._look.wait(self._settings.reload_seconds)
            self._look.clear()
            if self._stop.is_set():
                return
            try:
                self.look()
            except Exception:  # keep following the registry through transient errors
                log.warning("registry poll failed", exc_info=True)

    def look(self) -> None:
        """Read every watched model's champion in one read; load those that moved.

        A model's load runs in a loader thread; a model still loading is not handed over
        again, and one whose load failed is tried again on the next look.
        """
        watched = [self._models[name] for name in self._watched]
        found = self._registry.followed([served.registry.name for served in watched])
        for served in watched:
            champion, generation = found[served.registry.name]
            if not served.serving.behind(champion, generation):
                continue
            with self._loading_lock:
                if served.name in self._loading:
                    continue
                self._loading.add(served.name)
            threading.Thread(target=self._load, args=(served,), daemon=True,
                             name=f"model-loader-{served.name}").start()

    def _load(self, served: Served) -> None:
        try:
            with self._loaders:
                before = served.serving.current
                loaded = None if self._stop.is_set() else served.serving.reload()
        except ModelLoadError as error:  # counted; the previous model keeps serving
            log.error("%s; still serving version %s", error,
                      before.version if before else "none")
            return
        except Exception:  # a transient error of the stores: the next look tries again
            log.warning("loading %s's champion failed", served.name, exc_info=True)
            return
        finally:
            with self._loading_lock:
                self._loading.discard(served.name)
        if loaded is not None and loaded is not before:
            self._on_reload(served.name, loaded.version)
            self._freeze()

    def _freeze(self) -> None:
        """Put what the loads brought in out of the collector's reach, once none is under way.

        A model other than the default loads after start-up's freeze (`core.heap`), and with
        it scikit-learn and its booster's library (those imports alone: 75,000 objects, a
        full pass over them 130–200 ms on a loaded two-core machine), which every full
        collection walked again while the requests in flight waited: a stall the default
        model alone, served from its stored scorer, never had.
        """
        with self._loading_lock:
            if self._loading:
                return  # the last load to end freezes
        freeze_startup_objects("models loaded")
