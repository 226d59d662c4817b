"""Issue 21's scenario end to end: VA traffic → one incident → approved → fixed on unseen
patients → the outcome delivered by email and webhook with a console link that works →
the monitors back to ok, or held by an open incident that says why not.

Real pieces throughout: the trained registry, the prediction log, the monitors' own checks,
the agent and its gate, an SMTP server (aiosmtpd), webhook and Slack receivers, and the API
with the console's login on 127.0.0.1. Time is the test's clock; waits use the patience
factor, never the wall clock.
"""

import re
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote, urlsplit

import httpx
import pytest
from sqlalchemy import select

from agent_graph.runtime import settle
from core import incidents
from core.tables import Incident
from services.monitors import run as monitors
from services.overview import overview
from tests.conftest import HEART, Driver, principal_of
from tests.ml.conftest import log_traffic
from tests.processes import free_port, in_thread, wait_for
from tests.receivers import all_channels

pytestmark = pytest.mark.slow


@contextmanager
def console(settings):
    """Serve the API and the console's login where `settings` says (`medic up` without worker)."""
    import uvicorn

    from api.app import create_app
    from api.serve import server_config
    from ui.console import mount

    served = settings.model_copy(update={"run_worker": False})
    app = create_app(served)
    mount(app, served)
    with in_thread(uvicorn.Server(server_config(app, served, host=settings.host,
                                                port=settings.port))):
        yield


@pytest.fixture
def scene(trained, clock):
    """The agent on a trained home with all channels, and the home served on a free port."""
    from agent_graph.runtime.runner import open_agent

    with all_channels(trained[0].home, host="127.0.0.1", port=free_port()) as channels, \
            open_agent(channels.settings, clock=clock) as running, \
            console(channels.settings):
        driver = Driver(running, channels.settings)
        driver.channels = channels
        yield driver


@pytest.fixture
def va():
    from core.settings import PROJECT_ROOT
    from ml.data import load_site

    return load_site(PROJECT_ROOT / "data" / "raw", "va", HEART).sample(frac=1, random_state=7)


def every_incident(agent) -> list[dict]:
    with agent.sessions() as session:
        ids = session.scalars(select(Incident.id).order_by(Incident.id)).all()
        return [incidents.detail(session, i).model_dump() for i in ids]


def a_key(agent, *, name: str, role: str) -> str:
    from core import keys

    with agent.sessions.begin() as session:
        return keys.create(session, name=name, role=role, actor="tests")


def states(results) -> dict[str, str]:
    return {r.name: r.state for r in results}


