import pytest

from core.errors import ConfigError
from core.settings import Settings


def test_embedded_default_keeps_everything_in_one_home(tmp_path):
    settings = Settings(home=tmp_path / "h", _env_file=None)
    assert settings.database_url == f"sqlite:///{tmp_path}/h/medic.db"
    assert settings.mlflow_tracking_uri.startswith("sqlite:////")
    assert settings.mlflow_artifact_root == str(tmp_path / "h" / "mlartifacts")


def test_environment_and_dotenv_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_MODEL_NAME", "other")
    env = tmp_path / ".env"
    env.write_text("MEDIC_EXPERIMENT=from-dotenv\n")
    settings = Settings(home=tmp_path, _env_file=env)
    assert (settings.model_name, settings.experiment) == ("other", "from-dotenv")


def test_production_refuses_placeholder_secrets(tmp_path):
    with pytest.raises(ConfigError, match="MEDIC_WEBHOOK_SECRET is a placeholder"):
        Settings(home=tmp_path, profile="production", _env_file=None,
                 database_url="postgresql://db/medic")


def test_production_needs_postgresql(tmp_path):
    with pytest.raises(ConfigError, match="PostgreSQL"):
        Settings(home=tmp_path, profile="production", _env_file=None,
                 webhook_secret="x" * 32, alertmanager_token="y" * 32)


def test_secrets_never_show_in_repr(tmp_path):
    settings = Settings(home=tmp_path, _env_file=None, webhook_secret="s3cr3t-value-123456")
    assert "s3cr3t" not in repr(settings) and "s3cr3t" not in settings.model_dump_json()
