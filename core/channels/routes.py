"""Decide which channels hear a message, from rules kept as data (`configs/notifications.yaml`)."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.channels.message import SEVERITY_RANK, Kind, Message, Severity
from core.errors import ConfigError

ChannelName = str


class Rule(BaseModel):
    """Send messages of these kinds, at least this severe, to these channels."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: list[Kind] = Field(..., min_length=1)
    min_severity: Severity | None = None
    channels: list[ChannelName] = Field(..., min_length=1)

    def matches(self, message: Message) -> bool:
        """Say whether the message falls under this rule."""
        if message.kind not in self.kinds:
            return False
        return SEVERITY_RANK[message.severity] >= SEVERITY_RANK[self.min_severity]


class Routes(BaseModel):
    """The routing rules; a message goes to the union of its matching rules' channels."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    routes: list[Rule] = Field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "Routes":
        """Read the rules file; raise ConfigError when it is missing or malformed."""
        from core.channels import names

        try:
            routes = cls.model_validate(yaml.safe_load(Path(path).read_text()) or {})
        except (OSError, yaml.YAMLError, ValidationError) as error:
            raise ConfigError(f"cannot read notification routes {path}: "
                              f"{str(error).splitlines()[0]}") from error
        unknown = {c for rule in routes.routes for c in rule.channels} - set(names())
        if unknown:
            raise ConfigError(f"notification routes {path} name unknown channels: "
                              f"{', '.join(sorted(unknown))} (known: {', '.join(names())})")
        return routes

    def channels_for(self, message: Message) -> list[ChannelName]:
        """Return the channel names the message should reach, in the rules' order."""
        chosen: list[ChannelName] = []
        for rule in self.routes:
            if rule.matches(message):
                chosen += [c for c in rule.channels if c not in chosen]
        return chosen