def test_va_traffic_is_healed_told_and_the_monitors_recover(scene, clock, va):
    agent, registry = scene, scene.context.tools.registry
    settings, medic = scene.medic.settings, scene.medic
    approver = principal_of(agent.sessions, name="alice", role="approver")
    viewer_key = a_key(agent, name="vic", role="viewer")
    champion = registry.alias("champion")
    early, later = va.iloc[:100], va.iloc[100:]

    # VA patients arrive at a model trained on Cleveland, and their labels follow
    clock.advance(hours=1)  # the champion has served a while
    log_traffic(agent.sessions, early, start=clock.now - timedelta(minutes=50),
                minutes_apart=0.5, version=champion, model=registry.load(champion),
                prefix="early", label_delay=timedelta(seconds=20))
    first = states(monitors.run_checks(medic))
    clock.advance(minutes=1)
    second = states(monitors.run_checks(medic))
    assert first["performance"] == "critical" and second["data_drift"] == "critical"

    # one cause, one incident, one approval: the drift alert joined the performance one
    [incident] = every_incident(agent)
    assert {a["monitor"] for a in incident["alert_list"]} >= {"performance", "data_drift"}
    [pending] = agent.pending()
    assert [a["tool"] for a in pending["actions"]] == ["retrain"]
    agent.decide(pending["id"], principal=approver, approve=True)

    # the gate promoted the retrained version on labelled rows it did not learn from; the
    # later patients, whom it never saw, are what verify measures it on
    fixed_by = registry.alias("champion")
    assert fixed_by != champion
    assert every_incident(agent)[0]["state"] == "verifying"
    log_traffic(agent.sessions, later, start=clock.now + timedelta(minutes=1),
                version=fixed_by, model=registry.load(fixed_by), prefix="later")
    clock.advance(hours=3)
    assert settle.sweep(agent.agent) == [incident["id"]]

    [done] = every_incident(agent)
    assert done["state"] == "resolved"
    measured = re.match(rf"fixed: F1 (0\.\d+) → (0\.\d+) on (\d+) labelled predictions "
                        rf"\(v{champion} → v{fixed_by}\)", done["outcome"])
    assert measured, done["outcome"]
    before, after, rows = float(measured[1]), float(measured[2]), int(measured[3])
    assert after > before and rows + len(early) > len(va) - 5  # nearly all later patients

    # chat tells the story from the record: the reasons, the gate's table, the outcome
    why = agent.ask("why'd you retrain?").answer
    assert why.startswith(f"Incident {done['id']} (")
    assert "Approval " in why and " approved by alice." in why
    assert "\nGate:\n" in why and done["outcome"] in why
    became = agent.ask(f"when did version {fixed_by} become champion?").answer
    assert became.startswith(f"Version {fixed_by} became champion at ")

    # the outcome reaches a real SMTP server and the webhook, with the console link
    sent = agent.channels.deliver(agent.sessions, clock())
    assert {d.channel for d in sent if d.status == "sent"} >= {"email", "webhook"}
    link = f"http://127.0.0.1:{settings.port}/ui/?incident={done['id']}"
    [mail] = agent.channels.mails(f"Medic incident {done['id']}: resolved — fixed (measured)")
    text = mail.get_body(("plain",)).get_content()
    assert done["outcome"] in text and link in text
    [hooked] = [p for p in agent.channels.hook if p["subject"].endswith("fixed (measured)")]
    assert hooked["link"] == link and hooked["incident_id"] == done["id"]

    # the link asks for a login, then goes to that incident's console page
    with httpx.Client(timeout=30) as browser:
        asked = browser.get(link)
        assert asked.status_code == 303
        wanted = f"/ui/?incident={done['id']}"
        assert asked.headers["location"] == f"/ui/login?next={quote(wanted, safe='')}"
        login = browser.get(urlsplit(link)._replace(path="/ui/login", query="").geturl(),
                            params={"next": wanted})
        assert login.status_code == 200
        origin = f"http://127.0.0.1:{settings.port}"
        signed = browser.post(origin + "/ui/login", data={"key": viewer_key, "next": wanted},
                              headers={"Origin": origin})
        assert (signed.status_code, signed.headers["location"]) == (303, wanted)
        opened = wait_for(lambda: _console(browser, origin + wanted), timeout=180,
                          what="the console page behind the link")
        assert "text/html" in opened.headers["content-type"]

    # the monitors judge the new champion on its own rows: performance is back to ok; a
    # monitor still red is held by an open incident, which chat names with its reason
    clock.advance(minutes=1)
    log_traffic(agent.sessions, later, start=clock.now - timedelta(minutes=50),
                minutes_apart=0.5, version=fixed_by, model=registry.load(fixed_by),
                prefix="settled", label_delay=timedelta(seconds=20))
    for _ in range(3):  # resolve_after: up to 3 ok checks
        now = states(monitors.run_checks(medic))
        clock.advance(minutes=1)
    assert now["performance"] == "ok"
    shown = {m.name: m for m in overview(medic).monitors}
    wrong = agent.ask("what is wrong now?").answer
    red = sorted(name for name, state in now.items() if state in ("warning", "critical"))
    for name in red:
        assert shown[name].incident_state in ("open", "awaiting_approval", "remediating",
                                                 "verifying")
        assert f"{name} {now[name]} (" in wrong
        assert f"rows, incident {shown[name].incident})" in wrong
    if not red:
        assert wrong.startswith("Nothing is wrong now")
    assert "(performance monitor ok)" in wrong


def _console(client: httpx.Client, url: str) -> httpx.Response | None:
    """Return the console page once Gradio is built (until then it answers 503)."""
    answered = client.get(url)
    return answered if answered.status_code == 200 else None
