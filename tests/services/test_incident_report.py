"""An incident report, from a real alert through approval, read back from its PDF."""

from agent_graph.runtime.checkpoint import checkpoint_url
from services.reports import incident, render
from tests.conftest import drift_alert


def test_approved_incident_report_carries_the_facts(agent, approver, pdf_text, first_page_png):
    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True,
                 comment="<script>alert(1)</script> go")

    context = incident.collect(agent.sessions, ingested.incident_id,
                               checkpoints=checkpoint_url(agent.medic.settings))
    pdf = render.incident_pdf(context)
    text = " ".join(pdf_text(pdf).split())

    assert f"Incident {ingested.incident_id}: FeatureDrift" in text
    assert "approved by alice" in text
    assert "<script>alert(1)</script> go" in text  # shown as text, escaped in the HTML
    outcome = agent.state(ingested.incident_id)["outcome"]  # no labels yet: escalated, why
    assert "retrain" in text and " ".join(outcome.split()) in text
    assert "Decided by rules" in text and "Gate verdict approval" in text
    assert "alert_received" in text and "incident_closed" in text
    assert context.audit.last.hash in text
    drift = context.measurements.drift
    assert drift.share > 0.5 and len(drift.features) == 13
    assert first_page_png(pdf, "incident").stat().st_size > 10_000


def test_rejected_incident_names_who_rejected_and_that_nothing_ran(agent, approver, pdf_text):
    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=False, comment="not now")

    pdf = render.incident_pdf(incident.collect(agent.sessions, ingested.incident_id))
    text = " ".join(pdf_text(pdf).split())

    assert "rejected by alice" in text and "not now" in text
    assert "No action ran." in text and "nothing ran" in text
    assert "No per-feature or per-version measurements" in text  # no thread read: said so


def test_a_performance_incident_report_charts_each_version_in_the_models_metric(agent,
                                                                                pdf_text):
    from core.alerts import Alert

    ingested = agent.submit(Alert(name="ModelF1Drop", type="performance",
                                  evidence={"data_path": "processed.va.data"}))
    context = incident.collect(agent.sessions, ingested.incident_id,
                               checkpoints=checkpoint_url(agent.medic.settings))
    scored = context.measurements.performance
    assert set(scored) == {"champion", "previous"}  # the versions, nothing else of the finding
    assert all(s.metric == "f1" and s.value == s.f1 and 0 < s.f1 < 1 for s in scored.values())
    text = " ".join(pdf_text(render.incident_pdf(context)).split())
    assert "F1 on the labelled evidence, per registered version." in text


def test_an_approved_action_still_running_is_reported_as_running(agent, approver):
    """The worker (a child of `medic up`) may still be retraining when a report is asked
    for: the action has started and has no result yet. Once a 500, from the template."""
    from sqlalchemy import update

    from core.tables import ActionRun

    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True, comment="go")
    with agent.sessions.begin() as session:  # as it is between action_started and _finished
        session.execute(update(ActionRun).values(status="running", result={},
                                                 finished_at=None))

    page = render.incident_html(incident.collect(agent.sessions, ingested.incident_id))
    assert "still running" in page
