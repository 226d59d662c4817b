"""The agent runs the rollout: a retrain the gate passes earns its promotion in shadow.

With `shadow.enabled` in the remediation config, an approved retrain that passes the gate
stays challenger and scores live traffic beside the champion (the API's shadow scoring, off
the request path); the worker's sweep judges it on the labelled live rows both scored, with
the gate's rule: promoted, then verified as any champion move; worse, aborted and escalated.

Real pieces: the trained registry, the monitors, the agent and its gate, the API serving
VA patients on 127.0.0.1's app (TestClient) with their labels as feedback.
"""

from datetime import timedelta

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from agent_graph.runtime import collect, settle
from core import rollouts
from core.settings import PROJECT_ROOT
from core.tables import AgentWork, Approval, AuditEntry, Incident, Notification
from services.monitors import run as monitors
from tests.api.conftest import role_keys
from tests.api.test_rollout_replicas import copy_artifacts
from tests.conftest import HEART, HEART_LIGHT, Driver, make_settings, principal_of
from tests.ml.conftest import log_traffic
from tests.services.conftest import first_page_png, pdf_text  # noqa: F401

pytestmark = pytest.mark.slow


def _scene(trained, clock, tmp_path, database_url=None, **shadow):
    from agent_graph.runtime.runner import open_agent

    config = yaml.safe_load((PROJECT_ROOT / "configs" / "retrain.yaml").read_text())
    config["shadow"] = {"enabled": True, "deadline_hours": 72, **shadow}
    path, light = tmp_path / "retrain.yaml", tmp_path / "light.yaml"
    path.write_text(yaml.safe_dump(config))
    light.write_text(yaml.safe_dump(HEART_LIGHT))  # the retrain is a step on the way here
    settings = make_settings(trained[0].home, retrain_config=path, training_config=light,
                             **({"database_url": database_url} if database_url else {}))
    if database_url:
        copy_artifacts(trained[0].database_url, database_url)
    with open_agent(settings, clock=clock) as running:
        yield Driver(running, settings)


@pytest.fixture
def scene(trained, clock, tmp_path):
    """The agent on a trained home whose remediation holds a passed retrain in shadow."""
    yield from _scene(trained, clock, tmp_path)


@pytest.fixture
def asking(trained, clock, tmp_path):
    """The same, its policy asking a person before a promotion the shadow earned."""
    yield from _scene(trained, clock, tmp_path, approve_promotion=True)


@pytest.fixture
def on_postgres(trained, clock, tmp_path, postgres_url):
    """The same on PostgreSQL (the production profile), where two workers sweep at once."""
    yield from _scene(trained, clock, tmp_path, database_url=postgres_url)


@pytest.fixture
def va():
    from ml.data import load_site

    return load_site(PROJECT_ROOT / "data" / "raw", "va", HEART).sample(frac=1, random_state=7)


def serve(settings, patients) -> None:
    """Send patients through the API's default route, each followed by its true label.

    The API runs no worker: the test's own sweeps judge the shadow. With the embedded
    profile's worker in the app, a slow machine let it judge after some of the rows only.
    """
    from api.app import create_app
    from cli.simulate import _value

    ranges = {f.name: f.range for f in HEART.features if f.range is not None}
    keys = role_keys(settings)
    app = create_app(settings.model_copy(update={"run_worker": False}))
    with TestClient(app) as client:
        client.headers.update({"X-API-Key": keys["predictor"]})
        for row in patients.to_dict("records"):
            body = {n: _value(row[n], ranges.get(n)) for n in HEART.feature_names}  # as simulate
            answer = client.post("/v1/predict", json=body)
            assert answer.status_code == 200, answer.text
            told = client.post("/v1/feedback", json={"request_id": answer.json()["request_id"],
                                                     "label": int(row["target"])})
            assert told.status_code == 201, told.text
        app.state.root.predictions.flush_now()
        app.state.root.shadow.drain()


def incident_of(agent) -> Incident:
    with agent.sessions() as session:
        [found] = session.scalars(select(Incident)).all()
        return found


