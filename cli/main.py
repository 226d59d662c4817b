"""Run Medic from the command line: `medic --help`."""

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli import admin, agent, monitor, remote, silence, simulate
from cli import secrets as cli_secrets
from cli.common import JsonFlag, console, errors, fail, medic, settings
from cli.models import models_app
from cli.notifications import notifications_app
from cli.oncall import oncall_app
from cli.report import report_app
from core.errors import MedicError
from core.home import write_private

app = typer.Typer(help="Medic keeps a production ML model healthy.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
app.add_typer(models_app, name="models")
app.add_typer(agent.alert_app, name="alert")
app.add_typer(agent.incidents_app, name="incidents")
app.add_typer(agent.approvals_app, name="approvals")
app.add_typer(admin.audit_app, name="audit")
app.add_typer(admin.keys_app, name="keys")
app.add_typer(notifications_app, name="notifications")
app.add_typer(oncall_app, name="oncall")
app.add_typer(cli_secrets.secrets_app, name="secrets")
app.add_typer(report_app, name="report")
app.command("ask")(admin.ask)
app.command("eval")(admin.evaluate)
app.command("replay")(admin.replay)
app.add_typer(monitor.monitor_app, name="monitor")
app.command("simulate")(simulate.simulate)
app.add_typer(silence.silence_app, name="silence")


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False):
    """Medic: alerts in, diagnosis and remediation out, a person for anything risky."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", force=True)
    if not verbose:  # libraries that set their own loggers to INFO stay quiet
        os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
        for handler in logging.getLogger().handlers:
            handler.addFilter(_quiet_libraries)


NOISY = ("alembic", "mlflow", "great_expectations", "matplotlib")


def _quiet_libraries(record: logging.LogRecord) -> bool:
    """Let the libraries' warnings through, not their INFO lines (see `--verbose`)."""
    return record.levelno >= logging.WARNING or not record.name.startswith(NOISY)


def _train_with_progress(config, registry, *, quiet: bool = False):
    """Train with a progress display: which model, which fold."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ml.training import train as training

    with Progress(TextColumn("{task.description:<34}"), BarColumn(), TimeElapsedColumn(),
                  console=errors, transient=True, disable=quiet) as bar:
        task = bar.add_task("starting", total=1.0)
        # refresh=True: every step is drawn, however fast (a fold of LogReg takes ms)
        return training.run(config, registry, progress=lambda message, done: bar.update(
            task, description=message, completed=done, refresh=True))


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="A CSV file in the model's layout (with or "
                                     "without header).")],
    model: Annotated[str | None, typer.Option(help="The model whose spec the file must "
                                              "meet; default MEDIC_DEFAULT_MODEL.")] = None,
    as_json: JsonFlag = False,
    out: Annotated[Path | None, typer.Option(help="Also write the JSON report here.")] = None,
):
    """Validate a data file against its model spec's expectations."""
    from ml import spec
    from ml.data import load
    from ml.validation import default_report_path
    from ml.validation import validate as run_validation

    try:
        config = settings()
        model_spec = spec.of(config, model)
        report = run_validation(load(path, model_spec), model_spec, source=str(path))
    except MedicError as error:
        fail(error)
    saved = report.save(default_report_path(config.ensure_home(), str(path)))
    if out is not None:
        report.save(out)
    if as_json:
        console.print_json(report.model_dump_json())
    else:
        table = Table(title=f"{path} — {report.rows} rows")
        for column in ("column", "expectation", "result", "observed"):
            table.add_column(column)
        for check in report.checks:
            mark = "[green]pass[/green]" if check.success else "[red]FAIL[/red]"
            table.add_row(check.column or "(table)", check.expectation, mark, check.observed)
        console.print(table)
        verdict = "[green]passed[/green]" if report.success else (
            f"[red]failed[/red] ({len(report.failed)} of {len(report.checks)} checks)")
        console.print(f"validation {verdict}; report saved to {saved}")
    raise typer.Exit(0 if report.success else 1)


@app.command()
def train(
    min_f1: Annotated[float | None, typer.Option(help="Override the minimum held-out score "
                                                 "(F1; a regressor's maximum MAE).")] = None,
    model: Annotated[str | None, typer.Option(help="The model spec to train; default "
                                              "MEDIC_DEFAULT_MODEL.")] = None,
    as_json: JsonFlag = False,
    out: Annotated[Path | None, typer.Option(help="Also write the result JSON here.")] = None,
):
    """Validate the data, train the spec's candidates, register the best behind the gate."""
    from ml import spec
    from ml.registry.aliases import open_registry

    try:
        config = settings()
        if model is not None and model != config.default_model:
            named = spec.of(config, model)  # an unknown name is refused before anything opens
            config.model_name = spec.registry_name(config, named)
            config.default_model = config.experiment = model
        chosen = spec.of(config)
        if min_f1 is not None:
            config.min_f1 = min_f1
        result = _train_with_progress(config, open_registry(config), quiet=as_json)
    except MedicError as error:
        fail(error, code=1)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_private(out, result.model_dump_json(indent=2).encode())
    if as_json:
        console.print_json(result.model_dump_json())
        return
    table = Table(title=f"{chosen.name} training run {result.parent_run_id[:8]} "
                        f"(data {result.data_version})")
    selected = chosen.training.selection_metric
    shown = ("f1", "roc_auc", "accuracy") if chosen.task == "binary_classification" \
        else ("mae", "rmse", "r2")
    label = {"f1": "F1", "roc_auc": "ROC-AUC", "mae": "MAE", "rmse": "RMSE", "r2": "R²"}
    for column in ("model", f"cv {label.get(selected, selected)}",
                   *(f"test {label.get(m, m)}" for m in shown)):
        table.add_column(column, justify="right" if column != "model" else "left")
    for c in result.candidates:
        star = " *" if c.name == result.best else ""
        table.add_row(c.name + star, f"{c.cv[selected]:.3f}",
                      *(f"{c.test[m]:.3f}" for m in shown))
    console.print(table)
    console.print(f"version {result.version}: [bold]{result.decision}[/bold] — {result.reason}")
    console.print(f"took {result.seconds:.1f} s")


