"""Read-only commands alone (no server) answer from Medic's database, never importing MLflow.

MLflow, LangGraph, pandas and Gradio each cost a person seconds of start-up; a command that
only reads must not pay for them. Each command runs as a person runs it, a new process,
and reports what it imported (`-X importtime`).
"""

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import delete

from core.settings import PROJECT_ROOT
from core.tables import ModelFacts

HEAVY = {"mlflow", "langgraph", "pandas", "gradio", "numpy", "sklearn"}


def medic(home, *args: str) -> tuple[str, set[str]]:
    """Run `medic ARGS` on `home`; return its output and the top-level packages it imported."""
    env = {**os.environ, "MEDIC_HOME": str(home), "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("MEDIC_API_KEY", None)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli", *args],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done.stdout, imported


@pytest.mark.parametrize("args", [("incidents", "list"), ("approvals", "list"),
                                  ("audit", "verify"), ("models", "history"),
                                  ("ask", "what is wrong?")])
def test_a_read_command_imports_nothing_heavy(trained, args):
    _, imported = medic(trained[0].home, *args)
    assert imported & HEAVY == set()


def test_models_list_alone_answers_as_mlflow_without_it(trained):
    settings, registry, _, _ = trained
    listed, imported = medic(settings.home, "models", "versions", "--json")
    assert json.loads(listed) == [v.model_dump(mode="json") for v in registry.versions()]
    assert imported & HEAVY == set()
    every, imported = medic(settings.home, "models", "list", "--json")
    assert {m["name"]: m["champion"] for m in json.loads(every)}["heart-disease"] == \
        registry.alias("champion")
    assert imported & HEAVY == set()
    answer, imported = medic(settings.home, "ask", "which model is in production?")
    assert " ".join(answer.split()).startswith("Version 2 (")
    assert "is the champion" in answer and imported & HEAVY == set()


def test_a_home_from_before_the_record_opens_mlflow_once(trained):
    settings, registry, _, _ = trained
    with registry.sessions.begin() as session:
        session.execute(delete(ModelFacts))
    first, imported = medic(settings.home, "models", "versions", "--json")
    assert "mlflow" in imported  # filled from MLflow, once
    second, imported = medic(settings.home, "models", "versions", "--json")
    assert json.loads(first) == json.loads(second) == [
        v.model_dump(mode="json") for v in registry.versions()]
    assert imported & HEAVY == set()
