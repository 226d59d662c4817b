"""Say which role may do what: the one table every interface checks through the services."""

from dataclasses import dataclass
from typing import Literal

from core.errors import Forbidden

ROLES = ("viewer", "predictor", "operator", "approver", "admin")

Action = Literal["read", "predict", "decide", "silence", "silence_critical", "manage_models",
                 "manage_keys", "prune", "rollout"]

ALLOWED: dict[str, frozenset[str]] = {
    "read": frozenset({"viewer", "operator", "approver", "admin"}),
    "predict": frozenset({"predictor", "admin"}),          # predictions and their feedback
    "decide": frozenset({"approver", "admin"}),            # approve or reject a plan
    "silence": frozenset({"operator", "approver", "admin"}),
    "silence_critical": frozenset({"approver", "admin"}),  # could hold critical alerts
    "manage_models": frozenset({"admin"}),                 # promote, roll back
    "manage_keys": frozenset({"admin"}),                   # create, list, revoke keys
    "prune": frozenset({"admin"}),                         # closed incidents' checkpoints
    "rollout": frozenset({"approver", "admin"}),           # shadow, canary, promote, abort
}

@dataclass(frozen=True)
class Principal:
    """Who is acting, and with which role (taken from their key, never from a name)."""

    name: str
    role: str

    def may(self, action: Action) -> bool:
        """Return whether this principal's role allows the action."""
        return self.role in ALLOWED[action]


def require(principal: Principal, action: Action) -> Principal:
    """Return the principal if their role allows the action; raise Forbidden otherwise."""
    if not principal.may(action):
        allowed = ", ".join(r for r in ROLES if r in ALLOWED[action])
        raise Forbidden(f"{principal.name} has role {principal.role!r}; this needs {allowed}")
    return principal


SYSTEM = Principal("medic", "system")
"""The agent itself (expiry sweeps, automatic actions); never passes `require`."""
