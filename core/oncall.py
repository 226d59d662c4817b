"""Who is on call, and how an approval nobody answers escalates (`configs/oncall.yaml`).

A rotation hands the duty from one key holder to the next every `period_days`, from
`start`; an override puts someone else on call for a while. The escalation policy is a
list of levels, each `after_minutes` from the request: whom to ask (the person on call, the
next in the rotation, or everyone in it). Escalation stops when someone acknowledges the
approval ("I'm looking") or decides it; an approval still unanswered shortly before it
expires asks everyone, and still fails closed at the end, naming who was asked.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.errors import ConfigError

Whom = Literal["oncall", "next", "everyone"]


class Override(BaseModel):
    """Someone else on call for a while (a swap, a holiday)."""

    model_config = ConfigDict(extra="forbid")

    holder: str = Field(min_length=1)
    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered(self) -> "Override":
        if self.end <= self.start:
            raise ValueError(f"override for {self.holder}: end must be after start")
        return self


class Level(BaseModel):
    """One step of the escalation: after so many minutes, ask whom."""

    model_config = ConfigDict(extra="forbid")

    after_minutes: float = Field(ge=0)
    notify: Whom


class Rotation(BaseModel):
    """Key holders taking the duty in turn."""

    model_config = ConfigDict(extra="forbid")

    start: datetime
    period_days: float = Field(7, gt=0)
    people: list[str] = Field(min_length=1)


class OnCall(BaseModel):
    """The rotation, its overrides and the escalation policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rotation: Rotation | None = None
    overrides: list[Override] = Field(default_factory=list)
    escalation: list[Level] = Field(default_factory=list)
    everyone_before_expiry_minutes: float = Field(10, ge=0)
    """Ask everyone this long before an unanswered approval expires, whatever the level."""

    @field_validator("escalation")
    @classmethod
    def _in_order(cls, levels: list[Level]) -> list[Level]:
        if [level.after_minutes for level in levels] != sorted(
                level.after_minutes for level in levels):
            raise ValueError("escalation levels must be in order of after_minutes")
        return levels

    @classmethod
    def load(cls, path: Path) -> "OnCall":
        """Read the file; a missing file means nobody is on call (no escalation)."""
        if not Path(path).exists():
            return cls()
        try:
            return cls.model_validate(yaml.safe_load(Path(path).read_text()) or {})
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "the file"
            raise ConfigError(f"{path}: {where}: {problem['msg']}") from None
        except yaml.YAMLError as error:
            raise ConfigError(f"{path}: not valid YAML ({type(error).__name__})") from None

    @property
    def people(self) -> list[str]:
        """Return everyone who can be on call: the rotation, then those only in overrides."""
        people = list(self.rotation.people) if self.rotation else []
        return people + [o.holder for o in self.overrides if o.holder not in people]

    def on_call(self, at: datetime) -> str | None:
        """Return who is on call at `at` (an override wins), or None without a rotation."""
        for override in self.overrides:
            if _utc(override.start) <= at < _utc(override.end):
                return override.holder
        turn = self._turn(at)
        return self.rotation.people[turn % len(self.rotation.people)] if turn is not None \
            else None

    def next_up(self, at: datetime) -> str | None:
        """Return who follows the person on call in the rotation (the second line)."""
        turn = self._turn(at)
        if turn is None or len(self.rotation.people) < 2:
            return None
        return self.rotation.people[(turn + 1) % len(self.rotation.people)]

    def whom(self, level: Level, at: datetime) -> list[str]:
        """Return the holders a level asks at `at`."""
        if level.notify == "everyone":
            return self.people
        found = self.on_call(at) if level.notify == "oncall" else self.next_up(at)
        return [found] if found else []

    def due(self, *, requested_at: datetime, expires_at: datetime, now: datetime,
            reached: int) -> list[tuple[int, list[str]]]:
        """Return the levels (1-based) due now beyond `reached`, each with whom it asks.

        Shortly before the expiry every remaining level falls due at once, and the last
        one asks everyone: nobody is left unasked while the approval can still be saved.
        """
        elapsed = (now - requested_at).total_seconds() / 60
        late = now >= expires_at - timedelta(minutes=self.everyone_before_expiry_minutes)
        found = [(number, self.whom(level, now))
                 for number, level in enumerate(self.escalation, start=1)
                 if number > reached and (late or elapsed >= level.after_minutes)]
        final = len(self.escalation) + 1
        if late and reached < final and self.people:
            found.append((final, self.people))
        return found

    def _turn(self, at: datetime) -> int | None:
        if self.rotation is None or at < _utc(self.rotation.start):
            return None
        period = timedelta(days=self.rotation.period_days)
        return int((at - _utc(self.rotation.start)) / period)


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