def to_shadow(agent, clock, early) -> tuple[str, str]:
    """VA traffic, monitors, the agent's retrain approved: return (champion, challenger)."""
    registry = agent.context.tools.registry
    champion = registry.alias("champion")
    # The champion was trained moments ago and the API stamps rows with the real time: this
    # clock runs a few minutes behind it, so the shadow starts before the API's rows, and the
    # labels are dated over the next hour, after the champion was made
    clock.advance(minutes=-5)
    log_traffic(agent.sessions, early, start=clock.now - timedelta(minutes=50),
                minutes_apart=0.5, version=champion, model=registry.load(champion),
                prefix="early", label_delay=timedelta(minutes=50))
    monitors.run_checks(agent.medic)
    clock.advance(minutes=1)
    monitors.run_checks(agent.medic)
    [pending] = agent.pending()
    assert [a["tool"] for a in pending["actions"]] == ["retrain"]
    agent.decide(pending["id"], approve=True,
                 principal=principal_of(agent.sessions, name="alice", role="approver"))

    # the gate passed it, but nothing moved: it scores live traffic in shadow
    challenger = registry.alias("challenger")
    assert challenger is not None, incident_of(agent).outcome
    assert registry.alias("champion") == champion and challenger != champion
    state = rollouts.read(agent.sessions, "heart-disease")
    assert (state.stage, state.challenger, state.champion) == ("shadow", challenger, champion)
    waiting = incident_of(agent)
    assert waiting.state == "verifying" and waiting.outcome.startswith(
        f"in shadow: v{challenger} passed the gate and scores live traffic beside v{champion}")
    return champion, challenger


def test_a_passed_retrain_is_promoted_in_shadow_on_live_rows_then_verified(scene, clock, va):
    agent, registry, settings = scene, scene.context.tools.registry, scene.medic.settings
    early, later, last = va.iloc[:100], va.iloc[100:160], va.iloc[160:]
    champion, challenger = to_shadow(agent, clock, early)

    # later patients are answered by the champion and scored by the challenger, labelled
    serve(settings, later)
    assert settle.sweep(agent.agent) == []
    now = rollouts.read(agent.sessions, "heart-disease")
    assert now.stage == "promoted", incident_of(agent).outcome
    assert registry.alias("champion") == challenger
    moved = incident_of(agent)
    assert moved.state == "verifying", moved.outcome
    assert moved.outcome.startswith(f"verifying: v{challenger} replaced v{champion} — promoted "
                                    "on live traffic in shadow: ")
    assert f"labelled live rows of {len(later)} both scored" in moved.outcome
    with agent.sessions() as session:
        judged = session.scalars(select(AuditEntry.data).where(
            AuditEntry.event == "shadow_judged")).all()
    assert judged[-1]["decision"] == "promote"  # judged before the rows came: undecided
    assert {j["decision"] for j in judged[:-1]} <= {"undecided"}

    # and verify measures the new champion on patients it alone served, as any champion move
    log_traffic(agent.sessions, last, start=clock.now + timedelta(minutes=1),
                version=challenger, model=registry.load(challenger), prefix="after")
    clock.advance(hours=3)
    assert settle.sweep(agent.agent) == [moved.id]
    done = incident_of(agent)
    assert done.state in ("resolved", "escalated") and done.outcome.split(":")[0] in (
        "fixed", "not fixed"), done.outcome


def test_a_challenger_worse_on_live_rows_never_leaves_shadow(scene, clock, va):
    from core.tables import ModelArtifact

    agent, registry, settings = scene, scene.context.tools.registry, scene.medic.settings
    champion, challenger = to_shadow(agent, clock, va.iloc[:100])
    # it passed the held-back rows, yet live it answers the opposite of what it should
    with agent.sessions.begin() as session:
        stored = session.get(ModelArtifact, (registry.name, challenger))
        scorer = dict(stored.scorer)
        scorer["intercept"] = -scorer["intercept"]
        scorer["num_weights"] = [-w for w in scorer["num_weights"]]
        scorer["cat_weights"] = [[-w for w in ws] for ws in scorer["cat_weights"]]
        stored.scorer = scorer

    serve(settings, va.iloc[100:])
    assert settle.sweep(agent.agent) == [incident_of(agent).id]
    done = incident_of(agent)
    assert done.state == "escalated" and done.outcome.startswith(
        f"not fixed: in shadow, v{challenger} did worse than v{champion} on "), done.outcome
    assert rollouts.read(agent.sessions, "heart-disease").stage == "aborted"
    assert (registry.alias("champion"), registry.alias("challenger")) == (champion, challenger)


