"""Name the models the monitors watch: every spec in MEDIC_MODELS_DIR with a champion or rows."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.errors import NotFound
from core.tables import Prediction, RegistryEvent
from ml import spec as specs
from services.context import Medic

if TYPE_CHECKING:
    from ml.registry.aliases import Registry


@dataclass(frozen=True)
class Watched:
    """One model to watch: its spec, its registry, and whether the API serves it here."""

    spec: specs.ModelSpec
    registry: "Registry"
    default: bool

    @property
    def name(self) -> str:
        """Return the model's name (its spec's), the key of its rows, monitors and incidents."""
        return self.spec.name


def known(medic: Medic) -> list[str]:
    """Return the names of every spec in the models folder."""
    return specs.names(medic.settings.models_dir)


def registry_name(medic: Medic, model: str) -> str:
    """Return the name `model` is registered under (`ml.spec.registry_name`: one rule)."""
    return specs.registry_name(medic.settings, specs.of(medic.settings, model))


def registry_of(medic: Medic, model: str, spec: "specs.ModelSpec | None" = None) -> "Registry":
    """Return the registry of `model` (the context's own for the default model).

    `spec`: the model's, when the caller has read it already (spares reading it again).
    """
    name = (specs.registry_name(medic.settings, spec) if spec is not None
            else registry_name(medic, model))
    if name == medic.registry.name:
        return medic.registry
    from ml.registry.aliases import Registry, lazy_client

    return Registry(lazy_client(medic.settings), medic.sessions, name, clock=medic.clock)


def checked(medic: Medic, model: str | None) -> str:
    """Return `model` if a spec names it (default: the default model); NotFound lists them."""
    names = known(medic)
    model = model or medic.settings.default_model
    if model not in names:
        raise NotFound(f"unknown model {model[:80]!r}; known: {', '.join(names) or 'none'}")
    return model


def watched(medic: Medic, model: str | None = None) -> list[Watched]:
    """Return the models to watch (or `model` alone): those with a champion or logged rows.

    Another model than the default has a champion once Medic made one (the app database's
    registry history): a spec never trained costs no MLflow query on every pass.
    """
    names = [checked(medic, model)] if model else known(medic)
    found = []
    for name in names:
        registry = registry_of(medic, name)
        if name == medic.settings.default_model:
            champion = registry.champion_artifact() is not None
        else:
            champion = _has(medic, RegistryEvent.model == registry.name)
        if not champion and not _has(medic, Prediction.model == name):
            continue
        found.append(Watched(spec=specs.of(medic.settings, name), registry=registry,
                             default=name == medic.settings.default_model))
    return found


def _has(medic: Medic, condition) -> bool:
    """Say whether any row meets `condition` (one indexed lookup)."""
    table = condition.left.table
    with medic.sessions() as session:
        return session.scalar(select(table.c.id).where(condition).limit(1)) is not None
