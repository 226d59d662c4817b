"""The registered model: versions, aliases, metrics, champion history; keys for admins."""

from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, MedicDep, Reader, RootDep
from api.routing import Router
from core.roles import ROLES
from services import keys, models, rollouts
from services.rollouts import RolloutAction, RolloutView
from services.views import CreatedKey, KeyView, ModelSummary, ModelsView

router = Router(prefix="/v1", tags=["models"])


class AliasMove(BaseModel):
    """A compare-and-set alias move: the champion the caller expects, and why."""

    model_config = ConfigDict(extra="forbid")
    expected_champion: str = Field(..., pattern=r"^\d{1,9}$")
    reason: str = Field("", max_length=500)


class NewKey(BaseModel):
    """A key to create."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, max_length=200, pattern=r"\S",
                      description="Who holds the key; not only spaces")
    role: Literal[ROLES] = Field(..., description="What the key may do")


@router.get("/models", response_model=ModelsView)
def overview(medic: MedicDep, root: RootDep, _caller: Reader) -> ModelsView:
    """The default model's versions, metrics, alias history; every known model (`models`)."""
    served = root.serving.current
    root.fleet.refresh()  # a model added since start is listed as served (rate-limited)
    return models.overview(medic, serving=served.version if served else None,
                           fleet=root.fleet, training=root.training)


@router.get("/models/{name}", response_model=ModelSummary)
def model(name: Annotated[str, Path(min_length=1, max_length=200)], medic: MedicDep,
          root: RootDep, _caller: Reader) -> ModelSummary:
    """One known model: its request's features, its champion, what is served and why not."""
    return models.describe(medic, name, fleet=root.fleet, training=root.training)


@router.get("/models/{name}/rollout", response_model=RolloutView, tags=["rollouts"])
def rollout(name: Annotated[str, Path(min_length=1, max_length=200)], medic: MedicDep,
            root: RootDep, _caller: Reader) -> RolloutView:
    """A model's rollout: stage, canary share, both models on the same labelled live rows.

    Each model's metric with its bootstrap interval, the paired improvement, agreement,
    per segment, the decision the gate's rule makes of it, and this server's counts.
    """
    served = root.served(name)
    return rollouts.view(medic, served.name, serving=root.shadow.counts(served.name)
                         if root.shadow is not None else None)


@router.post("/models/{name}/rollout", response_model=RolloutView, tags=["rollouts"])
def rollout_action(name: Annotated[str, Path(min_length=1, max_length=200)],
                   action: RolloutAction, medic: MedicDep, root: RootDep,
                   principal: Caller) -> RolloutView:
    """Start a shadow, set the canary share, promote or abort (approver, admin)."""
    served = root.served(name)
    found = rollouts.act(medic, served.name, action, principal=principal)
    if root.shadow is not None:
        root.shadow.forget(served.name)  # this replica acts on it at once
    return found.model_copy(update={"serving": root.shadow.counts(served.name)
                                    if root.shadow is not None else None})


@router.post("/models/versions/{version}/promote", response_model=ModelsView)
def promote(version: str, move: AliasMove, medic: MedicDep,
            principal: Caller) -> ModelsView:
    """Make a version champion if the champion is still the expected one (admin)."""
    return models.promote(medic, version, expected=move.expected_champion,
                          principal=principal, reason=move.reason)


@router.post("/models/rollback", response_model=ModelsView)
def rollback(move: AliasMove, medic: MedicDep, principal: Caller) -> ModelsView:
    """Restore the previous champion if the champion is still the expected one (admin)."""
    return models.rollback(medic, expected=move.expected_champion,
                           principal=principal, reason=move.reason)


@router.get("/keys", response_model=list[KeyView], tags=["keys"])
def list_keys(medic: MedicDep, principal: Caller) -> list[KeyView]:
    """Every key's name, role and prefix (admin); never a key."""
    return keys.listing(medic, principal=principal)


@router.post("/keys", response_model=CreatedKey, status_code=201, tags=["keys"])
def create_key(body: NewKey, medic: MedicDep, principal: Caller) -> CreatedKey:
    """Create a key (admin); the response is the only time it is shown."""
    return keys.create(medic, name=body.name, role=body.role, principal=principal)


@router.post("/keys/{name}/revoke", response_model=KeyView, tags=["keys"])
def revoke_key(name: str, medic: MedicDep, root: RootDep, principal: Caller) -> KeyView:
    """Revoke a key by name (admin): refused at once by every process."""
    revoked = keys.revoke(medic, name=name, principal=principal)
    root.keys.forget()  # this process's key cache
    return revoked