def test_a_sweep_that_dies_mid_promotion_is_finished_by_the_next(scene, clock, va, monkeypatch):
    agent, registry, settings = scene, scene.context.tools.registry, scene.medic.settings
    champion, challenger = to_shadow(agent, clock, va.iloc[:100])
    serve(settings, va.iloc[100:160])
    recorded = rollouts.change

    def dies(*args, **kwargs):  # the process stops after the alias moved, before the record
        raise SystemExit("killed")

    monkeypatch.setattr(rollouts, "change", dies)
    with pytest.raises(SystemExit):
        settle.sweep(agent.agent)
    assert registry.alias("champion") == challenger  # moved; the rollout still says shadow
    assert rollouts.read(agent.sessions, "heart-disease").stage == "shadow"

    monkeypatch.setattr(rollouts, "change", recorded)
    finish = collect._promoted
    monkeypatch.setattr(collect, "_promoted", dies)  # the next dies after the record
    with pytest.raises(SystemExit):
        settle.sweep(agent.agent)
    assert rollouts.read(agent.sessions, "heart-disease").stage == "promoted"

    monkeypatch.setattr(collect, "_promoted", finish)
    assert settle.sweep(agent.agent) == []  # the next sweep finishes it, promoting nothing twice
    assert rollouts.read(agent.sessions, "heart-disease").stage == "promoted"
    moved = incident_of(agent)
    assert moved.state == "verifying" and moved.outcome.startswith(
        f"verifying: v{challenger} replaced v{champion} — promoted on live traffic in shadow")
    history = [(h.action, h.version) for h in registry.history() if h.alias == "champion"]
    assert history.count(("promote", challenger)) == 1


