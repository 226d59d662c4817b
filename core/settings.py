"""Build Medic's one settings object from the environment, `.env` and defaults."""

from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core import secrets
from core.errors import ConfigError
from core.home import private_folder

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ModelChoice(BaseSettings):
    """Which model specs exist and which is the default: readable without building Settings.

    Code that serves the default model before any settings object exists (the API's request
    models) reads only these two, which have no side effects.
    """

    model_config = SettingsConfigDict(env_prefix="MEDIC_", env_file=".env", extra="ignore")

    default_model: str = Field("heart-disease", description="The model spec "
                               "(`models_dir/<name>.yaml`) used when none is named.")
    models_dir: Path = Field(PROJECT_ROOT / "configs" / "models",
                             description="Model specs: one YAML file per model.")


class Settings(ModelChoice):
    """All of Medic's configuration; build it once at start and pass it in."""

    model_config = SettingsConfigDict(env_prefix="MEDIC_", env_file=".env", extra="ignore")

    profile: Literal["embedded", "production"] = Field(
        "embedded", description="embedded: SQLite and local MLflow in home, secrets generated; "
        "production: PostgreSQL, every secret given.")
    home: Path = Field(Path(".medic"), description="State folder of the embedded default.")
    database_url: str = Field("", description="App database; default SQLite in home.")
    mlflow_tracking_uri: str = Field("", description="Default: SQLite in home.")
    mlflow_artifact_root: str = Field("", description="Default: home/mlartifacts, or the "
                                      "tracking server's proxied store for http(s) URIs.")
    dvc_remote: str = Field("", description="Where training sets are pushed (any DVC URL: "
                            "s3://…, a folder); default home/dvc-remote.")
    data_dir: Path = Field(PROJECT_ROOT / "data" / "raw",
                           description="The models' data files (each spec's "
                           "`reference.file` is read here).")
    evidence_dir: Path | None = Field(
        None, description="The only folder alerts may name evidence files in; "
                          "default home/evidence.")
    training_config: Path | None = Field(None, description="A YAML file of training fields "
                                         "(cv_folds, models, min_f1, …) that override the "
                                         "model spec's recipe; default none.")
    monitors_config: Path = Field(PROJECT_ROOT / "configs" / "monitors.yaml",
                                  description="The monitors, their windows and thresholds.")
    monitor_interval_seconds: float = Field(60.0, gt=0, description="Between monitor checks.")
    monitor_timeout_seconds: float = Field(300.0, gt=0, description="Scheduled checks still "
                                           "running after this are killed.")
    flap_cooldown_seconds: float = Field(3600.0, ge=0, description="A low-severity alert "
                                         "firing again this soon after its incident closed "
                                         "joins that incident (a flap); 0 turns it off.")
    silence_max_hours: float = Field(24.0, gt=0, le=720, description="The longest a silence "
                                     "may last; a longer window is renewed by a person, "
                                     "which is audited and announced again.")
    report_renderers: int = Field(2, ge=1, le=8, description="PDF reports rendered at once "
                                  "in a process (each renderer may use up to 1 GB).")
    report_queue: int = Field(2, ge=0, le=32, description="Report requests that may wait "
                              "for a renderer; more are answered 429 with Retry-After.")
    retrain_config: Path = PROJECT_ROOT / "configs" / "retrain.yaml"
    """The retrain window, the promotion gate and verify's thresholds."""
    model_name: str = Field("heart-disease", description="The registered model Medic serves.")
    experiment: str = Field("heart-disease", description="MLflow experiment of training runs.")
    min_f1: float | None = Field(None, description="Override the training config's minimum F1.")

    llm_provider: Literal["none", "openai", "ollama"] = Field(
        "none", description="none: the rules decide alone.")
    llm_base_url: str = Field("", description="OpenAI-compatible /v1 URL, or the Ollama host.")
    llm_model: str = Field("", description="Model name; needed with a provider.")
    llm_api_key: SecretStr = Field(SecretStr(""), description="May stay empty for a local "
                                   "server.")
    llm_timeout: float = Field(20.0, gt=0, le=600, description="Seconds per LLM call; then the "
                                "rules decide.")
    prompts_dir: Path | None = Field(None, description="Prompt templates that override "
                                     "the packaged ones, file by file.")
    llm_max_tokens: int = Field(512, ge=16, le=32768,
                                description="Most tokens the LLM may generate per call.")
    llm_planning: Literal["auto", "tools", "structured"] = Field(
        "auto", description="How the LLM picks tools: free tool calls, or one schema-"
        "constrained JSON answer; auto: tools on OpenAI's own API, structured elsewhere.")

    host: str = Field("127.0.0.1", description="Address `medic up` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `medic up` listens on.")
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024, description="Larger request "
                                "bodies: 413.")
    max_batch: int = Field(10_000, ge=1, description="Most rows in one /v1/predict/batch.")
    max_alerts_per_payload: int = Field(1000, ge=1, le=10_000,
                                        description="More in one body: 413.")
    rate_limit_per_minute: int = Field(6000, ge=0, description="0 turns rate limits off.")
    cors_origins: list[str] = Field(default_factory=list, description="Closed by default.")
    reload_seconds: float = Field(1.0, gt=0, description="How often serving processes look "
                                  "for a new champion or a reload request.")
    train_in_background: bool = Field(True, description="`medic up` on the embedded profile "
                                      "trains each model other than the default that has no "
                                      "champion yet, in a child process after start-up; its "
                                      "routes answer 503 until it is served.")
    ingest_process: bool = Field(True, description="The API stores alerts in a child "
                                 "process, off the predictions' GIL.")
    run_worker: bool | None = Field(None, description="Run the agent worker with the API "
                                    "(`medic up`); default: yes embedded, no in production.")
    worker_process: bool = Field(True, description="`medic up` runs its agent worker in a "
                                 "child process, off the predictions' GIL (the monitors' "
                                 "tick stays in the serving process, which counts the "
                                 "requests); false: on a thread of the serving process.")
    worker_poll_seconds: float = Field(1.0, gt=0, description="Worker's look for work.")
    external_check_seconds: float = Field(60.0, gt=0, description="How often the workers "
                                          "(one of them per interval) ask MLflow for new "
                                          "versions of the models trained elsewhere, to judge "
                                          "them with the promotion gate.")
    worker_lease_seconds: float = Field(60.0, ge=5, description="A dead worker's work is "
                                        "taken over after this; heartbeats keep it alive.")
    log_flush_seconds: float = Field(0.2, gt=0, description="Prediction log batch interval.")
    prediction_retention_days: int = Field(90, ge=1, le=36500, description="Predictions "
                                           "(with their labels and counts) logged before "
                                           "midnight UTC this many days ago are removed, "
                                           "hourly by one worker.")
    checkpoint_retention_hours: float = Field(168.0, ge=0, description="The agent's "
                                              "checkpoints of incidents closed longer ago "
                                              "are deleted; 0 keeps them forever.")
    checkpoint_prune_seconds: float = Field(3600.0, gt=0, description="Between checkpoint "
                                            "prunes (one worker prunes per interval).")

    ui: bool = Field(True, description="Serve the console at /ui (MEDIC_UI=false: off).")
    ui_session_secret: SecretStr = Field(SecretStr(""), description="Signs console sessions; "
                                         "default: generated in home (never shown).")
    # Console sessions expire after this many hours.
    ui_session_hours: float = Field(8.0, gt=0, le=24 * 7)
    cookie_secure: bool = Field(False, description="Mark the console cookie Secure even on "
                                "plain http (behind a TLS proxy); default: only on https.")

    webhook_secret: SecretStr = Field(SecretStr(""), description="Default: generated in home.")
    alertmanager_token: SecretStr = Field(SecretStr(""), description="Default: generated.")
    audit_key: SecretStr = Field(SecretStr(""), description="Signs the audit chain; default: "
                                 "generated in home. Keep it out of the database.")
    audit_anchor: Path | None = Field(None, description="Append-only file of signed audit "
                                      "heads; default home/audit-anchor.log.")
    allow_public_with_generated_secrets: bool = Field(
        False, description="Let `medic up --host` listen beyond loopback while the webhook "
        "secret or token is still the generated one.")
    trusted_proxies: str = Field("", description="Comma-separated addresses whose "
                                 "X-Forwarded-For is believed; default none.")
    webhook_failures_per_minute: int = Field(10, ge=1, description="Failed webhook "
                                             "signatures or tokens per address, then 429.")

    _generated: frozenset[str] = PrivateAttr(frozenset())

    public_url: str = Field("", description="Where people reach Medic: links in messages "
                            "open the incident's console page here (after a login). Default: "
                            "the address and port `medic up` serves on (`--host`, `--port`).")
    _public_url_given: bool = PrivateAttr(False)
    slack_webhook_url: SecretStr = Field(SecretStr(""), description="Slack incoming webhook; "
                                         "unset: no Slack.")
    slack_bot_token: SecretStr = Field(SecretStr(""), description="Slack app's bot token "
                                       "(`xoxb-…`): approval messages are posted with Approve "
                                       "and Reject buttons and updated once decided. Unset: "
                                       "the incoming webhook's messages with a console link.")
    slack_channel: str = Field("", description="Slack channel id the bot posts to (needed "
                               "with MEDIC_SLACK_BOT_TOKEN).")
    slack_signing_secret: SecretStr = Field(SecretStr(""), description="Slack app's signing "
                                            "secret: verifies the button clicks Slack sends "
                                            "to /v1/integrations/slack/interactions.")
    slack_api_url: str = Field("https://slack.com/api", description="Slack's Web API (a "
                               "stand-in's address in tests).")
    smtp_host: str = Field("", description="SMTP server for email; unset: no email.")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    smtp_user: str = Field("", description="SMTP login; empty: none.")
    smtp_password: SecretStr = Field(SecretStr(""), description="SMTP password.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS.")
    email_from: str = Field("", description="Sender address of emails.")
    email_to: str = Field("", description="Comma-separated recipients.")
    notify_webhook_url: SecretStr = Field(SecretStr(""), description="Signed JSON webhook for "
                                          "messages; unset: none.")
    notify_webhook_secret: SecretStr = Field(SecretStr(""), description="Signs the webhook's "
                                             "messages (16+ characters in production).")
    oncall: Path = Field(PROJECT_ROOT / "configs" / "oncall.yaml", description="Who is on "
                         "call, and how approvals nobody answers escalate.")
    notify_routes: Path = Field(PROJECT_ROOT / "configs" / "notifications.yaml",
                                description="Who hears what: routes by event and severity.")
    notify_timeout: float = Field(5.0, gt=0, le=60, description="Seconds per delivery attempt.")
    notify_max_attempts: int = Field(8, ge=1, le=50, description="Attempts before a delivery "
                                     "is marked failed.")
    notify_retry_seconds: float = Field(30.0, gt=0, description="First retry delay; doubles.")

    @model_validator(mode="after")
    def _fill_defaults(self) -> "Settings":
        self.home = self.home.expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.home / 'medic.db'}"
        if not self.mlflow_tracking_uri:
            self.mlflow_tracking_uri = f"sqlite:///{self.home / 'mlflow.db'}"
        if not self.mlflow_artifact_root and not self.mlflow_server:
            self.mlflow_artifact_root = str(self.home / "mlartifacts")
        self._public_url_given = bool(self.public_url)
        if not self.public_url:
            self.public_url = served_url(self.host, self.port)
        self.public_url = self.public_url.rstrip("/")
        self.evidence_dir = (self.evidence_dir or self.home / "evidence").expanduser().resolve()
        if not self.dvc_remote:
            self.dvc_remote = str(self.home / "dvc-remote")
        elif "://" not in self.dvc_remote:  # a folder: DVC would read it from .dvc/
            self.dvc_remote = str(Path(self.dvc_remote).expanduser().resolve())
        self.audit_anchor = (self.audit_anchor or self.home / "audit-anchor.log").expanduser()
        if self.run_worker is None:
            self.run_worker = self.profile == "embedded"
        if self.llm_provider != "none" and not self.llm_model:
            raise ConfigError(f"MEDIC_LLM_PROVIDER={self.llm_provider} needs MEDIC_LLM_MODEL")
        if self.profile == "production" and self.database_url.startswith("sqlite"):
            raise ConfigError("the production profile needs MEDIC_DATABASE_URL (PostgreSQL)")
        self._fill_secrets()
        return self

    def serve_at(self, host: str, port: int) -> None:
        """Serve on this address: links follow it unless MEDIC_PUBLIC_URL says otherwise."""
        self.host, self.port = host, port
        if not self._public_url_given:
            self.public_url = served_url(host, port)

    def _fill_secrets(self) -> None:
        """Check the secrets given; generate the others (embedded) or refuse (production)."""
        notify_secret = self.notify_webhook_secret.get_secret_value()
        if self.profile == "production" and self.notify_webhook_url.get_secret_value() and \
                secrets.weakness(notify_secret):
            raise ConfigError("MEDIC_NOTIFY_WEBHOOK_URL needs MEDIC_NOTIFY_WEBHOOK_SECRET "
                              "of at least 16 characters")
        if self.slack_bot_token.get_secret_value() and not (
                self.slack_channel and self.slack_signing_secret.get_secret_value()):
            raise ConfigError("MEDIC_SLACK_BOT_TOKEN needs MEDIC_SLACK_CHANNEL and "
                              "MEDIC_SLACK_SIGNING_SECRET (the buttons' clicks are verified)")
        needed = [name for name in secrets.NAMES if self.ui or name != "ui_session_secret"]
        given = [name for name in needed if name in self.model_fields_set]
        missing = [name for name in needed if name not in given]
        if self.profile == "production":  # replicas must share them: never generate
            given, missing = needed, []
        for name in given:
            why = secrets.weakness(getattr(self, name).get_secret_value())
            if why is not None:
                raise ConfigError(
                    f"MEDIC_{name.upper()} is a placeholder, empty or shorter than 16 "
                    f"characters: it is {why}; set a real secret (e.g. `openssl rand -hex "
                    "32`), or leave it unset in the embedded profile to have one generated"
                )
        if missing:
            stored = secrets.load_or_create(self.home)
            for name in missing:
                setattr(self, name, SecretStr(stored[name]))
            self._generated = frozenset(missing)

    @property
    def generated_secrets(self) -> frozenset[str]:
        """Return the names of the secrets that came from the generated file."""
        return self._generated

    @property
    def mlflow_server(self) -> bool:
        """Say whether MLflow is a tracking server (http or https) rather than a local store."""
        return self.mlflow_tracking_uri.startswith(("http://", "https://"))

    def ensure_home(self) -> Path:
        """Create the state folder 0700 (and the evidence folder) and return it."""
        private_folder(self.home)
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        return self.home


def served_url(host: str, port: int) -> str:
    """Return the URL a server on host:port is reached at (all addresses: this machine's name)."""
    import socket

    if host in ("0.0.0.0", "::", ""):
        host = socket.getfqdn()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"
