"""Read the training job's settings (`configs/training.yaml`) without importing the trainers."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field


class TrainingConfig(BaseModel):
    """The training job's settings, read from `configs/training.yaml`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    site: str = "cleveland"
    seed: int = 42
    test_size: float = Field(0.2, gt=0, lt=0.5)
    cv_folds: int = Field(5, ge=2, le=10)
    selection_metric: str = "f1"
    min_f1: float = Field(0.75, ge=0, le=1)
    promotion_tolerance: float = Field(0.0, ge=0, le=1)
    models: dict[str, dict] = Field(default_factory=dict)

    @classmethod
    def from_yaml(cls, path: Path) -> "TrainingConfig":
        """Read the config file."""
        return cls.model_validate(yaml.safe_load(Path(path).read_text()) or {})

    @classmethod
    def from_settings(cls, settings) -> "TrainingConfig":
        """Read the settings' config file, with the settings' minimum F1 override applied."""
        config = cls.from_yaml(settings.training_config)
        if settings.min_f1 is not None:
            return config.model_copy(update={"min_f1": settings.min_f1})
        return config
