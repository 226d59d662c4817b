"""Messages read at 3 a.m.: sentences, numbers with their baseline, the shifted population."""

import json

from core.alerts import Alert
from tests.agent_graph.test_superseded import wired  # noqa: F401 (a fixture)
from tests.conftest import DATA, HEART, drift_alert, principal_of
from tests.ml.conftest import log_traffic


def approval_message(agent, subject_part: str) -> tuple[dict, dict, object]:
    """Return the Slack payload, the webhook JSON and the email of one message."""
    agent.deliver()
    [hooked] = [p for p in agent.channels.hook if subject_part in p["subject"]]
    [posted] = [p for p in agent.channels.slack if subject_part in p["text"]]
    [mail] = agent.channels.mails(subject_part)
    return posted, hooked, mail


def test_a_retrain_approval_reads_as_sentences_and_names_the_shifted_population(
        wired, clock):  # noqa: F811 (the fixture)
    from ml.data import load_site

    agent = wired
    log_traffic(agent.sessions, load_site(DATA, "va", HEART), start=clock.now, version="2")
    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()
    posted, hooked, mail = approval_message(agent, f"approval {pending['id']} needed")

    [step] = hooked["actions"]
    assert step.startswith("Retrain the model on the training data plus labelled production "
                           f"traffic, because of incident {ingested.incident_id}: FeatureDrift")
    assert "{" not in step and "'reason'" not in step  # a sentence, not a dict
    assert step.endswith("(changes what is served: needs an approver).")
    drift = next(line for line in hooked["diagnosis"] if "features drifted" in line)
    assert "on evidence file processed.va.data (200 rows) against the training data" in drift
    assert "tests: " in drift and "KS test" not in drift
    assert "most shifted: " in drift and "in the training data" in drift
    assert step in json.dumps(posted) and step in mail.get_body(("plain",)).get_content()

    # the gate's fixed-width table: a code block in Slack, <pre> in the HTML email
    alice = principal_of(agent.sessions, name="alice", role="approver")
    agent.decide(pending["id"], principal=alice, approve=True)
    agent.deliver()
    [posted] = [p for p in agent.channels.slack
                if f"incident {ingested.incident_id}: " in p["text"] and "champion F1/AUC"
                in json.dumps(p)]
    sections = [b["text"]["text"] for b in posted["blocks"]
                if b["type"] == "section" and "text" in b]
    [table] = [s for s in sections if "champion F1/AUC" in s]
    assert table.startswith("```\nset") and table.endswith("\n```")
    [mail] = [m for _to, m in agent.channels.inbox.mails
              if f"incident {ingested.incident_id}: " in m["Subject"]
              and "champion F1/AUC" in m.get_body(("plain",)).get_content()]
    assert "<pre>set " in mail.get_body(("html",)).get_content()


def test_a_measured_f1_comes_with_the_champions_baseline(wired):  # noqa: F811
    agent = wired
    agent.submit(Alert(name="ModelF1Drop", type="performance", values={"f1": 0.55},
                       evidence={"data_path": "processed.va.data"}))
    [pending] = agent.pending()
    _posted, hooked, _mail = approval_message(agent, f"approval {pending['id']} needed")
    [measured] = [line for line in hooked["diagnosis"] if line.startswith("champion v2 F1 ")]
    assert " on 200 labelled rows of evidence file processed.va.data vs 0." in measured
    assert "on its hold-out at training" in measured
