"""Add a model trained elsewhere: its spec into the models folder, its MLflow version champion.

`medic models add --spec FILE [--mlflow-model NAME] [--version N]` calls `add`. The spec is
validated (and made `training: external` if it carried a recipe); the model must already be
registered in MLflow (Medic's tracking URI), in any pyfunc flavour, and must answer the
spec's reference rows. Its version becomes champion through Medic's registry record, so the
server serves it (a running one from the first request that names it) and the monitors
watch it as they do Medic's own. The versions its team registers later are judged by the
promotion gate (`agent_graph/runtime/external_versions.py`).
"""

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError, MedicError, ModelLoadError, NotFound
from core.roles import Principal, require
from ml import spec as specs
from services.context import Medic

log = logging.getLogger(__name__)

REASON = "added with `medic models add` (trained outside Medic)"


@dataclass(frozen=True)
class Added:
    """What `add` did: the model, its registered name and champion, the spec's new home."""

    name: str
    registry_name: str
    version: str
    replaced: str | None
    path: Path
    notes: list[str] = field(default_factory=list)


def add(medic: Medic, spec_file: Path, *, principal: Principal, mlflow_model: str | None = None,
        version: str | None = None) -> Added:
    """Validate the spec, check the MLflow model answers it, copy the spec, make it champion.

    Nothing is written unless every check passes. Raise ConfigError (a bad spec, a name
    clash), NotFound (no such MLflow model or version) or ModelLoadError (it cannot load or
    cannot answer the reference rows), each one line.
    """
    require(principal, "manage_models")
    settings = medic.settings
    raw, notes = _as_external(_read(spec_file), mlflow_model)
    spec = specs.parse(raw, spec_file.name)
    registered = specs.registry_name(settings, spec)
    _no_clash(settings, spec, registered)
    registry = medic.registry.named(registered)
    chosen = _version(registry, version, settings.mlflow_tracking_uri)
    _answers(settings, spec, registry, chosen)
    path = Path(settings.models_dir) / f"{spec.name}.yaml"
    _write(path, spec_file, raw, changed=bool(notes))
    try:
        replaced = registry.adopt(chosen, actor=principal.name, reason=REASON)
    except Exception:  # not made champion: the spec must not be known either
        path.unlink(missing_ok=True)
        raise
    log.info("%s added: %s version %s is its champion", spec.name, registered, chosen)
    return Added(spec.name, registered, chosen, replaced, path, notes)


def _read(spec_file: Path) -> object:
    """Read the spec file's YAML; ConfigError names the file."""
    import yaml

    if not spec_file.is_file():
        raise ConfigError(f"{spec_file}: no such spec file")
    try:
        return yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(f"{spec_file.name}: not YAML ({type(error).__name__})") from None


def _as_external(raw: object, mlflow_model: str | None) -> tuple[object, list[str]]:
    """Return the spec's fields as an external model's, and a note for each change made."""
    if not isinstance(raw, dict):
        return raw, []
    raw, notes = dict(raw), []
    training = raw.get("training")
    if training != "external" and not (isinstance(training, dict) and "external" in training):
        raw["training"] = "external"
        notes.append("training: its recipe was replaced by `external` (Medic does not train "
                     "it; give `training: {external: true, hook_url: …}` for a retrain hook)")
    if mlflow_model and mlflow_model != (raw.get("registry_name") or raw.get("name")):
        raw["registry_name"] = mlflow_model
        notes.append(f"registry_name: set to {mlflow_model!r} (--mlflow-model)")
    return raw, notes


def _no_clash(settings, spec: specs.ModelSpec, registered: str) -> None:
    """Refuse a name a known model has, or an MLflow model another spec already follows."""
    folder = Path(settings.models_dir)
    if (folder / f"{spec.name}.yaml").exists():
        raise ConfigError(f"a model named {spec.name!r} is already known "
                          f"({folder / spec.name}.yaml); rename the spec's `name`")
    for name in specs.names(folder):
        try:
            other = specs.of(settings, name)
        except ConfigError:
            continue
        if specs.registry_name(settings, other) == registered:
            raise ConfigError(f"MLflow model {registered!r} is already followed by model "
                              f"{name!r}; two models cannot share one registered model")


def _version(registry, version: str | None, tracking: str) -> str:
    """Return the version to serve: the one named, else MLflow's champion, else the newest."""
    from ml.registry.aliases import CHAMPION

    if not registry.registered():
        shown = re.sub(r"//[^/@]*@", "//", tracking)  # never a password in a message
        raise NotFound(f"no model {registry.name!r} is registered in MLflow at {shown}; "
                       "register it there first, or name it with --mlflow-model")
    if version is not None:
        return registry.version(version).version
    found = registry.alias(CHAMPION) or next(iter(v.version for v in registry.versions()), None)
    if found is None:
        raise NotFound(f"MLflow model {registry.name!r} has no version yet")
    return found


def _answers(settings, spec: specs.ModelSpec, registry, version: str) -> None:
    """Load the version and predict the reference's first rows: it must answer the spec."""
    from ml import data
    from ml.registry.aliases import ChampionArtifact
    from ml.serving import external
    from ml.serving.rows import Rows

    try:
        frame = data.reference(spec, settings.data_dir)
    except MedicError as error:
        raise ConfigError(f"reference.file: {error}") from None
    try:
        found = ChampionArtifact(version=version, uri=registry.download_uri(version))
        model = external.load(registry, found)
        answered = external.predictor(model, Rows(spec))(frame.head(20))
    except Exception as error:  # a model fails to load or predict in many ways
        raise ModelLoadError(f"{registry.name} version {version} cannot answer "
                             f"{spec.name}'s reference rows ({type(error).__name__}: "
                             f"{str(error).splitlines()[0][:200] if str(error) else ''})"
                             ) from None
    if len(answered) != min(20, len(frame)):
        raise ModelLoadError(f"{registry.name} version {version} answered {len(answered)} "
                             f"values for {min(20, len(frame))} rows")


def _write(path: Path, source: Path, raw: dict, *, changed: bool) -> None:
    """Write the spec into the models folder: the file as it is, or its fields if changed."""
    import yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    if not changed:
        path.write_bytes(source.read_bytes())
        return
    head = f"# Added by `medic models add` from {source.name}; trained outside Medic.\n"
    path.write_text(head + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8")
