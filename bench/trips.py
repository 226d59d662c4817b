"""Count what one info alert costs the app database on PostgreSQL (issue 28, cheap incidents).

On a fresh PostgreSQL database (created here, dropped at the end) with a champion trained
into it: one alert to warm up, then `--alerts` info alerts, each stored and handled by
the agent on the rules path (logged only) as the CLI does it — stored, then the worker
drains the work. Every statement, BEGIN, COMMIT and ROLLBACK the app database receives
is listed, a blank line after each transaction's end, with two more counts the list
leaves out: connection check-outs (each pings the server first, `pool_pre_ping`) and
MLflow registry calls. `tests/agent_graph/test_round_trips.py` holds the budget.

Usage: .venv/bin/python bench/trips.py [--alerts 1] [--quiet]
Needs PostgreSQL (MEDIC_BENCH_PG, default postgresql://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg import fresh_database  # noqa: E402
from core.settings import Settings  # noqa: E402
from tests.agent_graph.test_round_trips import Calls  # noqa: E402  (the test's own counter)


class Trips:
    """Listen to one engine: its statements and transaction ends, and its pool's check-outs."""

    def __init__(self, engine) -> None:
        self.engine, self.lines, self.checkouts = engine, [], 0
        self._listeners = [
            (engine, "before_cursor_execute",
             lambda _c, _cursor, statement, *args: self.lines.append(" ".join(
                 statement.split())[:100])),
            (engine, "begin", lambda *args: self.lines.append("BEGIN")),
            (engine, "commit", lambda *args: self.lines.extend(["COMMIT", ""])),
            (engine, "rollback", lambda *args: self.lines.extend(["ROLLBACK", ""])),
            (engine.pool, "checkout", self._checked_out)]

    def _checked_out(self, *_args) -> None:
        self.checkouts += 1

    def __enter__(self) -> "Trips":
        for target, name, listener in self._listeners:
            event.listen(target, name, listener)
        return self

    def __exit__(self, *_) -> None:
        for target, name, listener in self._listeners:
            event.remove(target, name, listener)

    @property
    def count(self) -> int:
        """Return the round trips listed (statements, BEGINs, COMMITs, ROLLBACKs)."""
        return sum(1 for line in self.lines if line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=1)
    parser.add_argument("--quiet", action="store_true", help="print the counts only")
    args = parser.parse_args()
    from agent_graph.runtime.runner import open_agent
    from agent_graph.runtime.worker import Worker
    from core import audit
    from core.alerts import Alert
    from ml.registry.aliases import open_registry
    from ml.training import train
    from services.alerts import submit_alerts
    from services.context import Medic

    audit.CHECKPOINT_SECONDS = 3600.0  # no audit checkpoint falls due during the count
    with fresh_database("medic_trips") as url, tempfile.TemporaryDirectory() as home:
        settings = Settings(home=home, _env_file=None, database_url=url,
                            ingest_process=False, train_in_background=False)
        print("training the champion into the bench's PostgreSQL database", flush=True)
        train.run(settings, open_registry(settings))
        with open_agent(settings) as agent:
            worker = Worker(agent)
            medic = Medic(settings=settings, sessions=agent.sessions, clock=agent.context.clock,
                          agent=agent, _registry=agent.context.tools.registry, worker=worker,
                          on_work=worker.drain)
            submit_alerts(medic, [Alert(name="Warm", labels={"severity": "info"})])
            registry = agent.context.tools.registry
            calls = registry._client = Calls(registry._client)
            with Trips(agent.sessions.kw["bind"]) as trips:
                stored = [submit_alerts(medic, [Alert(name=f"Info{i}", labels={
                    "severity": "info"})]).incidents[0] for i in range(args.alerts)]
            registry._client = calls.client
            verdicts = {agent.state(s.incident_id)["verdict"] for s in stored}
            if verdicts != {"log_only"}:
                raise SystemExit(f"the alerts were not logged only: {verdicts}")
    if not args.quiet:
        print("\n".join(trips.lines))
    per = args.alerts
    print(f"round trips per info alert: {trips.count / per:.1f} "
          f"(statements, BEGINs, COMMITs, ROLLBACKs); connection check-outs (a ping each): "
          f"{trips.checkouts / per:.1f}; MLflow calls: {sum(calls.made.values()) / per:.1f}"
          f" {dict(calls.made) or ''}")


if __name__ == "__main__":
    main()
