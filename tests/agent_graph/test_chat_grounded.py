"""Chat answers from the state Medic is in: incidents, monitors, approvals, live F1, history."""

from core.alerts import Alert
from services.monitors import run as monitors
from tests.services.test_monitors_follow_champion import log_labelled, log_site


def test_what_is_wrong_is_answered_from_monitors_incidents_and_approvals(agent, clock):
    medic = agent.medic
    baseline = medic.registry.version("2").metrics["test_f1"]
    clock.advance(minutes=30)  # v2 has been champion a while
    log_labelled(medic, "2", 60, right=False)
    log_site(medic, "va", 200, version="2")
    monitors.run_checks(medic)
    clock.advance(minutes=5)
    monitors.run_checks(medic)  # the drift monitor fires on its second critical check
    [pending] = agent.pending()
    incident = pending["incident_id"]

    wrong = agent.ask("what is wrong?")
    assert wrong.intent == "status" and "I can answer" not in wrong.answer
    assert (f"live F1 0.000 on 60 labelled predictions since it became champion vs "
            f"{baseline:.3f} at training (performance monitor critical)") in wrong.answer
    assert (f"Monitors not ok: data_drift critical (drift_share 0.769, 260 rows, incident "
            f"{incident}); performance critical (f1 0.000, 60 rows, incident {incident})"
            ) in wrong.answer
    assert (f"1 open incident(s): #{incident} MonitorDataDrift") in wrong.answer
    assert "(drift, awaiting_approval, from monitors data_drift, performance)" in wrong.answer
    assert f"#{pending['id']} for incident {incident}: retrain" in wrong.answer

    ok = agent.ask("hey is the model ok")
    assert ok.intent == "model_health" and ok.answer.startswith("No. ")
    assert "held-out" not in ok.answer and "live F1 0.000" in ok.answer

    drift = agent.ask("how is drift today?")
    assert drift.answer.startswith("data_drift is critical: drift_share 0.769 (warning 0.4, "
                                   "critical 0.5) on 260 rows")
    assert f"incident {incident} open" in drift.answer

    why = agent.ask("why'd you retrain")
    assert why.intent == "why"
    assert why.answer.startswith(f"Incident {incident} (MonitorDataDrift")
    assert "plan retrain. Why: rules: drift alerts start at" in why.answer
    assert "Findings: registry_lookup: champion is version 2" in why.answer
    assert why.answer.endswith("Outcome: still awaiting_approval.")

    refused = agent.ask(f"approve approval {pending['id']}")
    assert refused.intent == "act"
    assert refused.answer.startswith("I only read; chat never acts, so I did not approve.")
    assert f"`medic approvals approve {pending['id']} --key …`" in refused.answer
    assert agent.ask("retrain now").answer.startswith("I only read; chat never acts, so I "
                                                      "did not retrain. To do it: approve a "
                                                      "pending retrain")
    assert agent.pending() == [pending]  # nothing changed


def test_why_and_since_come_from_the_incident_and_the_alias_history(agent, approver):
    assert agent.ask("why did you roll back?").answer == (
        "I have not rolled back: no incident planned rollback.")
    assert agent.ask("how come you escalated").answer == (
        "I have not escalated: no incident was escalated.")
    assert agent.ask("why incident 999?").answer == "no incident 999."
    ingested = agent.submit(Alert(name="ModelF1Drop", type="performance", values={"f1": 0.5}))
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True)

    why = agent.ask("why did you roll back?")
    assert why.answer.startswith(f"Incident {ingested.incident_id} (ModelF1Drop, performance)")
    assert f"Approval {pending['id']} approved by alice." in why.answer
    assert "rollback: success (rolled back to version 1)." in why.answer
    assert "Outcome: verifying" in why.answer

    became = agent.ask("when did version 1 become champion?")
    assert became.intent == "since"
    assert became.answer.startswith("Version 1 became champion at ")
    assert "(rollback by medic agent: approved rollback; it replaced version 2)" in became.answer
    assert "It stopped being champion" in agent.ask("when did v2 become champion").answer
    since = agent.ask("since when?")
    assert since.answer.startswith("Version 1 has been champion since ")
    assert agent.ask("when did version 7 become champion?").answer == (
        "Version 7 has never been champion.")


def test_all_quiet_says_so_and_the_unknown_gets_the_summary_and_the_questions(agent, clock):
    clock.advance(minutes=30)
    log_labelled(agent.medic, "2", 60, right=True)
    monitors.run_checks(agent.medic)

    ok = agent.ask("is the model ok?")
    assert ok.answer.startswith("Yes. ") and "live F1 1.000 on 60 labelled" in ok.answer
    other = agent.ask("is bike ok?").answer  # a question naming a model is about that model
    assert other == ("No version of bike-demand is in production yet: run "
                     "`medic train --model bike-demand`.")
    quiet = agent.ask("whats broken")
    assert quiet.answer.startswith("Nothing is wrong now: no open incident, no approval "
                                   "pending, all ")
    assert agent.ask("is the audit log intact?").answer.startswith("The audit log is intact (")
    unknown = agent.ask("tell me a joke")
    assert unknown.intent == "help" and unknown.answer.startswith("Nothing is wrong now")
    assert "I can answer: what is wrong now; is the model ok;" in unknown.answer
