"""Run the healing loop on the four UCI sites: does a remediation retrain help on shifted traffic?

Usage: .venv/bin/python bench/heal.py
A Cleveland champion is trained once. For each site, on a fresh copy of that state, the
site's patients arrive in a fixed random order (the files are not in time order; Hungary's
is sorted by diagnosis): the first 70 % are served by the champion and labelled through
feedback. A drift alert naming the prediction window goes to the agent through the service
layer; the agent measures drift itself and plans a retrain only if it is large
(configs/agent.yaml); the approval is given; the retrain fits on Cleveland + the earlier
labelled traffic and its gate judges on the latest labelled rows with a paired bootstrap
interval: promoted, refused, or undecided (collecting rows). The last 30 % arrive after
the retrain in two halves, each served by whichever version is champion then and labelled,
each followed by the worker's sweep (which judges an undecided challenger again, or
verifies a champion move). The second half are the *unseen patients*: no model trained on
them and no gate judged on them. Printed per site: every gate decision with its rows and
interval; old and final champion F1 / ROC-AUC on the unseen patients and on Cleveland's
hold-out; each incident's outcome. The peer is the retrain Medic ran before (same Cleveland
data, same seed): it reproduces the old champion, so its scores are the old champion's.
`ratio:` is the mean F1 on unseen shifted patients, Medic's over the peer's.

The bike-demand row (a regressor, trained on January to March 2011 with its shipped recipe):
May's hours are served by that champion and labelled; Medic's own monitors (no outside
alert) open the incident; the agent plans with bike-demand's own tools, the retrain is
approved and its gate judges in MAE on May's latest hours. June's hours (the month after the
labelled one: no model trained or was judged on them) are then served by whichever version
is champion, labelled, and verify measures them. Printed: MAE of the old and the final
champion on June, with row counts; the peer is the old champion (no remediation).
`bike ratio:` is the peer's June MAE over Medic's (above 1: Medic's is lower).

The rollout column (`--shadow`): each shifted site again, with `shadow.enabled` in the
remediation config, so a retrain the gate passes stays challenger in shadow. The later
patients then arrive ten at a time, answered by the champion and scored by the challenger
(what the serving process's shadow writes), labelled; the worker's sweep judges after each
ten. Printed per site: the one-shot gate's verdict, how many labelled live rows the shadow
needed before its decision, the decision, and both models' F1 on the unseen patients.
For bike-demand (`--shadow --only bike`), May labelled and the monitors as above: June's
hours arrive ten at a time into the shadow, the sweep judging after each ten; printed: the
one-shot gate's verdict, the labelled live rows before the decision, the decision and its
reason, and both models' MAE on July (no model trained or was judged on it).

Usage: .venv/bin/python bench/heal.py [--only heart|bike] [--shadow]
"""

import logging
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "true")

SHIFTED = ("hungarian", "switzerland", "va")
SITES = ("cleveland", *SHIFTED)
TRAFFIC_SHARE = 0.7


def log_traffic(sessions, frame, model, version: str, start, *, prefix: str,
                labelled_at=None) -> None:
    """Serve each row with the model, one a minute, and label it (a minute later, or then)."""
    from core.tables import Feedback, Prediction
    from ml import spec
    from ml.data import features

    names = spec.default().feature_names
    probability = model.predict_proba(features(frame, spec.default()))[:, 1]
    with sessions.begin() as session:
        for i, (row, p) in enumerate(zip(frame.to_dict("records"), probability, strict=True)):
            at = start + timedelta(minutes=i)
            request_id = f"{prefix}-{i}"
            session.add(Prediction(
                request_id=request_id, probability=float(p), label=int(p >= 0.5),
                model_version=version, latency_ms=1.0, created_at=at,
                features={n: None if row[n] != row[n] else float(row[n]) for n in names}))
            session.add(Feedback(request_id=request_id, label=int(row["target"]),
                                 received_at=labelled_at or at + timedelta(minutes=1)))


def scores(model, frame) -> tuple[float, float]:
    """Return (F1, ROC-AUC) of a model on labelled rows."""
    from ml import spec
    from ml.data import features
    from ml.training import evaluate

    found = evaluate.scores(frame["target"],
                            model.predict_proba(features(frame, spec.default()))[:, 1])
    return found["f1"], found["roc_auc"]


