"""Commands for models: versions, history, promote and roll back (admins); draft a spec."""

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from cli.common import JsonFlag, KeyOption, console, dump, fail, medic, principal, settings

models_app = typer.Typer(help="Look at the known models, and the registered versions and "
                         "aliases.",
                         no_args_is_help=True)


def _overview(key: str | None):
    """Ask the running server when there is one (no MLflow to open here), else the home."""
    from cli import remote
    from services.views import ModelsView

    answered = remote.ask(settings().home, key, "GET", "/v1/models")
    if answered is not None:
        return ModelsView.model_validate(answered)
    from services import models

    with medic() as opened:
        return models.overview(opened)


def _catalogue(key: str | None) -> list[dict]:
    """Ask the running server (what it serves), else read the specs and champions (no MLflow)."""
    from cli import remote

    answered = remote.ask(settings().home, key, "GET", "/v1/models")
    if answered is not None:
        return answered["models"]
    from services import models

    with medic() as opened:
        return [m.model_dump(mode="json") for m in models.catalogue(opened)]


@models_app.command("list")
def models_list(as_json: JsonFlag = False, key: KeyOption = None):
    """List every known model: task, registered name, champion, what the server serves."""
    found = _catalogue(key)
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    table = Table(title="models")
    for column in ("model", "task", "registered as", "champion", "served", "state"):
        table.add_column(column)
    for m in found:
        table.add_row(m["name"] + (" *" if m["default"] else ""), m["task"],
                      m["registry_name"], m["champion"] or "", m["served"] or "", m["state"])
    console.print(table)
    console.print("* the default model (/v1/predict)" + ("" if found[0]["state"] != "stopped"
                  else "; no server answered: what it serves is unknown"))


@models_app.command("versions")
def models_versions(as_json: JsonFlag = False, key: KeyOption = None):
    """List the default model's registered versions with their aliases and held-out metrics."""
    found = _overview(key)
    if as_json:
        typer.echo(json.dumps(found.versions, indent=2))
        return
    if not found.versions:
        console.print(f"no versions of {found.name!r} yet; run `medic train`")
        return
    table = Table(title=found.name)
    for column in ("version", "aliases", "model", "test F1", "test ROC-AUC", "created"):
        table.add_column(column)
    for v in found.versions:
        metrics = v["metrics"]
        table.add_row(v["version"], ", ".join(v["aliases"]), v["model_type"] or "",
                      f"{metrics.get('test_f1', float('nan')):.3f}",
                      f"{metrics.get('test_roc_auc', float('nan')):.3f}",
                      v["created_at"][:16].replace("T", " "))
    console.print(table)


@models_app.command("history")
def models_history(as_json: JsonFlag = False, key: KeyOption = None):
    """Show which version was champion when, and why."""
    history = _overview(key).history
    if as_json:
        typer.echo(json.dumps(history, indent=2))
        return
    table = Table(title="alias history")
    for column in ("when", "action", "alias", "version", "replaced", "by", "why"):
        table.add_column(column)
    for h in history:
        table.add_row(h["at"][:19].replace("T", " "), h["action"], h["alias"], h["version"],
                      h["replaced"] or "", h["actor"], h["reason"])
    console.print(table)


Expected = Annotated[str, typer.Option("--expected", help="The champion you expect now "
                                       "(compare-and-set: refused if it moved).")]
Reason = Annotated[str, typer.Option(help="Why (kept in the alias history).")]


ModelOption = Annotated[str | None, typer.Option(
    "--model", help="The model (a spec's name); default: MEDIC_DEFAULT_MODEL.")]


@models_app.command("promote")
def models_promote(version: str, expected: Expected, key: KeyOption = None,
                   reason: Reason = "", model: ModelOption = None, as_json: JsonFlag = False):
    """Make a version champion (admin), if the champion is still the expected one."""
    from services import models

    with medic() as opened:
        found = _changed(lambda: models.promote(opened, version, expected=expected,
                                                principal=principal(opened, key),
                                                reason=reason, model=model))
    if as_json:
        return dump(found)
    console.print(f"version {version} is champion (was {expected})")


