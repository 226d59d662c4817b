"""Hold the model being served and swap it when the champion alias moves."""

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from core.errors import ModelLoadError
from ml.serving.fastpath import LinearScorer, Scorer, compile_scorer

log = logging.getLogger(__name__)

THRESHOLD = 0.5
"""Probability at or above which a prediction is labelled 1 (disease): the one place it is set."""


class Loaded:
    """What is served: the registry version, its fast scorer, the pipeline, the generation.

    The pipeline is unpickled on first use when the scorer came from its stored spec, so a
    start-up with a stored scorer answers predictions before scikit-learn is imported.
    """

    def __init__(self, version: str, score: Scorer, load: Callable[[], object],
                 generation: int = 0) -> None:
        self.version, self.score, self.generation = version, score, generation
        self._load, self._model, self._lock = load, None, threading.Lock()

    @property
    def model(self):
        """Return the fitted pipeline (loading it the first time)."""
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model


class ServingModel:
    """The in-process serving model: read without locks, replaced atomically.

    A champion whose files cannot be loaded leaves the model served before in place;
    `on_load_failure` is called for each failed attempt (the API counts them). An
    `external` model (trained outside Medic, any shape or flavour) is scored as it was
    logged (`ml.serving.external`), a classifier's answer read as a probability.
    """

    def __init__(self, registry, *, on_load_failure: Callable[[], None] = lambda: None,
                 rows=None, ask_mlflow: bool = True, external: bool = False,
                 classifier: bool = True) -> None:
        self._registry, self._on_load_failure, self._rows = registry, on_load_failure, rows
        self._ask_mlflow = ask_mlflow  # False: only champions Medic recorded (no MLflow)
        self._external, self._classifier = external, classifier
        self._current: Loaded | None = None
        self._lock = threading.Lock()

    @property
    def current(self) -> Loaded | None:
        """Return what is being served, or None before the first load."""
        return self._current

    def behind(self, champion: str | None, generation: int) -> bool:
        """Return whether `reload` has work, given the recorded champion and generation.

        With no recorded champion, only a model that may ask MLflow (the default) has: its
        alias may have moved outside Medic.
        """
        if champion is None:
            return self._ask_mlflow
        current = self._current
        return current is None or current.version != champion \
            or current.generation != generation

    def reload(self, *, force: bool = False) -> Loaded | None:
        """Load the champion if it moved or a reload was requested; return what is served."""
        with self._lock:
            found = self._registry.champion_artifact() if self._ask_mlflow else \
                self._registry.champion_artifact(ask_mlflow=False)
            if found is None:
                return self._current
            generation = self._registry.reload_generation()
            current = self._current
            if (force or current is None or current.version != found.version
                    or current.generation != generation):
                self._current = self._open(found, generation)
                log.info("serving %s version %s (reload generation %d)", self._registry.name,
                         found.version, generation)
            return self._current

    def _open(self, found, generation: int) -> Loaded:
        try:
            return self._build(found, generation)
        except Exception as error:  # unpickling fails in many ways; each one is a failed load
            self._on_load_failure()
            raise _cannot_load(self._registry, found, error) from error

    def _build(self, found, generation: int) -> Loaded:
        if self._external:
            from ml.serving import external

            model = external.load(self._registry, found)
            score = external.scorer(model, self._rows, classifier=self._classifier)
            return Loaded(found.version, score, lambda: model, generation)

        def load():
            model = load_artifact(found.uri) if found.uri else None
            return model if model is not None else self._registry.load(found.version)

        if found.scorer is not None:
            return Loaded(found.version, LinearScorer.from_spec(found.scorer), load, generation)
        model = load()
        score = compile_scorer(model, self._rows)
        if isinstance(score, LinearScorer) and found.uri:
            self._registry.remember_scorer(found.version, score.spec())
        return Loaded(found.version, score, lambda: model, generation)


def load_artifact(uri: str):
    """Unpickle a local sklearn-flavour model straight from its files; None if not that kind.

    What `mlflow.sklearn.load_model` does for a cloudpickled model, without importing
    MLflow (seconds at start-up). Remote stores and other formats return None.
    """
    import yaml

    if "://" in uri and not uri.startswith("file://"):
        return None
    folder = Path(uri.removeprefix("file://"))
    try:
        flavour = yaml.safe_load((folder / "MLmodel").read_text())["flavors"]["sklearn"]
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        log.info("no local sklearn model at %s; loading through MLflow", uri)
        return None
    if flavour.get("serialization_format") not in ("cloudpickle", "pickle"):
        return None
    import cloudpickle

    with (folder / flavour["pickled_model"]).open("rb") as file:
        return cloudpickle.load(file)


def champion_scorer(registry, found, *, rows=None) -> Scorer:
    """Return a champion artifact's fast scorer: its stored spec, else compiled from its files.

    With `rows` (an external classifier's `Rows`): the model scored as it was logged
    (`ml.serving.external`). Raise ModelLoadError when its files cannot be loaded.
    """
    try:
        if rows is not None:
            from ml.serving import external

            return external.scorer(external.load(registry, found), rows, classifier=True)
        if found.scorer is not None:
            return LinearScorer.from_spec(found.scorer)
        model = load_artifact(found.uri) if found.uri else None
        return compile_scorer(model if model is not None else registry.load(found.version))
    except Exception as error:  # as in ServingModel: whatever broke, the load failed
        raise _cannot_load(registry, found, error) from error


def _cannot_load(registry, found, error: Exception) -> ModelLoadError:
    return ModelLoadError(f"cannot load {registry.name} version {found.version} "
                          f"({type(error).__name__})")


def scorer_spec(uri: str) -> dict | None:
    """Compile the logged model's fast scorer and return it as data, if it is that kind."""
    model = load_artifact(uri)
    scorer = compile_scorer(model) if model is not None else None
    return scorer.spec() if isinstance(scorer, LinearScorer) else None
