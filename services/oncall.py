"""Who is on call now, whom they follow, and how Medic reaches each of them."""

from pydantic import BaseModel
from sqlalchemy import select

from core.oncall import OnCall
from core.tables import ApiKey
from services.context import Medic


class Person(BaseModel):
    """Someone who can be on call, and where Medic reaches them."""

    name: str
    slack: bool
    email: bool
    holds_key: bool


class OnCallView(BaseModel):
    """The duty now, the people, and the escalation policy."""

    at: str
    on_call: str | None
    next_up: str | None
    people: list[Person]
    escalation: list[dict]
    everyone_before_expiry_minutes: float


def now(medic: Medic) -> OnCallView:
    """Return who is on call now (`configs/oncall.yaml`) and how each is reached."""
    oncall, at = OnCall.load(medic.settings.oncall), medic.clock()
    with medic.sessions() as session:
        keys = {k.name: k for k in session.scalars(select(ApiKey).where(
            ApiKey.name.in_(oncall.people), ApiKey.revoked.is_(False)))}
    return OnCallView(
        at=at.isoformat(), on_call=oncall.on_call(at), next_up=oncall.next_up(at),
        people=[Person(name=name, slack=bool(name in keys and keys[name].slack_user),
                       email=bool(name in keys and keys[name].email), holds_key=name in keys)
                for name in oncall.people],
        escalation=[level.model_dump() for level in oncall.escalation],
        everyone_before_expiry_minutes=oncall.everyone_before_expiry_minutes)