def one_site(site: str, trained: Path, work: Path) -> dict:
    """Run the loop for one site on a fresh copy of the trained state, through the agent."""
    from sklearn.model_selection import train_test_split

    from agent_graph.runtime import settle
    from core import incidents, keys
    from core.alerts import Alert
    from core.clock import utcnow
    from core.settings import Settings
    from ml import data, spec
    from services import alerts, approvals
    from services.context import open_medic

    home = work / site
    shutil.copytree(trained, home)
    settings = Settings(home=home, _env_file=None)
    with open_medic(settings) as medic:
        agent = medic.ensure_agent()
        medic.on_work = medic.worker.drain
        registry = medic.registry
        old_version = registry.alias("champion")
        old = registry.load(old_version)
        model = spec.of(settings)
        cleveland = data.load_site(settings.data_dir, "cleveland", model)
        _, reference = train_test_split(cleveland, test_size=0.2,
                                        stratify=cleveland[model.label], random_state=42)
        arrivals = data.load_site(settings.data_dir, site, model).sample(frac=1, random_state=7)
        cut = int(len(arrivals) * TRAFFIC_SHARE)
        traffic, later = arrivals.iloc[:cut], arrivals.iloc[cut:]
        log_traffic(medic.sessions, traffic, old, old_version,
                    utcnow() - timedelta(minutes=len(traffic) + 5), prefix="traffic",
                    labelled_at=utcnow())  # served over the last hours, labelled since
        alert = Alert(name="FeatureDrift", type="drift", evidence={"window_minutes": 24 * 60})
        [accepted] = alerts.submit_alerts(medic, [alert]).incidents
        for pending in approvals.pending(medic):
            with medic.sessions.begin() as session:
                alice = keys.authenticate(session, keys.create(
                    session, name="alice", role="approver", actor="bench"))
            approvals.decide(medic, pending.id, principal=alice, approve=True,
                             comment="bench: approved")
        with medic.sessions() as session:
            found = incidents.detail(session, accepted.incident_id)
        row = {"site": site, "traffic": len(traffic), "later": len(later),
               "reference": len(reference), "plan": [s.tool for s in found.plan]}
        half = len(later) // 2
        for name, batch, at in (("collect", later.iloc[:half], 1),
                                ("unseen", later.iloc[half:], half + 2)):
            serving = registry.alias("champion")  # labels keep arriving; the sweep runs
            log_traffic(medic.sessions, batch, registry.load(serving), serving,
                        utcnow() + timedelta(minutes=at), prefix=name)
            settle.sweep(agent)
        with medic.sessions() as session:
            settled = incidents.detail(session, accepted.incident_id)
        row["state"], row["outcome"] = settled.state, settled.outcome
        row["judged"] = _judged(settled)
        row["unseen"] = len(later) - half
        final = registry.alias("champion")
        row["versions"] = (old_version, final)
        unseen, model = later.iloc[half:], registry.load(final)
        row["old"] = (scores(old, unseen), scores(old, reference))
        row["new"] = (scores(model, unseen), scores(model, reference))
        kept = registry.alias("challenger")
        row["challenger"] = None if kept in (None, final) else (
            kept, scores(registry.load(kept), unseen))
    return row


