"""Silences over HTTP: operators add (approvers the broad ones) and expire them; viewers list."""

from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, Id, MedicDep, Reader
from api.routing import Router
from services import silences
from services.views import SilenceView

router = Router(prefix="/v1/silences", tags=["silences"])


class SilenceRequest(BaseModel):
    """Which alerts to hold (all matchers must match) and for how long."""

    model_config = ConfigDict(extra="forbid")
    matchers: dict[str, str] = Field(..., min_length=1, max_length=32,
                                     examples=[{"monitor": "data_drift"}])
    duration: str = Field(..., max_length=16, examples=["2h"])
    comment: str = Field("", max_length=2000, description="Why (required, not blank): "
                         "shown with the silence and sent to people.")


@router.post("", status_code=201)
def add(body: SilenceRequest, medic: MedicDep, caller: Caller) -> SilenceView:
    """Start a silence now (operator; approver when it could hold critical alerts).

    It needs a comment and lasts at most MEDIC_SILENCE_MAX_HOURS; it is announced and audited.
    """
    return silences.add(medic, matchers=silences.parse_matchers(
        [f"{k}={v}" for k, v in body.matchers.items()]),
        duration=silences.parse_duration(body.duration), comment=body.comment, principal=caller)


@router.get("")
def listing(medic: MedicDep, _caller: Reader, ended: bool = False) -> list[SilenceView]:
    """List silences, newest first (ended ones with `ended=true`)."""
    return silences.listing(medic, ended=ended)


@router.post("/{silence_id}/expire")
def expire(silence_id: Id, medic: MedicDep, caller: Caller) -> SilenceView:
    """End a silence now (operator)."""
    return silences.expire(medic, silence_id, principal=caller)
