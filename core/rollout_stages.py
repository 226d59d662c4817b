"""Tell an incident's rollout as stages: trained, gated, in shadow, asked a person, decided.

Read from what was recorded, nothing else: the incident's retrain actions (their version,
training set and gate verdict) and its audit entries (the rollout's stage changes, each
judgement of the shadow, the promotion approval and its decision, the close).
"""

from core.tables import ActionRun, Approval
from core.views import AuditEntryView, RolloutStage

DECIDED = {"approval_approved": "approved", "approval_rejected": "rejected",
           "approval_expired": "expired", "approval_superseded": "superseded"}
CHANGES = {"rollout_canary": "canary", "rollout_promoted": "promoted",
           "rollout_aborted": "aborted", "rollout_ended": "ended"}


def stages(timeline: list[AuditEntryView], actions: list[ActionRun],
           approvals: list[Approval]) -> list[RolloutStage]:
    """Return the incident's rollout stages in the order they happened (empty: none)."""
    retrains = [a for a in actions if a.tool == "retrain"]
    promotions = {a.id: a for a in approvals
                  if (a.context or {}).get("kind") == "shadow_promotion"}
    found: list[RolloutStage] = []
    judged: list[AuditEntryView] = []
    shadow: RolloutStage | None = None
    for entry in timeline:
        data, event = entry.data, entry.event
        if event == "action_finished" and data.get("tool") == "retrain" and retrains:
            found += _retrained(entry, retrains.pop(0))
        elif event == "gate_judged_again":
            found.append(_stage("gated again", entry, str(data.get("reason", ""))))
        elif event == "rollout_shadow":
            # the retrain put it in shadow right after its gate, before the action finished
            held = next((r for r in retrains
                         if _version(r) == str(data.get("challenger"))), None)
            if held is not None:
                retrains.remove(held)
                found += _retrained(entry, held)
            shadow = _stage("in shadow", entry, f"v{data.get('challenger')} beside champion "
                            f"v{data.get('champion') or 'none'}, scoring every live request")
            found.append(shadow)
            judged = []
        elif event == "shadow_judged":
            judged.append(entry)
            if shadow is not None:
                shadow.detail = shadow.detail.split("; ")[0] + "; " + _so_far(judged)
        elif event == "approval_requested" and data.get("approval_id") in promotions:
            asked = promotions[data["approval_id"]]
            found.append(_stage("asked a person", entry, _asked(asked)))
        elif event in DECIDED and data.get("approval_id") in promotions:
            said = data.get("comment") or data.get("reason") or ""
            found.append(_stage(DECIDED[event], entry, f"approval {data['approval_id']}"
                                + (f": {said}" if said else "")))
        elif event in CHANGES:
            share = f"{data.get('share', 0):.0%} of callers; " if event == "rollout_canary" \
                else ""
            found.append(_stage(CHANGES[event], entry,
                                f"v{data.get('challenger')}: {share}{data.get('reason', '')}"))
        elif event == "incident_closed" and found:
            found.append(_stage("closed", entry, f"{data.get('state')}: "
                                                 f"{data.get('outcome', '')}"))
    return found


def _retrained(entry: AuditEntryView, run: ActionRun) -> list[RolloutStage]:
    """Return a retrain's stages: trained (version, rows), then gated (verdict, numbers)."""
    data = (run.result or {}).get("data") or {}
    if run.status != "success" or not data.get("version"):
        return [_stage("trained", entry, f"retrain {run.status}: "
                                         f"{(run.result or {}).get('message', '')}")]
    rows = (data.get("training_set") or {}).get("rows")
    made = [_stage("trained", entry, f"v{data['version']}"
                   + (f" on {rows} rows" if rows else ""))]
    if data.get("gate_verdict"):
        made.append(_stage("gated", entry, f"{data['gate_verdict']}: {data.get('reason', '')}"))
    return made


def _version(run: ActionRun) -> str | None:
    found = ((run.result or {}).get("data") or {}).get("version")
    return str(found) if found is not None else None


def _so_far(judged: list[AuditEntryView]) -> str:
    """Return the shadow's rows so far and its latest judgement."""
    last = judged[-1].data
    agreeing = f", agreeing on {last['agreement']:.0%}" \
        if last.get("agreement") is not None else ""
    return (f"{last.get('rows', 0)} labelled live rows of {last.get('paired', 0)} both "
            f"scored by {judged[-1].at[:19].replace('T', ' ')} UTC{agreeing}; judged "
            f"{len(judged)} time{'s' if len(judged) != 1 else ''}, latest: "
            f"{last.get('decision')}")


def _asked(approval: Approval) -> str:
    """Return what a promotion approval asked, with the evidence it showed."""
    context = approval.context or {}
    found = context.get("evidence") or {}
    metric = str(found.get("metric", "")).upper()
    scores = [f"{name} v{s['version']} {metric} {s['value']:.3f}" for name, s in
              (("champion", found.get("champion_score")),
               ("challenger", found.get("challenger_score"))) if s]
    gain = found.get("improvement")
    told = f"approval {approval.id}: promote v{context.get('challenger')} over " \
           f"v{context.get('champion')}"
    if scores:
        told += f" — {', '.join(scores)} on the same {found.get('rows', 0)} labelled live rows"
    if gain:
        told += (f", improvement {gain['value']:+.3f} ({gain['low']:+.3f} to "
                 f"{gain['high']:+.3f})")
    return told


def _stage(name: str, entry: AuditEntryView, detail: str) -> RolloutStage:
    return RolloutStage(stage=name, at=entry.at, actor=entry.actor, detail=detail)