@models_app.command("rollback")
def models_rollback(expected: Expected, key: KeyOption = None, reason: Reason = "",
                    model: ModelOption = None, as_json: JsonFlag = False):
    """Restore the previous champion (admin), if the champion is still the expected one."""
    from services import models

    with medic() as opened:
        found = _changed(lambda: models.rollback(opened, expected=expected,
                                                 principal=principal(opened, key),
                                                 reason=reason, model=model))
        if model is not None:
            champion = models.registry_of(opened, model).recorded_champion()
    if as_json:
        return dump(found)
    if model is None:
        champion = next((v["version"] for v in found.versions if "champion" in v["aliases"]),
                        None)
    console.print(f"rolled back: version {champion} is champion (was {expected})")


def _rollout(name: str, key: str | None, action: dict | None = None):
    """Ask the running server (its counts come with it), else act on the home directly."""
    from cli import remote
    from services import rollouts
    from services.rollouts import RolloutAction, RolloutView

    path = f"/v1/models/{name}/rollout"
    answered = remote.ask(settings().home, key, "POST", path, json=action) if action else \
        remote.ask(settings().home, key, "GET", path)
    if answered is not None:
        return RolloutView.model_validate(answered)
    with medic() as opened:
        if action is None:
            return rollouts.view(opened, name)
        return rollouts.act(opened, name, RolloutAction.model_validate(action),
                            principal=principal(opened, key))


def _show(found, as_json: bool) -> None:
    """Print a rollout: its stage, both models on the same labelled rows, the decision."""
    if as_json:
        return dump(found)
    if found.stage == "none":
        console.print(f"{found.model}: no rollout yet (`medic models shadow {found.model} "
                      "--version V`)")
        return
    console.print(f"{found.model}: version {found.challenger} in [bold]{found.stage}[/bold] "
                  f"beside champion {found.champion or 'none'}" +
                  (f", canary share {found.share:.0%}" if found.stage == "canary" else "") +
                  f" (by {found.actor}: {found.reason})")
    evidence = found.evidence
    if evidence is None or evidence.champion_score is None:
        console.print(f"{evidence.paired if evidence else 0} rows scored by both, none "
                      "labelled yet")
    else:
        table = Table(title=f"{evidence.metric.upper()} on the same labelled live rows "
                      f"({evidence.rows} of {evidence.paired} scored by both; agreement "
                      f"{evidence.agreement:.0%})")
        for column in ("rows", "group", "champion", "challenger", "agreement"):
            table.add_column(column)
        table.add_row(str(evidence.rows), "all", _cell(evidence.champion_score),
                      _cell(evidence.challenger_score), f"{evidence.agreement:.0%}")
        for segment in evidence.segments:
            table.add_row(str(segment.rows), segment.group, _cell(segment.champion),
                          _cell(segment.challenger),
                          f"{segment.agreement:.0%}" if segment.agreement is not None else "")
        console.print(table)
    if found.decision is not None:
        console.print(f"decision: {found.decision.reason}"
                      + (" (past the deadline: a person decides)"
                         if found.decision.past_deadline else ""))


def _cell(score) -> str:
    return f"{score.value:.3f} [{score.low:.3f}, {score.high:.3f}]" if score else ""


Name = Annotated[str, typer.Argument(help="The model's name (`medic models list`).")]
Why = Annotated[str, typer.Option(help="Why (kept in the audit log and the notification).")]


@models_app.command("rollout")
def models_rollout(name: Name, as_json: JsonFlag = False, key: KeyOption = None):
    """Show a model's rollout: stage, share, both models' metric on the same labelled rows."""
    _show(_rollout(name, key), as_json)


