"""Score severity and choose actions by rules: the path that needs no LLM."""

from agent_graph.config import AgentConfig


def score(alert: dict, values: dict[str, float], config: AgentConfig) -> tuple[float, list[str]]:
    """Return a severity score in [0, 1] and the reasons, from type, labels and values."""
    kind = alert.get("type", "unknown")
    best = config.severity.base.get(kind, config.severity.base.get("unknown", 0.3))
    reasons = [f"{kind} alerts start at {best:.2f}"]
    label = str(alert.get("labels", {}).get("severity", "")).lower()
    if label in config.severity.labels:
        label_score = config.severity.labels[label]
        reasons.append(f"severity label {label!r} scores {label_score:.2f}")
        best = max(best, label_score)
    for rule in config.severity.values:
        if rule.matches(values):
            bound = f">= {rule.at_least}" if rule.at_least is not None else f"< {rule.below}"
            reasons.append(f"{rule.value} = {values[rule.value]:.3g} ({bound}) scores "
                           f"{rule.score:.2f}")
            best = max(best, rule.score)
    return round(best, 4), reasons


def level(value: float, config: AgentConfig) -> str:
    """Return the band of a score: low, medium or high."""
    if value >= config.thresholds.high:
        return "high"
    if value >= config.thresholds.medium:
        return "medium"
    return "low"


def plan(kind: str, facts: dict, config: AgentConfig) -> tuple[list[str], str]:
    """Return the tools the first matching plan rule names, and why."""
    for rule in config.plans:
        if rule.type == kind and all(_holds(facts.get(k), want) for k, want in rule.when.items()):
            why = ", ".join(f"{k} {want}" for k, want in rule.when.items()) or "default"
            return list(rule.actions), f"plan rule for {kind} ({why})"
    return [], f"no plan rule for {kind}"


def considered(kind: str, config: AgentConfig) -> set[str]:
    """Return every action some plan rule for this alert type names."""
    return {action for rule in config.plans if rule.type == kind for action in rule.actions}


def _holds(fact, want) -> bool:
    if isinstance(want, dict):
        if not isinstance(fact, int | float) or isinstance(fact, bool):
            return False
        if "at_least" in want and fact < want["at_least"]:
            return False
        return not ("below" in want and fact >= want["below"])
    return fact == want
