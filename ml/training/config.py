"""The training job's settings, from the model spec's recipe, without importing the trainers."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from core.errors import ConfigError
from ml.spec import ModelSpec


class TrainingConfig(BaseModel):
    """One model's training job: its reference, split, folds, families and minimum metric."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    site: str = Field(description="The reference data's short name (runs and sources).")
    seed: int = 42
    test_size: float = Field(0.2, gt=0, lt=0.5)
    cv_folds: int = Field(5, ge=2, le=10)
    selection_metric: str = "f1"
    min_f1: float = Field(0.75, ge=0)
    """The held-out selection metric the best candidate must reach (F1 for a classifier)."""
    promotion_tolerance: float = Field(0.0, ge=0, le=1)
    models: dict[str, dict] = Field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: ModelSpec, overrides: Path | None = None) -> "TrainingConfig":
        """Read the spec's recipe; `overrides` is a YAML file of fields that replace it."""
        recipe = spec.training
        if spec.external or recipe is None:
            raise ConfigError(f"{spec.name} is trained outside Medic (training: external)")
        split = spec.reference.split
        fields = {"site": spec.reference.name, "seed": split.seed,
                  "test_size": split.test_size, "cv_folds": recipe.cv_folds,
                  "selection_metric": recipe.selection_metric, "min_f1": recipe.min_metric,
                  "promotion_tolerance": recipe.promotion_tolerance,
                  "models": recipe.families}
        if overrides is not None:
            fields |= yaml.safe_load(Path(overrides).read_text()) or {}
        return cls.model_validate(fields)

    @classmethod
    def splitting(cls, spec: ModelSpec) -> "TrainingConfig":
        """Return how the reference is split, for a model with no recipe (trained elsewhere).

        The monitors read an external model's baseline from the same hold-out a Medic run
        would keep; nothing here trains, so the recipe's fields keep their defaults.
        """
        split = spec.reference.split
        return cls(site=spec.reference.name, seed=split.seed, test_size=split.test_size)

    @classmethod
    def from_settings(cls, settings, spec: ModelSpec | None = None) -> "TrainingConfig":
        """Read the model's recipe (default model), with the settings' overrides applied."""
        from ml import spec as specs

        config = cls.from_spec(spec or specs.of(settings), settings.training_config)
        if settings.min_f1 is not None:
            return config.model_copy(update={"min_f1": settings.min_f1})
        return config
