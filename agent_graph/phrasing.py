"""Say what a plan's step will do as a sentence a person can approve at 3 a.m."""

from core.plans import PlannedAction

RISK = {"risky": "changes what is served: needs an approver", "safe": "safe",
        "read": "reads only"}


def action(step: PlannedAction) -> str:
    """Return one step as a sentence: what it does, to which version, why, how risky."""
    args, tool = step.args, step.tool
    said = _SENTENCES[tool](args) if tool in _SENTENCES else _generic(tool, args)
    return f"{said} ({RISK[step.risk]})."


def _retrain(args: dict) -> str:
    why = f", because of {args['reason']}" if args.get("reason") else ""
    return ("Retrain the model on the training data plus labelled production traffic"
            f"{why}; the promotion gate decides whether the new version replaces the champion")


def _rollback(args: dict) -> str:
    return (f"Roll back: make the previous version champion again in place of "
            f"v{args.get('expected_champion', '?')}")


def _promote(args: dict) -> str:
    return (f"Make v{args.get('version', '?')} the champion in place of "
            f"v{args.get('expected_champion', '?')}")


def _reload(_args: dict) -> str:
    return "Ask every serving process to load the champion again from the registry"


def _notify(args: dict) -> str:
    return f"Tell the on-call people: “{args.get('subject', '')}”"


def _generic(tool: str, args: dict) -> str:
    shown = ", ".join(f"{k} {v}" for k, v in sorted(args.items()) if v is not None)
    return f"Run {tool.replace('_', ' ')}" + (f" with {shown}" if shown else "")


_SENTENCES = {"retrain": _retrain, "rollback": _rollback, "promote": _promote,
              "reload_model": _reload, "notify": _notify}