def shadow_site(site: str, trained: Path, work: Path) -> dict:
    """Run the loop for one site with the shadow on; return what the shadow decided, when."""
    import yaml

    from agent_graph.runtime import settle
    from core import incidents, keys, rollouts
    from core.alerts import Alert
    from core.clock import utcnow
    from core.settings import PROJECT_ROOT, Settings
    from core.tables import Feedback, Prediction, ShadowPrediction
    from ml import data, spec
    from services import alerts, approvals
    from services.context import open_medic

    home = work / f"shadow-{site}"
    shutil.copytree(trained, home)
    config = yaml.safe_load((PROJECT_ROOT / "configs" / "retrain.yaml").read_text())
    config["shadow"] = {"enabled": True, "deadline_hours": 72}
    (home / "retrain.yaml").write_text(yaml.safe_dump(config))
    settings = Settings(home=home, retrain_config=home / "retrain.yaml", _env_file=None)
    with open_medic(settings) as medic:
        agent = medic.ensure_agent()
        medic.on_work = medic.worker.drain
        registry, model = medic.registry, spec.of(settings)
        old_version = registry.alias("champion")
        arrivals = data.load_site(settings.data_dir, site, model).sample(frac=1, random_state=7)
        cut = int(len(arrivals) * TRAFFIC_SHARE)
        traffic, later = arrivals.iloc[:cut], arrivals.iloc[cut:]
        log_traffic(medic.sessions, traffic, registry.load(old_version), old_version,
                    utcnow() - timedelta(minutes=len(traffic) + 5), prefix="traffic",
                    labelled_at=utcnow())
        [accepted] = alerts.submit_alerts(medic, [Alert(
            name="FeatureDrift", type="drift", evidence={"window_minutes": 24 * 60})]).incidents
        for pending in approvals.pending(medic):
            with medic.sessions.begin() as session:
                alice = keys.authenticate(session, keys.create(
                    session, name="alice", role="approver", actor="bench"))
            approvals.decide(medic, pending.id, principal=alice, approve=True)
        with medic.sessions() as session:
            found = incidents.detail(session, accepted.incident_id)
        gate = next((a.result["data"].get("gate_verdict") for a in found.actions
                     if a.tool == "retrain" and a.result.get("data")), None)
        row = {"site": site, "gate": gate or "no retrain", "rows": 0, "decision": None,
               "unseen": None}
        state = rollouts.read(medic.sessions, "heart-disease")
        if state is None or state.stage != "shadow":  # refused, or undecided: judged again
            row["decision"] = "no shadow"             # offline as labels arrive (collect.py)
            return row
        half = len(later) // 2
        collect, unseen = later.iloc[:half], later.iloc[half:]
        champion, challenger = registry.load(state.champion), registry.load(state.challenger)
        names = model.feature_names
        old_p = champion.predict_proba(collect[list(names)])[:, 1]
        new_p = challenger.predict_proba(collect[list(names)])[:, 1]
        start = utcnow() + timedelta(seconds=1)
        for first in range(0, len(collect), 10):
            with medic.sessions.begin() as session:
                for i in range(first, min(first + 10, len(collect))):
                    values, at = collect.iloc[i], start + timedelta(seconds=i)
                    rid = f"shadow-{i}"
                    session.add(Prediction(
                        request_id=rid, probability=float(old_p[i]), label=int(old_p[i] >= .5),
                        model_version=state.champion, latency_ms=1.0, created_at=at,
                        features={n: None if values[n] != values[n] else float(values[n])
                                  for n in names}))
                    session.add(ShadowPrediction(request_id=rid, model="heart-disease",
                                                 version=state.challenger,
                                                 score=float(new_p[i]), at=at))
                    session.add(Feedback(request_id=rid, label=int(values["target"]),
                                         received_at=at))
            settle.sweep(agent)
            row["rows"] = min(first + 10, len(collect))
            now = rollouts.read(medic.sessions, "heart-disease")
            if now.stage != "shadow":
                row["decision"] = now.stage
                break
        row["decision"] = row["decision"] or "undecided"
        row["old"] = scores(champion, unseen)[0]
        row["new"] = scores(challenger, unseen)[0]
        row["unseen"] = len(unseen)
    return row


def report_shadow(rows: list[dict]) -> None:
    """Print the rollout column: the one-shot gate, the shadow's rows and decision, F1s."""
    print(f"{'site':<12}{'one-shot gate':<15}{'shadow rows':>12}  {'shadow decision':<16}"
          f"{'unseen n':>9}  champion F1  challenger F1")
    for r in rows:
        f1s = (f"{r['unseen']:>9}  {r['old']:.3f}        {r['new']:.3f}"
               if r["unseen"] is not None else "")
        print(f"{r['site']:<12}{r['gate']:<15}{r['rows']:>12}  {str(r['decision'])[:16]:<16}"
              f"{f1s}")


def _judged(found: dict) -> list[str]:
    """Return each gate decision of the incident: at the retrain, then each time judged again."""
    lines = [a["result"]["data"]["reason"] for a in found["actions"]
             if a["tool"] == "retrain" and "reason" in (a["result"].get("data") or {})]
    lines += [f"judged again: {e['data']['reason']}" for e in found["timeline"]
              if e["event"] == "gate_judged_again"]
    return lines


