"""Measure the agent: alert-to-decision latency (rules, and a respx-served LLM with a fixed
delay), incidents per second through the graph with the SQLite checkpointer (against the
in-memory checkpointer as the ceiling), and alerts ingested per second with deduplication.

Usage: .venv/bin/python bench/agent.py [--alerts 300]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import respx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.alerts import Alert  # noqa: E402
from core.settings import Settings  # noqa: E402

LLM_DELAY = 0.05  # seconds the fake LLM takes per call


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_tools():
    """Wrap every tool so its time can be taken out of the decision latency."""
    from tools import TOOLS

    spent = {"s": 0.0}
    for tool in TOOLS.values():
        original = type(tool).__call__

        def wrapped(self, context, raw, _original=original):
            started = time.perf_counter()
            try:
                return _original(self, context, raw)
            finally:
                spent["s"] += time.perf_counter() - started
        type(tool).__call__ = wrapped
    return spent


def medic_over(agent, settings):
    """Return the service context over an open agent, its work handled inline."""
    from agent_graph.runtime.worker import Worker
    from services.context import Medic

    worker = Worker(agent)
    return Medic(settings=settings, sessions=agent.sessions,
                 clock=agent.context.clock, agent=agent, worker=worker,
                 _registry=agent.context.tools.registry, on_work=worker.drain)


def submit(medic, alert) -> None:
    """Store an alert through the service layer (the agent runs inline if it is owed)."""
    from services import alerts

    alerts.submit_alerts(medic, [alert])


def decisions(agent, count: int, spent: dict, kind: str) -> list[float]:
    """Submit distinct alerts that stop at the gate; return ms per alert, tools excluded."""
    latencies = []
    for i in range(count):
        alert = Alert(name=f"{kind}-{i}", type="performance", values={"f1": 0.5})
        before, started = spent["s"], time.perf_counter()
        submit(agent, alert)
        latencies.append((time.perf_counter() - started - (spent["s"] - before)) * 1000)
    return latencies


def fake_llm(request: httpx.Request) -> httpx.Response:
    time.sleep(LLM_DELAY)
    body = json.loads(request.content)
    names = {t["function"]["name"] for t in body.get("tools") or []}
    if "report_severity" in names:
        call = {"name": "report_severity", "arguments": json.dumps(
            {"score": 0.8, "alert_type": "performance", "rationale": "F1 fell to 0.5"})}
    elif "retrain" in names:
        call = {"name": "rollback", "arguments": json.dumps({"expected_champion": "1"})}
    else:
        call = None
    message = {"role": "assistant", "content": None if call else "nothing more"}
    if call:
        message["tool_calls"] = [{"id": "c", "type": "function", "function": call}]
    return httpx.Response(200, json={"id": "x", "object": "chat.completion", "created": 0,
                                     "model": "m", "choices": [{"index": 0, "message": message,
                                                                "finish_reason": "stop"}]})


def throughput(settings, count: int, memory: bool) -> float:
    """Incidents per second through the whole graph (log-only alerts, nothing gated)."""
    from langgraph.checkpoint.memory import InMemorySaver

    from agent_graph.runtime.checkpoint import serializer
    from agent_graph.runtime.runner import Agent, open_agent

    with open_agent(settings) as agent:
        if memory:
            agent = Agent(agent.context, InMemorySaver(serde=serializer()))
        medic = medic_over(agent, settings)
        started = time.perf_counter()
        for i in range(count):
            submit(medic, Alert(name=f"odd-{memory}-{i}", labels={"severity": "info"}))
        return count / (time.perf_counter() - started)


def ingestion(settings, count: int) -> tuple[float, int]:
    """Alerts stored per second, half of them duplicates; return rate and incidents."""
    from agent_graph.runtime.runner import open_agent
    from core.tables import Incident

    with open_agent(settings) as agent:
        medic = medic_over(agent, settings)
        medic.on_work = lambda: None  # store only: the agent does not run here
        alerts = [Alert(name=f"burst-{i % (count // 2)}", type="drift",
                        values={"drift_share": 0.6}) for i in range(count)]
        started = time.perf_counter()
        for alert in alerts:
            submit(medic, alert)
        rate = count / (time.perf_counter() - started)
        with agent.sessions() as session:
            opened = session.query(Incident).filter(Incident.title.like("burst-%")).count()
    return rate, opened


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=300)
    args = parser.parse_args()
    from agent_graph.runtime.runner import open_agent
    from ml.registry.aliases import open_registry
    from ml.training import train

    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=home, _env_file=None)
        train.run(settings, open_registry(settings))
        spent = timed_tools()
        with open_agent(settings) as agent:
            medic = medic_over(agent, settings)
            decisions(medic, 5, spent, "warm")
            rules = decisions(medic, args.alerts, spent, "rules")
        llm_settings = settings.model_copy(update={
            "llm_provider": "openai", "llm_model": "m", "llm_base_url": "http://llm.bench/v1"})
        with respx.mock, open_agent(llm_settings) as agent:
            respx.post("http://llm.bench/v1/chat/completions").mock(side_effect=fake_llm)
            llm = decisions(medic_over(agent, llm_settings), max(20, args.alerts // 10), spent,
                            "llm")
        sqlite_rate = throughput(settings, args.alerts, memory=False)
        memory_rate = throughput(settings, args.alerts, memory=True)
        ingest_rate, opened = ingestion(settings, 1000)
    print(f"rules path, alert to gate verdict (tools excluded), {len(rules)} alerts: "
          f"p50 {statistics.median(rules):.1f} ms, p99 {percentile(rules, 0.99):.1f} ms "
          "(target p99 < 50 ms)")
    print(f"LLM path ({LLM_DELAY * 1000:.0f} ms per call, 3 calls), {len(llm)} alerts: "
          f"p50 {statistics.median(llm):.1f} ms, p99 {percentile(llm, 0.99):.1f} ms")
    print(f"incidents/s through the graph: SQLite checkpointer {sqlite_rate:.0f}, "
          f"in-memory checkpointer {memory_rate:.0f}")
    print(f"ingestion with deduplication: {ingest_rate:.0f} alerts/s, 1000 alerts -> "
          f"{opened} incidents (target >= 200 alerts/s, 500 incidents)")
    print(f"ratio: {sqlite_rate / memory_rate:.2f}")


if __name__ == "__main__":
    main()
