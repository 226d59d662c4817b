"""The registered models: every known one, versions, history, promote and roll back."""

from core.roles import Principal, require
from services.context import Medic
from services.views import FeatureView, ModelSummary, ModelsView


def overview(medic: Medic, *, serving: str | None = None, fleet=None,
             training=None, model: str | None = None) -> ModelsView:
    """Return one model's versions, served version and history; every known model.

    The model is `model` (default: the default model; `registry_of`).
    """
    registry = registry_of(medic, model)
    return ModelsView(name=registry.name, serving=serving,
                      versions=[v.model_dump(mode="json")
                                for v in registry.recorded_versions()],
                      history=[h.model_dump(mode="json") for h in registry.history()],
                      models=catalogue(medic, fleet=fleet, training=training))


def catalogue(medic: Medic, *, fleet=None, training=None) -> list[ModelSummary]:
    """Return every known model: its spec in brief, its champion, what is served.

    With the server's `fleet` (an `ml.serving.fleet.Fleet`), what it serves and why not; without
    one, the champions the app database records. No MLflow either way.
    """
    from ml import spec as specs

    if fleet is not None:
        return [_summary(medic, served.spec, served, training) for served in fleet]
    return [_summary(medic, spec, None, None) for spec in specs.every(medic.settings)]


def describe(medic: Medic, name: str, *, fleet, training=None) -> ModelSummary:
    """Return one model the server knows; NotFound names the known ones."""
    served = fleet.get(name)
    return _summary(medic, served.spec, served, training)


def _summary(medic: Medic, spec, served, training) -> ModelSummary:
    from ml import spec as specs

    settings = medic.settings
    registry = served.registry if served is not None else \
        medic.registry.named(specs.registry_name(settings, spec))
    champion = registry.recorded_champion()
    loaded = served.serving.current if served is not None else None
    state, detail = _state(spec.name, champion, served, loaded, training)
    return ModelSummary(
        name=spec.name, description=spec.description, task=spec.task,
        target=spec.target.name, registry_name=registry.name,
        default=spec.name == settings.default_model, champion=champion,
        served=loaded.version if loaded else None, state=state, detail=detail,
        time_column=spec.reference.time_column,
        features=[FeatureView(name=f.name, kind=f.kind, required=f.required,
                              categories=list(f.categories) or None,
                              range=list(f.range) if f.range else None,
                              description=f.description) for f in spec.features])


def _state(name: str, champion, served, loaded, training) -> tuple[str, str]:
    if served is None:
        return "stopped", "no server answered: what it serves is unknown"
    if loaded is not None:
        return "serving", ""
    waiting = training.state(name) if training is not None else None
    if waiting is not None:
        return waiting.state, waiting.message
    if champion is not None:
        return "loading", f"version {champion} is champion; it is being loaded"
    return "no champion", f"run `medic train --model {name}`"


def promote(medic: Medic, version: str, *, expected: str, principal: Principal,
            reason: str, model: str | None = None) -> ModelsView:
    """Make `version` champion if the champion is still `expected` (compare-and-set).

    The model is `model` (default: the default model).
    """
    require(principal, "manage_models")
    registry_of(medic, model).promote(version, expected=expected, actor=principal.name,
                                      reason=reason or "promoted by hand")
    return overview(medic, model=model)


def rollback(medic: Medic, *, expected: str, principal: Principal, reason: str,
             model: str | None = None) -> ModelsView:
    """Restore a model's previous champion if the champion is still `expected`."""
    require(principal, "manage_models")
    registry_of(medic, model).rollback(expected=expected, actor=principal.name,
                                       reason=reason or "rolled back by hand")
    return overview(medic, model=model)


def registry_of(medic: Medic, model: str | None):
    """Return a model's registry (default: the default model's); ConfigError names the known."""
    from ml import spec as specs

    if model is None or model == medic.settings.default_model:
        return medic.registry
    return medic.registry.named(specs.registry_name(medic.settings,
                                                    specs.of(medic.settings, model)))
