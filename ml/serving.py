"""Hold the model being served and swap it when the champion alias moves."""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ml.fastpath import compile_scorer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    """A loaded model, its fast scorer, the registry version and reload generation."""

    version: str
    model: object
    score: Callable[[np.ndarray], np.ndarray]
    generation: int = 0


class ServingModel:
    """The in-process serving model: read without locks, replaced atomically."""

    def __init__(self, registry) -> None:
        self._registry = registry
        self._current: Loaded | None = None
        self._lock = threading.Lock()

    @property
    def current(self) -> Loaded | None:
        """Return what is being served, or None before the first load."""
        return self._current

    def reload(self, *, force: bool = False) -> Loaded | None:
        """Load the champion if it moved or a reload was requested; return what is served."""
        with self._lock:
            version = self._registry.alias("champion")
            if version is None:
                return self._current
            generation = self._registry.reload_generation()
            current = self._current
            if (force or current is None or current.version != version
                    or current.generation != generation):
                model = self._registry.load(version)
                self._current = Loaded(version=version, model=model,
                                       score=compile_scorer(model), generation=generation)
                log.info("serving %s version %s (reload generation %d)", self._registry.name,
                         version, generation)
            return self._current


class ModelWatcher:
    """Follow the champion alias and reload requests: swap the model within seconds."""

    def __init__(self, serving, *, on_reload, poll_seconds: float = 1.0) -> None:
        self._serving, self._on_reload, self._poll = serving, on_reload, poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="model-watcher", daemon=True)

    def start(self) -> None:
        """Start polling."""
        self._thread.start()

    def close(self) -> None:
        """Stop polling."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._poll):
            try:
                before = self._serving.current
                loaded = self._serving.reload()
            except Exception:  # keep following the registry through transient errors
                log.warning("registry poll failed", exc_info=True)
                continue
            if loaded is not None and loaded is not before:
                self._on_reload(loaded.version)
