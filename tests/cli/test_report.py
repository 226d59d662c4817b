"""`medic report incident|health` write PDFs a person can read; mistakes end in one line."""

from typer.testing import CliRunner

from cli.main import app
from tests.conftest import drift_alert

runner = CliRunner()


def test_report_commands_write_readable_pdfs(agent, approver, tmp_path, monkeypatch, pdf_text):
    monkeypatch.setenv("MEDIC_HOME", str(agent.medic.settings.home))
    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True, comment="ship it")

    out = tmp_path / "incident.pdf"
    done = runner.invoke(app, ["report", "incident", str(ingested.incident_id), "--out", str(out)])
    assert done.exit_code == 0, done.output
    text = " ".join(pdf_text(out.read_bytes()).split())
    assert f"Incident {ingested.incident_id}: FeatureDrift" in text
    assert "approved by alice" in text and "ship it" in text
    assert "Drift per feature" in text  # the thread's measurements were read

    week = tmp_path / "week.pdf"
    done = runner.invoke(app, ["report", "health", "--since", "7d", "--out", str(week)])
    assert done.exit_code == 0, done.output
    assert "FeatureDrift" in pdf_text(week.read_bytes())

    missing = runner.invoke(app, ["report", "incident", "999", "--out", str(tmp_path / "x.pdf")])
    assert missing.exit_code == 2 and missing.output.strip() == "error: no incident 999"
    bad = runner.invoke(app, ["report", "health", "--since", "a week"])
    assert bad.exit_code == 2 and "must look like 7d" in bad.output
    nowhere = runner.invoke(app, ["report", "health", "--out", str(tmp_path / "no" / "x.pdf")])
    assert nowhere.exit_code == 2 and "cannot write" in nowhere.output