def report(rows: list[dict]) -> None:
    """Print the table, each gate decision and incident outcome, and the ratio."""
    print(f"{'site':<12}{'versions':<9}{'unseen n':>9}  old F1/AUC   new F1/AUC    "
          f"{'ref n':>5}  old F1/AUC   new F1/AUC")
    for r in rows:
        (old_later, old_ref), (new_later, new_ref) = r["old"], r["new"]
        versions = f"v{r['versions'][0]}->v{r['versions'][1]}"
        print(f"{r['site']:<12}{versions:<9}{r['unseen']:>9}  "
              f"{old_later[0]:.3f}/{old_later[1]:.3f}  {new_later[0]:.3f}/{new_later[1]:.3f}"
              f"   {r['reference']:>5}  {old_ref[0]:.3f}/{old_ref[1]:.3f}  "
              f"{new_ref[0]:.3f}/{new_ref[1]:.3f}")
    for r in rows:
        print(f"{r['site']}: {r['traffic']} labelled rows served before the alert, "
              f"{r['later'] - r['unseen']} more after the retrain, {r['unseen']} unseen; plan "
              f"{r['plan'] or 'none'}; incident {r['state']}: {r['outcome']}")
        for line in r["judged"]:
            print(f"  gate: {line}")
        if r["challenger"]:
            version, (f1, auc) = r["challenger"]
            print(f"  challenger v{version} (still collecting) on the unseen patients: "
                  f"F1 {f1:.3f} / AUC {auc:.3f}")
    shifted = [r for r in rows if r["site"] in SHIFTED]
    medic = sum(r["new"][0][0] for r in shifted) / len(shifted)
    peer = sum(r["old"][0][0] for r in shifted) / len(shifted)
    print(f"mean F1 on unseen shifted patients: Medic {medic:.3f}, peer (Cleveland-only "
          f"retrain = old champion) {peer:.3f}")
    print(f"ratio: {medic / peer:.2f}")


def bike_months(trained: Path, work: Path) -> dict:
    """Run bike-demand's loop: May labelled, monitors, agent, approval; June measures."""
    import pandas as pd
    from sqlalchemy import select

    from agent_graph.runtime import settle
    from core import incidents, keys
    from core.clock import utcnow
    from core.settings import Settings
    from core.tables import Incident
    from ml import data, spec
    from services import approvals
    from services.context import open_medic
    from services.monitors import run as monitors
    from services.watched import registry_of

    home = work / "bike"
    shutil.copytree(trained, home)
    settings = Settings(home=home, _env_file=None)
    bike = spec.of(settings, "bike-demand")
    hours = data.load(Path(settings.data_dir) / bike.reference.file, bike)

    def month(number: int):
        start = pd.Timestamp(f"2011-{number:02d}-01")
        return hours[(hours["dteday"] >= start)
                     & (hours["dteday"] < start + pd.DateOffset(months=1))]

    with open_medic(settings) as medic:
        agent = medic.ensure_agent()
        medic.on_work = medic.worker.drain
        registry = registry_of(medic, "bike-demand")
        old_version = registry.alias("champion")
        old = registry.load(old_version)
        may, june = month(5), month(6)
        log_hours(medic.sessions, may, old, old_version, bike,  # within the monitors' hour
                  utcnow() - timedelta(minutes=55), prefix="may", minutes=50 / len(may),
                  labelled_at=utcnow())  # served over the last hour, labelled since
        for _ in range(2):  # data drift fires on its second breach
            monitors.run_checks(medic, model="bike-demand")
        with medic.sessions() as session:
            opened = session.scalars(select(Incident.id)
                                     .where(Incident.model == "bike-demand")).all()
        for pending in approvals.pending(medic):
            with medic.sessions.begin() as session:
                alice = keys.authenticate(session, keys.create(
                    session, name="alice", role="approver", actor="bench"))
            approvals.decide(medic, pending.id, principal=alice, approve=True,
                             comment="bench: approved")
        serving = registry.alias("champion")
        log_hours(medic.sessions, june, registry.load(serving), serving, bike,
                  utcnow() + timedelta(minutes=1), prefix="june", minutes=50 / len(june))
        settle.sweep(agent)
        row = {"may": len(may), "june": len(june), "incidents": len(opened)}
        if opened:
            with medic.sessions() as session:
                found = incidents.detail(session, opened[0])
            row.update(plan=[s.tool for s in found.plan], state=found.state,
                       outcome=found.outcome, judged=_judged(found.model_dump()))
        final = registry.alias("champion")
        row["versions"] = (old_version, final)
        row["old"] = mae(old, june, bike)
        row["new"] = mae(registry.load(final), june, bike)
    return row


