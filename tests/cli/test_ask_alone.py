"""`medic ask` on its own, with no LLM, answers without opening the agent."""

import os
import subprocess
import sys

from core.settings import PROJECT_ROOT


def test_ask_alone_answers_from_the_database_without_the_agent(trained):
    env = {**os.environ, "MEDIC_HOME": str(trained[0].home), "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("MEDIC_API_KEY", None)
    asked = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli", "ask",
                            "whats wrong"], cwd=PROJECT_ROOT, env=env, capture_output=True,
                           text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr[-2000:]
    assert " ".join(asked.stdout.split()).startswith(
        "Nothing is wrong now: no open incident, no approval pending")
    imported = {line.rsplit("|", 1)[-1].strip() for line in asked.stderr.splitlines()
                if line.startswith("import time:")}
    # the graph, its checkpointer and the training code are what made it take 30 s
    heavy = {"langgraph", "agent_graph.runtime.runner", "agent_graph.runtime.worker", "sklearn"}
    assert heavy & imported == set()