@models_app.command("shadow")
def models_shadow(name: Name,
                  version: Annotated[str, typer.Option(help="The registered version to try.")],
                  key: KeyOption = None, reason: Why = "", as_json: JsonFlag = False):
    """Put a version in shadow: scored on every live request, answering none (approver)."""
    _show(_rollout(name, key, {"action": "shadow", "version": version, "reason": reason}),
          as_json)


@models_app.command("canary")
def models_canary(name: Name,
                  share: Annotated[float, typer.Option(min=0, max=1, help="The share of "
                                                       "callers the challenger answers; 0 "
                                                       "goes back to shadow.")],
                  key: KeyOption = None, reason: Why = "", as_json: JsonFlag = False):
    """Route a share of the model's callers to its challenger, sticky per caller (approver)."""
    _show(_rollout(name, key, {"action": "canary", "share": share, "reason": reason}), as_json)


@models_app.command("abort")
def models_abort(name: Name, key: KeyOption = None, reason: Why = "",
                 as_json: JsonFlag = False):
    """Abort a model's rollout: the champion answers every caller again (approver)."""
    _show(_rollout(name, key, {"action": "abort", "reason": reason}), as_json)


def _changed(change):
    """Run a registry change; an unknown model is a one-line error (exit 1)."""
    from core.errors import ConfigError

    try:
        return change()
    except ConfigError as error:
        fail(error, code=1)


@models_app.command("init-spec")
def models_init_spec(
    reference: Annotated[Path, typer.Option(help="A CSV file with a header row: the model's "
                                            "reference data.")],
    target: Annotated[str, typer.Option(help="The column the model predicts.")],
    task: Annotated[Literal["binary_classification", "regression"] | None, typer.Option(
        help="Default: a classifier when the target has two values, else a regressor.")] = None,
    name: Annotated[str | None, typer.Option(help="The model's name; default: the file's "
                                             "name.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the draft here (never over an "
                                             "existing file); default: print it.")] = None,
):
    """Draft a model spec from data (kinds, ranges, categories, missing shares) to review."""
    import re

    from core.errors import MedicError
    from ml import spec_draft

    name = name or re.sub(r"[^a-z0-9-]+", "-", reference.stem.lower()).strip("-") or "model"
    if out is not None and out.exists():
        fail(f"{out} exists: the draft is never written over a file")
    try:
        drafted, notes = spec_draft.draft(reference, target=target, name=name, task=task,
                                          data_dir=settings().data_dir)
    except MedicError as error:
        fail(error)
    text = spec_draft.render(drafted, notes, reference)
    if out is None:
        print(text, end="")  # noqa: T201 - the draft itself, for a pipe or a file
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"drafted {out}: {len(drafted['features'])} features, task {drafted['task']}; "
                  "review it before use")


@models_app.command("add")
def models_add(
    spec: Annotated[Path, typer.Option(help="The model's spec (YAML); `medic models init-spec` "
                                       "drafts one.")],
    mlflow_model: Annotated[str | None, typer.Option(
        help="Its registered name in MLflow; default: the spec's registry_name, else its "
             "name.")] = None,
    version: Annotated[str | None, typer.Option(
        help="The version to serve; default: MLflow's champion alias, else the newest.")]
        = None,
    key: KeyOption = None,
):
    """Add a model trained elsewhere (admin): copy its spec, make its MLflow version champion."""
    from cli import remote
    from services import external_models

    with medic() as opened:
        added = external_models.add(opened, spec, principal=principal(opened, key),
                                    mlflow_model=mlflow_model, version=version)
    for note in added.notes:
        console.print(f"note: {note}")
    was = f" (was {added.replaced})" if added.replaced else ""
    console.print(f"added {added.name}: MLflow model {added.registry_name!r} version "
                  f"{added.version} is its champion{was}; spec at {added.path}")
    url = remote.served_at(settings().home)
    if url is not None:
        console.print(f"the server at {url} serves it at /v1/models/{added.name}/predict "
                      "without a restart (its first request there reads the models folder)")
    else:
        console.print(f"`medic up` serves it at /v1/models/{added.name}/predict")