def bike_shadow(trained: Path, work: Path) -> dict:
    """Run bike-demand's loop with the shadow on: May labelled, monitors, agent, approval.

    A retrain the gate passes stays challenger in shadow; June's hours then arrive ten at a
    time (as the heart sites' patients), answered by the champion and scored by the
    challenger, labelled, the worker's sweep judging after each ten, until the shadow
    decides or June ends. Both models are then scored on July, which neither was trained or
    judged on.
    """
    import pandas as pd
    import yaml

    from agent_graph.runtime import settle
    from core import incidents, keys, rollouts
    from core.clock import utcnow
    from core.settings import PROJECT_ROOT, Settings
    from core.tables import Feedback, Prediction, ShadowPrediction
    from ml import data, spec
    from ml.data import features
    from services import approvals
    from services.context import open_medic
    from services.monitors import run as monitors
    from services.watched import registry_of

    home = work / "shadow-bike"
    shutil.copytree(trained, home)
    config = yaml.safe_load((PROJECT_ROOT / "configs" / "retrain.yaml").read_text())
    config["shadow"] = {"enabled": True, "deadline_hours": 72}
    (home / "retrain.yaml").write_text(yaml.safe_dump(config))
    settings = Settings(home=home, retrain_config=home / "retrain.yaml", _env_file=None)
    bike = spec.of(settings, "bike-demand")
    hours = data.load(Path(settings.data_dir) / bike.reference.file, bike)

    def month(number: int):
        start = pd.Timestamp(f"2011-{number:02d}-01")
        return hours[(hours["dteday"] >= start)
                     & (hours["dteday"] < start + pd.DateOffset(months=1))]

    with open_medic(settings) as medic:
        agent = medic.ensure_agent()
        medic.on_work = medic.worker.drain
        registry = registry_of(medic, "bike-demand")
        old_version = registry.alias("champion")
        may, june, july = month(5), month(6), month(7)
        log_hours(medic.sessions, may, registry.load(old_version), old_version, bike,
                  utcnow() - timedelta(minutes=55), prefix="may", minutes=50 / len(may),
                  labelled_at=utcnow())
        for _ in range(2):  # data drift fires on its second breach
            monitors.run_checks(medic, model="bike-demand")
        for pending in approvals.pending(medic):
            with medic.sessions.begin() as session:
                alice = keys.authenticate(session, keys.create(
                    session, name="alice", role="approver", actor="bench"))
            approvals.decide(medic, pending.id, principal=alice, approve=True)
        retrains = []
        for incident_id in _incidents_of(medic, "bike-demand"):
            with medic.sessions() as session:
                found = incidents.detail(session, incident_id)
            retrains += [a.result["data"] for a in found.actions
                         if a.tool == "retrain" and a.result.get("data")]
        gate = retrains[0].get("gate_verdict") if retrains else None
        row = {"site": "bike-demand", "gate": gate or "no retrain", "rows": 0,
               "decision": None, "unseen": None}
        state = rollouts.read(medic.sessions, "bike-demand")
        if state is None or state.stage != "shadow":
            row["decision"] = "no shadow"
            return row
        champion, challenger = registry.load(state.champion), registry.load(state.challenger)
        rows = features(june, bike)
        old_y, new_y = champion.predict(rows), challenger.predict(rows)
        records = rows.to_dict("records")
        start = utcnow() + timedelta(seconds=1)
        for first in range(0, len(june), 10):
            with medic.sessions.begin() as session:
                for i in range(first, min(first + 10, len(june))):
                    at, rid = start + timedelta(seconds=i), f"shadow-june-{i}"
                    values = records[i]
                    session.add(Prediction(
                        model="bike-demand", request_id=rid, probability=float(old_y[i]),
                        label=int(round(old_y[i])), model_version=state.champion,
                        latency_ms=1.0, created_at=at,
                        features={k: v for k, v in values.items() if v is not None and v == v}))
                    session.add(ShadowPrediction(request_id=rid, model="bike-demand",
                                                 version=state.challenger,
                                                 score=float(new_y[i]), at=at))
                    session.add(Feedback(model="bike-demand", request_id=rid,
                                         label=int(june["cnt"].iloc[i]), received_at=at))
            settle.sweep(agent)
            row["rows"] = min(first + 10, len(june))
            now = rollouts.read(medic.sessions, "bike-demand")
            if now.stage != "shadow":
                row["decision"] = now.stage
                break
        row["decision"] = row["decision"] or "undecided"
        judged = rollouts_judged(medic, "bike-demand")
        row["why"] = judged[-1] if judged else None
        row["old"], row["new"] = mae(champion, july, bike), mae(challenger, july, bike)
        row["unseen"] = len(july)
    return row


def _incidents_of(medic, model: str) -> list[int]:
    from sqlalchemy import select

    from core.tables import Incident

    with medic.sessions() as session:
        return list(session.scalars(select(Incident.id).where(Incident.model == model)
                                    .order_by(Incident.id)))