@pytest.mark.postgres
def test_two_workers_sweeping_one_shadow_at_once_judge_and_promote_it_once(
        on_postgres, clock, va, monkeypatch):
    import threading

    from agent_graph.runtime.runner import open_agent
    from core import work
    from tests.processes import wait_for

    agent, registry, settings = on_postgres, on_postgres.context.tools.registry, \
        on_postgres.medic.settings
    champion, challenger = to_shadow(agent, clock, va.iloc[:100])
    serve(settings, va.iloc[100:160])  # enough labelled live rows to promote it
    incident_id = incident_of(agent).id

    def judged() -> list[dict]:
        with agent.sessions() as session:
            return session.scalars(select(AuditEntry.data).where(
                AuditEntry.event == "shadow_judged")).all()

    # a worker advancing the incident holds its lease: the sweep leaves the incident alone;
    # that worker dies, and once its lease expired the incident is swept again
    with agent.sessions.begin() as session:
        work.wake(session, incident_id)
    assert work.claim(agent.sessions, owner="a worker that dies", lease_seconds=60,
                      now=clock(), only=incident_id) is not None
    assert settle.sweep(agent.agent) == [] and judged() == []
    assert rollouts.read(agent.sessions, "heart-disease").stage == "shadow"
    clock.advance(seconds=61)

    # two workers (two agents on the database) sweep it at the same moment: each sweep waits
    # inside the judging until the other sweep judged too or gave up, so both overlap
    judging, real, gave_up = [], collect.shadow, []

    def overlapping(sweeper, *args):
        judging.append(sweeper)
        wait_for(lambda: len(judging) == 2 or gave_up, timeout=20, what="the other sweep")
        return real(sweeper, *args)

    monkeypatch.setattr(collect, "shadow", overlapping)
    with open_agent(settings, clock=clock) as other:
        start, results = threading.Barrier(2), {}

        def sweep(name, sweeper):
            start.wait()
            results[name] = settle.sweep(sweeper)
            gave_up.append(name)

        threads = [threading.Thread(target=sweep, args=(n, a))
                   for n, a in (("one", agent.agent), ("two", other))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    history = [(h.action, h.version) for h in registry.history() if h.alias == "champion"]
    # one judgement, one promotion
    assert ([j["decision"] for j in judged()], history.count(("promote", challenger))) == (
        ["promote"], 1)
    assert results == {"one": [], "two": []} and len(judging) == 1
    assert rollouts.read(agent.sessions, "heart-disease").stage == "promoted"
    moved = incident_of(agent)
    assert moved.state == "verifying" and moved.outcome.startswith(
        f"verifying: v{challenger} replaced v{champion} — promoted on live traffic in shadow")
    with agent.sessions() as session:
        told = session.scalars(select(Notification.subject).where(
            Notification.subject == f"Medic incident {incident_id}: v{challenger} promoted")).all()
        lease = session.get(AgentWork, incident_id)
    assert len(told) == 1
    assert lease.owner is None and lease.lease_until is None  # given back for the next tick


def promotion_asked(agent, clock, va) -> tuple[str, str, dict]:
    """Shadow, live rows that earn the promotion, the sweep asks: (champion, challenger, card)."""
    registry, settings = agent.context.tools.registry, agent.medic.settings
    champion, challenger = to_shadow(agent, clock, va.iloc[:100])
    serve(settings, va.iloc[100:160])
    assert settle.sweep(agent.agent) == []
    assert settle.sweep(agent.agent) == []  # a repeated sweep asks nothing twice
    [asked] = agent.pending()
    assert asked["context"]["kind"] == "shadow_promotion"
    assert [(a["tool"], a["args"]) for a in asked["actions"]] == [
        ("promote", {"version": challenger, "expected_champion": champion})]
    # nothing moved: the champion serves, the challenger is still in shadow
    assert registry.alias("champion") == champion
    assert rollouts.read(agent.sessions, "heart-disease").stage == "shadow"
    waiting = incident_of(agent)
    assert waiting.state == "awaiting_approval" and waiting.outcome.startswith(
        f"asked a person: v{challenger} earned its promotion in shadow beside v{champion} on "
        "60 labelled live rows of 60 both scored"), waiting.outcome
    return champion, challenger, asked


def test_a_promotion_the_shadow_earned_waits_for_a_person_who_sees_its_evidence(
        asking, clock, va, monkeypatch, pdf_text, first_page_png):  # noqa: F811
    from typer.testing import CliRunner

    from cli.main import app
    from services import approvals, incidents
    from ui.console import approvals as cards
    from ui.console import incidents as pages

    agent, registry = asking, asking.context.tools.registry
    champion, challenger, asked = promotion_asked(agent, clock, va)

    # the card shows both models on the same 60 live rows, the gain, agreement, segments
    found = asked["context"]["evidence"]
    assert (found["rows"], found["paired"]) == (60, 60)
    assert found["champion_score"]["version"] == champion
    assert found["challenger_score"]["version"] == challenger
    assert found["improvement"]["low"] > 0 and found["segments"]
    shown = approvals.view(agent.medic, asked["id"]).model_dump()  # what the API returns
    card = cards.card(shown, None)
    better = found["challenger_score"]
    for text in ("Evidence from the shadow", "60 labelled live rows of 60 scored by both",
                 f"{found['agreement']:.0%}", "Paired improvement",
                 f"{found['improvement']['value']:+.3f}", f"{better['value']:.3f}",
                 f"{better['low']:.3f} to {better['high']:.3f}",
                 found["segments"][0]["group"], "expected_champion=" + champion):
        assert text in card, text
    monkeypatch.setenv("MEDIC_HOME", str(agent.medic.settings.home))
    cli = CliRunner().invoke(app, ["approvals", "show", str(asked["id"])])
    assert cli.exit_code == 0, cli.output
    assert f"evidence: challenger v{challenger}: F1 {better['value']:.3f}" in cli.output
    assert "evidence: paired improvement" in cli.output
    with agent.sessions() as session:  # people were told what waits for them
        told = session.scalars(select(Notification.body).where(
            Notification.subject == f"Medic incident {asked['incident_id']}: approval "
                                    f"{asked['id']} needed")).all()
    assert len(told) == 1 and told[0].startswith(f"v{challenger} earned its promotion")

    # approving promotes exactly as the agent's own promotion, then verify goes on; the
    # worker carrying it out dies after the alias moved, before the rollout's record
    recorded = rollouts.change

    def dies(*args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(rollouts, "change", dies)
    with pytest.raises(SystemExit):
        agent.decide(asked["id"], approve=True, comment="the live rows convince me",
                     principal=principal_of(agent.sessions, name="bob", role="approver"))
    assert registry.alias("champion") == challenger
    assert rollouts.read(agent.sessions, "heart-disease").stage == "shadow"
    assert incident_of(agent).state == "remediating"  # approved; its promotion half done
    monkeypatch.setattr(rollouts, "change", recorded)
    agent.agent.advance(asked["incident_id"])  # the worker's retry, once its lease lapsed
    history = [(h.action, h.version) for h in registry.history() if h.alias == "champion"]
    assert history.count(("promote", challenger)) == 1
    assert rollouts.read(agent.sessions, "heart-disease").stage == "promoted"
    moved = incident_of(agent)
    assert moved.state == "verifying" and moved.outcome.startswith(
        f"verifying: v{challenger} replaced v{champion} — approved by bob (approval "
        f"{asked['id']})"), moved.outcome
    assert settle.sweep(agent.agent) == []  # the sweep now measures the move, asks nothing
    with agent.sessions() as session:  # the retrain's and the promotion's, no other
        assert len(session.scalars(select(Approval)).all()) == 2

    # the incident tells its rollout: each stage with its time and numbers
    detail = incidents.detail(agent.medic, moved.id)
    stages = [s.stage for s in detail.rollout]
    assert stages == ["trained", "gated", "in shadow", "asked a person", "approved",
                      "promoted"], stages
    shadow = detail.rollout[2].detail
    assert shadow.startswith(f"v{challenger} beside champion v{champion}") and \
        "60 labelled live rows of 60 both scored" in shadow and "latest: promote" in shadow
    assert f"challenger v{challenger} F1 {better['value']:.3f}" in detail.rollout[3].detail
    assert detail.rollout[4].actor == "bob"
    story = pages.story(detail.model_dump())
    assert "<b>Rollout</b>" in story and "asked a person" in story
    cli = CliRunner().invoke(app, ["incidents", "show", str(moved.id)])
    assert cli.exit_code == 0 and "rollout:" in cli.output, cli.output
    assert [line.split()[1] for line in cli.output.splitlines()  # "  at stage who what"
            if line.startswith("  ") and line.split()[1:2] in (
                ["trained"], ["gated"], ["promoted"])] == ["trained", "gated", "promoted"]

    # and so does its PDF report: a Rollout section, each stage with when, who, numbers
    from services.reports import incident as report
    from services.reports import render

    pdf = render.incident_pdf(report.collect(agent.sessions, moved.id))
    first_page_png(pdf, "incident-rollout")  # the whole PDF is kept beside it, to look at
    text = " ".join(pdf_text(pdf).split())
    told = text[text.index("Rollout The retrained version's way"):text.index("Measured outcome")]
    at = [told.index(f"{s.at[:19].replace('T', ' ')} {s.stage} {s.actor}")
          for s in detail.rollout]
    assert at == sorted(at), told
    for number in (f"v{challenger} on", "60 labelled live rows of 60 both scored",
                   f"F1 {better['value']:.3f}",
                   f"approval {asked['id']}: the live rows convince me"):
        assert number in told, number


def test_a_rejected_promotion_aborts_the_shadow(asking, clock, va):
    from services import incidents

    agent, registry = asking, asking.context.tools.registry
    champion, challenger, asked = promotion_asked(agent, clock, va)
    agent.decide(asked["id"], approve=False, comment="not on a Friday",
                 principal=principal_of(agent.sessions, name="bob", role="approver"))
    assert registry.alias("champion") == champion
    assert rollouts.read(agent.sessions, "heart-disease").stage == "aborted"
    done = incident_of(agent)
    assert done.state == "escalated" and done.outcome == (
        f"not fixed: bob rejected promoting v{challenger} (approval {asked['id']}) — “not on "
        f"a Friday”; the shadow is aborted, v{champion} serves")
    told = incidents.detail(agent.medic, done.id).rollout
    assert [s.stage for s in told][-4:] == ["asked a person", "rejected", "aborted", "closed"]
    assert told[-3].detail == f"approval {asked['id']}: not on a Friday" and \
        told[-3].actor == "bob"