@app.command("llm-check")
def llm_check(as_json: JsonFlag = False):
    """Say which LLM is configured, whether it answers, and how fast two real calls were."""
    from agent_graph.llm.check import probe

    result = probe(settings())
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        state = "[green]answers[/green]" if result["ok"] else "[red]does not answer[/red]"
        console.print(f"LLM provider {result['provider']}: {state} ({result['detail']})")
        for call in result.get("calls", []):
            if call["ok"]:
                speed = call["tokens_per_second"]
                console.print(f"  {call['name']} call: {call['seconds']:.1f} s, "
                              f"{call['tokens']} tokens, "
                              f"{'?' if speed is None else f'{speed:.2f}'} tokens/s")
            else:
                console.print(f"  {call['name']} call: [red]failed[/red] ({call['error']})")
        for warning in result.get("warnings", []):
            console.print(f"[yellow]warning:[/yellow] {warning}")
    raise typer.Exit(0 if result["ok"] else 1)


@app.command()
def up(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    worker: Annotated[bool | None, typer.Option(
        "--worker/--no-worker", help="Run the agent worker with this server, in a child process "
        "(default: yes on the embedded profile, no in production, where `medic worker` runs "
        "it).")] = None,
    access_log: Annotated[bool, typer.Option(help="Log every request (metrics count them "
                                             "anyway).")] = False,
):
    """Serve the API and the agent on the embedded default (training first if needed)."""
    import uvicorn

    from api.app import create_app
    from api.serve import server_config
    from core.channels import describe
    from core.keys import count
    from services import keys

    config = settings()
    host, port = host or config.host, port or config.port
    config.serve_at(host, port)  # links in messages go where this server is
    if worker is not None:
        config.run_worker = worker
    cli_secrets.refuse_public_exposure(config, host)
    try:
        with medic() as opened:
            if opened.registry.champion_artifact() is None:  # the app database: no MLflow
                console.print("no champion in the registry yet: training first")
                _train_with_progress(config, opened.registry)
            later = background_training(config, opened)
            with opened.sessions() as session:
                first = count(session) == 0
            admin = keys.create(opened, name="admin", role="admin", principal=None) \
                if first else None
    except MedicError as error:
        fail(error, code=1)
    where = ("in a child process" if config.worker_process else "in this process") \
        if config.run_worker else "not here (run `medic worker`)"
    console.print(f"Medic on http://{host}:{port} — API docs at http://{host}:{port}/docs, "
                  f"health at /health, metrics at /metrics; state in {config.home}; agent "
                  f"worker {where}", soft_wrap=True)
    console.print(describe(config), soft_wrap=True)
    for name in later:
        console.print(f"{name}: no champion yet; trained in the background once the API is up "
                      f"(its routes answer 503 'training, retry in N s' until it is served)",
                      soft_wrap=True)
    if admin:
        console.print(f"first start: an admin key was created (shown once): {admin.key}\n"
                      "make more with `medic keys create --role ROLE --name NAME --key ADMIN_KEY`")
    cli_secrets.show_first_start(config)
    served = create_app(config)
    if config.ui:
        from ui.console import mount

        mount(served, config)
        console.print(f"console at http://{host}:{port}/ui (log in with an API key; it opens "
                      "a few seconds after the API)")
    announced = remote.announce(config.home, host=host, port=port)  # read commands ask it

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None) -> None:
            # here, not after run(): uvicorn re-raises SIGTERM once served, ending the process
            remote.withdraw(announced)
            await super().shutdown(sockets)

    server = Server(server_config(served, config, host=host, port=port, access_log=access_log))
    try:
        server.run()
    finally:
        remote.withdraw(announced)
    if not server.started:
        raise typer.Exit(3)


def background_training(config, opened) -> list[str]:
    """Return the models the server will train in the background (no champion yet)."""
    from ml import spec
    from services.training import to_train

    return to_train(config, spec.every(config), lambda chosen: opened.registry.named(
        spec.registry_name(config, chosen)).recorded_champion())


@app.command("worker")
def run_worker(
    once: Annotated[bool, typer.Option(help="Handle what is due now, then exit.")] = False,
):
    """Run the agent as its own process: claim incidents from the database and handle them."""
    import signal

    from agent_graph.runtime.runner import open_agent
    from services.context import Medic
    from services.monitors import run as monitors
    from services.processes.agent_worker import build_worker

    config = settings()
    try:
        with open_agent(config) as agent:
            medic = Medic.over(agent, config)
            worker = build_worker(agent, medic, config,
                                  monitor=monitors.scheduled(medic))  # no API counters here
            if once:
                worker.recover()
                done = worker.drain()
                console.print(f"handled {len(done)} incident(s)")
                return
            console.print(f"medic worker {worker.owner}: waiting for incidents "
                          "(Ctrl-C stops after the incident at hand)")
            signal.signal(signal.SIGTERM, lambda *_: worker.close())
            worker.start()
            try:
                while worker.running:
                    worker.wait(1.0)
            except KeyboardInterrupt:
                worker.close()
    except MedicError as error:
        fail(error, code=1)


if __name__ == "__main__":
    app()