def rollouts_judged(medic, model: str) -> list[str]:
    """Return the reason of each `shadow_judged` audit entry of the model's incidents."""
    from sqlalchemy import select

    from core.tables import AuditEntry

    ids = _incidents_of(medic, model)
    with medic.sessions() as session:
        return [e["reason"] for e in session.scalars(
            select(AuditEntry.data).where(AuditEntry.event == "shadow_judged",
                                          AuditEntry.incident_id.in_(ids))
            .order_by(AuditEntry.id))]


def report_bike_shadow(row: dict) -> None:
    """Print bike-demand's rollout column: the one-shot gate, the shadow's rows, MAEs."""
    print(f"{'model':<12}{'one-shot gate':<15}{'shadow rows':>12}  {'shadow decision':<16}"
          f"{'unseen n':>9}  champion MAE  challenger MAE")
    maes = (f"{row['unseen']:>9}  {row['old']:<12.1f}  {row['new']:.1f}"
            if row["unseen"] is not None else "")
    print(f"{row['site']:<12}{row['gate']:<15}{row['rows']:>12}  "
          f"{str(row['decision'])[:16]:<16}{maes}")
    if row.get("why"):
        print(f"  shadow: {row['why']}")


def log_hours(sessions, frame, model, version: str, bike, start, *, prefix: str,
              minutes: float, labelled_at=None) -> None:
    """Serve each hour with the model, `minutes` apart, and label it with its count (20 s
    on, or at `labelled_at`)."""
    from core.tables import Feedback, Prediction
    from ml.data import features

    rows = features(frame, bike)
    predicted = model.predict(rows)
    with sessions.begin() as session:
        for i, (row, value, count) in enumerate(zip(rows.to_dict("records"), predicted,
                                                    frame["cnt"], strict=True)):
            at = start + timedelta(minutes=i * minutes)
            request_id = f"{prefix}-{i}"
            session.add(Prediction(
                model="bike-demand", request_id=request_id, probability=float(value),
                label=int(round(value)), model_version=version, latency_ms=1.0, created_at=at,
                features={k: v for k, v in row.items() if v is not None and v == v}))
            session.add(Feedback(model="bike-demand", request_id=request_id, label=int(count),
                                 received_at=labelled_at or at + timedelta(seconds=20)))


def mae(model, frame, bike) -> float:
    """Return a regressor's mean absolute error on labelled hours."""
    from ml.data import features

    return float((model.predict(features(frame, bike)) - frame["cnt"]).abs().mean())


def report_bike(row: dict) -> None:
    """Print bike-demand's row, its gate decisions and outcome, and its ratio."""
    versions = f"v{row['versions'][0]}->v{row['versions'][1]}"
    print(f"bike-demand {versions}: {row['may']} May hours labelled before the incident; "
          f"June ({row['june']} hours, unseen) MAE old {row['old']:.1f}, "
          f"new {row['new']:.1f}")
    print(f"bike-demand: {row['incidents']} incident(s) opened by the monitors; plan "
          f"{row.get('plan') or 'none'}; incident {row.get('state')}: {row.get('outcome')}")
    for line in row.get("judged", []):
        print(f"  gate: {line}")
    print(f"June MAE: Medic {row['new']:.1f}, peer (no remediation = old champion) "
          f"{row['old']:.1f}")
    print(f"bike ratio: {row['old'] / row['new']:.2f}")


def main() -> None:
    import sys

    logging.basicConfig(level=logging.WARNING)
    from core.settings import Settings
    from ml.registry.aliases import open_registry
    from ml.training import train

    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        settings = Settings(home=work / "trained", _env_file=None)
        registry = open_registry(settings)
        train.run(settings, registry, actor="bench")
        registry.sessions.kw["bind"].dispose()  # close the database before copying it
        shadow = "--shadow" in sys.argv
        if only != "bike":
            if shadow:
                report_shadow([shadow_site(site, settings.home, work) for site in SHIFTED])
            else:
                report([one_site(site, settings.home, work) for site in SITES])
        if only != "heart":
            bike = settings.model_copy(update={"default_model": "bike-demand",
                                               "model_name": "bike-demand",
                                               "experiment": "bike-demand"})
            bike_registry = open_registry(bike)
            train.run(bike, bike_registry, actor="bench")
            bike_registry.sessions.kw["bind"].dispose()
            if shadow:
                report_bike_shadow(bike_shadow(settings.home, work))
            else:
                report_bike(bike_months(settings.home, work))


if __name__ == "__main__":
    main()
