"""The report tests' fixtures, shared with the CLI's tests; a home for a model added from MLflow."""

import shutil

import pytest

from tests.external_model import SECRET
from tests.services.conftest import pdf_text  # noqa: F401


@pytest.fixture
def receiver():
    """The URL of a receiver that answers 200 and keeps what it got (`Receiver.got`)."""
    from tests.receiver import receiving

    with receiving() as url:
        yield url


@pytest.fixture
def external_home(trained, tmp_path, monkeypatch):
    """The trained heart-disease home, its models folder its own, the CLI pointed at it.

    Return its settings and a key per role. The hook's secret is in the environment.
    """
    from tests.api.conftest import role_keys
    from tests.conftest import PROJECT_ROOT, make_settings

    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(PROJECT_ROOT / "configs" / "models" / "heart-disease.yaml", models)
    settings = make_settings(trained[0].home, models_dir=models)
    monkeypatch.setenv("MEDIC_HOME", str(settings.home))
    monkeypatch.setenv("MEDIC_MODELS_DIR", str(models))
    monkeypatch.setenv("CHURN_HOOK_SECRET", SECRET)
    return settings, role_keys(settings)
