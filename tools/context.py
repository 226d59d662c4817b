"""Say what tools act on: narrow interfaces to the registry, notifier, clock and database."""

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from core.clock import Clock, utcnow
from ml import spec as specs
from ml.spec import ModelSpec
from ml.training.config import TrainingConfig
from ml.training.heal_config import HealConfig


class Sessions(Protocol):
    """The app database's session factory."""

    def __call__(self) -> Session: ...

    def begin(self) -> AbstractContextManager[Session]: ...


class ModelRegistry(Protocol):
    """The registered model's versions and aliases, changed only by compare-and-set."""

    name: str

    def alias(self, alias: str) -> str | None: ...

    def version(self, version: str) -> Any: ...

    def recorded_versions(self) -> list: ...

    def recorded_alias(self, alias: str) -> str | None: ...

    def recorded_version(self, version: str) -> Any: ...

    def history(self) -> list: ...

    def load(self, alias_or_version: str = ...) -> Any: ...

    def promote(self, version: str, *, expected: str | None, actor: str,
                reason: str) -> None: ...

    def rollback(self, *, expected: str, actor: str, reason: str) -> str: ...

    def request_reload(self, *, actor: str) -> int: ...


class Notifier(Protocol):
    """Somewhere messages for people go (and are kept)."""

    def send(self, subject: str, body: str, *, incident_id: int | None = None) -> list[str]: ...


class Trainer(Protocol):
    """A remediation retrain, bound to its data, registry and production log.

    Returns an `ml.training.heal.RetrainOutcome`: trained (with the result), requested
    from the team's own pipeline (a model trained elsewhere), or why not.
    """

    def __call__(self, *, actor: str, incident_id: int | None = None) -> Any: ...


@dataclass(frozen=True)
class ToolContext:
    """The real components tools act on, and the few settings they need; built once."""

    sessions: Sessions
    registry: ModelRegistry
    notifier: Notifier
    trainer: Trainer
    training: TrainingConfig | None
    """Parsed once; `min_f1` already carries the settings' override. None: the model is
    trained outside Medic (`training: external`)."""
    spec: ModelSpec
    """The model the tools act on (one context per model: `for_model`)."""
    heal: HealConfig
    """How remediation retrains, judges and verifies (`configs/retrain.yaml`)."""
    data_dir: Path
    evidence_dir: Path
    clock: Clock = utcnow
    monitors_config: Path | None = None
    """The monitors' definitions (`configs/monitors.yaml`): a reload is judged by them."""
    default: bool = True
    """Whether the model is the settings' default model (the one commands name without
    `--model`)."""

    @classmethod
    def build(cls, settings, *, sessions: Sessions, registry: ModelRegistry,
              notifier: Notifier, clock: Clock = utcnow,
              model: str | None = None) -> "ToolContext":
        """Take what tools need from the settings for one model (default: the default model).

        `registry` must be that model's (`ml.spec.registry_name`). Nothing else of the
        settings reaches a tool.
        """
        spec = specs.of(settings, model)
        training = None if spec.external else TrainingConfig.from_settings(settings, spec)
        return cls(sessions=sessions, registry=registry, notifier=notifier,
                   trainer=_bind_trainer(settings, registry, sessions, spec),
                   training=training, spec=spec,
                   heal=HealConfig.for_model(settings.retrain_config, spec),
                   data_dir=Path(settings.data_dir),
                   evidence_dir=Path(settings.evidence_dir), clock=clock,
                   monitors_config=Path(settings.monitors_config),
                   default=spec.name == settings.default_model)

    @property
    def metric(self) -> str:
        """Return the model's performance metric (its gate's: F1, MAE, ...)."""
        return self.heal.gate.metric


def _bind_trainer(settings, registry, sessions, spec: ModelSpec) -> Trainer:
    def train(*, actor: str, incident_id: int | None = None):
        from ml.training import heal

        if spec.external:  # trained elsewhere: its team's pipeline is asked, by its hook
            return heal.request(settings, sessions, spec, actor=actor, incident_id=incident_id)
        return heal.retrain(settings, registry, sessions, actor=actor, spec=spec)

    return train
