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


def test_the_report_commands_ask_a_running_server_and_render_alone_without_it(
        agent, approver, tmp_path, pdf_text):
    import re

    from core import keys
    from tests.cli.test_remote import medic
    from tests.processes import local, start_medic, stop

    home = agent.medic.settings.home
    ingested = agent.submit(drift_alert())
    [pending] = agent.pending()
    agent.decide(pending["id"], principal=approver, approve=True, comment="ship it")
    with agent.sessions.begin() as session:
        viewer = keys.create(session, name="viewer-user", role="viewer", actor="tests")

    def rendered(url: str) -> float:
        text = local.get(url + "/metrics", headers={"X-API-Key": viewer}).text
        return sum(float(n) for n in re.findall(r'^medic_report_pdfs_total\{outcome="'
                                                r'(?:rendered|cached)"\} (\S+)$', text, re.M))

    def read(path) -> str:  # the words, less the clock times (generated at, the period)
        return re.sub(r"\d\d:\d\d(:\d\d)?", "", " ".join(pdf_text(path.read_bytes()).split()))

    commands = {"incident": ["report", "incident", str(ingested.incident_id)],
                "health": ["report", "health", "--since", "7d"]}
    process, url = start_medic(home, args=("--no-worker",))
    try:
        served = {}
        for name, command in commands.items():
            before = rendered(url)
            done = medic(home, *command, "--out", str(tmp_path / f"{name}-served.pdf"), key=viewer)
            assert done.returncode == 0, done.stderr
            assert rendered(url) == before + 1  # the server's renderer made it
            served[name] = read(tmp_path / f"{name}-served.pdf")
    finally:
        stop(process)

    for name, command in commands.items():
        done = medic(home, *command, "--out", str(tmp_path / f"{name}-alone.pdf"), key=viewer)
        assert done.returncode == 0, done.stderr
        assert read(tmp_path / f"{name}-alone.pdf") == served[name]
    assert f"Incident {ingested.incident_id}: FeatureDrift" in served["incident"]
    assert "Drift per feature" in served["incident"] and "FeatureDrift" in served["health"]
