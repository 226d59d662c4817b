"""Build Medic's one settings object from the environment, `.env` and defaults."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "password"}


class Settings(BaseSettings):
    """All of Medic's configuration; build it once at start and pass it in."""

    model_config = SettingsConfigDict(env_prefix="MEDIC_", env_file=".env", extra="ignore")

    profile: Literal["embedded", "production"] = "embedded"
    home: Path = Field(Path(".medic"), description="State folder of the embedded default.")
    database_url: str = Field("", description="App database; default SQLite in home.")
    mlflow_tracking_uri: str = Field("", description="Default: SQLite in home.")
    mlflow_artifact_root: str = Field("", description="Default: home/mlartifacts.")
    dvc_remote: str = Field("", description="DVC remote; default home/dvc-remote.")
    data_dir: Path = PROJECT_ROOT / "data" / "raw"
    training_config: Path = PROJECT_ROOT / "configs" / "training.yaml"
    retrain_config: Path = PROJECT_ROOT / "configs" / "retrain.yaml"
    model_name: str = "heart-disease"
    experiment: str = "heart-disease"
    min_f1: float | None = Field(None, description="Override the training config's minimum F1.")

    llm_provider: Literal["none", "openai", "ollama"] = "none"
    llm_base_url: str = Field("", description="OpenAI-compatible /v1 URL, or the Ollama host.")
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout: float = Field(20.0, gt=0, le=600)

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024)
    max_batch: int = Field(10_000, ge=1)
    max_alerts_per_payload: int = Field(1000, ge=1, description="More in one body: 413.")
    rate_limit_per_minute: int = Field(6000, ge=0, description="0 turns rate limits off.")
    cors_origins: list[str] = Field(default_factory=list, description="Closed by default.")
    reload_seconds: float = Field(1.0, gt=0)
    run_worker: bool | None = Field(None, description="Run the agent worker inside the API "
                                    "process; default: yes embedded, no in production.")
    worker_poll_seconds: float = Field(1.0, gt=0, description="Worker's look for work.")
    worker_lease_seconds: float = Field(60.0, ge=5, description="A dead worker's work is "
                                        "taken over after this; heartbeats keep it alive.")
    log_flush_seconds: float = Field(0.2, gt=0, description="Prediction log batch interval.")

    webhook_secret: SecretStr = SecretStr("change-me")
    alertmanager_token: SecretStr = SecretStr("change-me")

    @model_validator(mode="after")
    def _fill_defaults(self) -> "Settings":
        self.home = self.home.expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.home / 'medic.db'}"
        if not self.mlflow_tracking_uri:
            self.mlflow_tracking_uri = f"sqlite:///{self.home / 'mlflow.db'}"
        if not self.mlflow_artifact_root:
            self.mlflow_artifact_root = str(self.home / "mlartifacts")
        if not self.dvc_remote:
            self.dvc_remote = str(self.home / "dvc-remote")
        if self.run_worker is None:
            self.run_worker = self.profile == "embedded"
        if self.llm_provider != "none" and not self.llm_model:
            raise ConfigError(f"MEDIC_LLM_PROVIDER={self.llm_provider} needs MEDIC_LLM_MODEL")
        if self.profile == "production":
            self._refuse_placeholders()
        return self

    def _refuse_placeholders(self) -> None:
        for name in ("webhook_secret", "alertmanager_token"):
            value = getattr(self, name).get_secret_value()
            if value.strip().lower() in PLACEHOLDER_SECRETS or len(value) < 16:
                raise ConfigError(
                    f"MEDIC_{name.upper()} is a placeholder or shorter than 16 characters; "
                    "set a real secret for the production profile"
                )
        if self.database_url.startswith("sqlite"):
            raise ConfigError("the production profile needs MEDIC_DATABASE_URL (PostgreSQL)")

    def ensure_home(self) -> Path:
        """Create the state folder and return it."""
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home
