"""The registered model: versions, the alias history, promote and roll back (admins)."""

from core.roles import Principal, require
from services.context import Medic
from services.views import ModelsView


def overview(medic: Medic, *, serving: str | None = None) -> ModelsView:
    """Return versions with aliases and metrics, what is served, and the alias history.

    Read from Medic's record of the registry (no MLflow), kept where aliases move.
    """
    registry = medic.registry
    return ModelsView(name=registry.name, serving=serving,
                      versions=[v.model_dump(mode="json") for v in registry.recorded_versions()],
                      history=[h.model_dump(mode="json") for h in registry.history()])


def promote(medic: Medic, version: str, *, expected: str, principal: Principal,
            reason: str) -> ModelsView:
    """Make `version` champion if the champion is still `expected` (compare-and-set)."""
    require(principal, "manage_models")
    medic.registry.promote(version, expected=expected, actor=principal.name,
                           reason=reason or "promoted by hand")
    return overview(medic)


def rollback(medic: Medic, *, expected: str, principal: Principal, reason: str) -> ModelsView:
    """Restore the previous champion if the champion is still `expected` (compare-and-set)."""
    require(principal, "manage_models")
    medic.registry.rollback(expected=expected, actor=principal.name,
                            reason=reason or "rolled back by hand")
    return overview(medic)
