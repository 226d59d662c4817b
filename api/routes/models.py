"""The registered model: versions, aliases, metrics, champion history."""

from fastapi import APIRouter

from api.deps import Reader, ServicesDep

router = APIRouter(prefix="/v1", tags=["models"])


@router.get("/models")
def models(services: ServicesDep, _caller: Reader) -> dict:
    """Versions with aliases and held-out metrics, what is served, and the alias history."""
    registry = services.registry
    served = services.serving.current
    return {"name": registry.name, "serving": served.version if served else None,
            "versions": [v.model_dump(mode="json") for v in registry.versions()],
            "history": [h.model_dump(mode="json") for h in registry.history()]}
