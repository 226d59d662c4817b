"""Point MLflow at Medic's tracking store and log models the fast, deliberate way."""

import logging
import os
from pathlib import Path

from core.home import private_file
from core.settings import Settings

log = logging.getLogger(__name__)

# Exact requirements for a logged model: inferring them costs ~14 s per model.
PIP_REQUIREMENTS = ("scikit-learn", "xgboost-cpu", "lightgbm", "pandas", "numpy", "cloudpickle")


def configure(settings: Settings) -> str:
    """Set the tracking and registry URIs, create the experiment; return its id."""
    os.environ.setdefault("DO_NOT_TRACK", "true")
    os.environ.setdefault("MLFLOW_ENABLE_ASYNC_LOGGING", "false")
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
    import mlflow

    logging.getLogger("mlflow.sklearn").addFilter(_ChosenSerialisation())
    quiet_prints()

    settings.ensure_home()
    if settings.mlflow_tracking_uri.startswith("sqlite:///"):
        private_file(Path(settings.mlflow_tracking_uri.removeprefix("sqlite:///")))
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    mlflow.set_registry_uri(settings.mlflow_tracking_uri)
    experiment_id = _experiment_id(settings)
    mlflow.set_experiment(experiment_id=experiment_id)
    return experiment_id


def _experiment_id(settings: Settings) -> str:
    """Return the experiment's id, creating it if missing.

    Replicas, workers and `medic train` starting together on an empty store all find no
    experiment; only one create succeeds, and the others read what it made.
    """
    import mlflow
    from mlflow.exceptions import MlflowException

    found = mlflow.get_experiment_by_name(settings.experiment)
    if found is not None:
        return found.experiment_id
    # Against a server with no explicit root, the server's proxied store is the default.
    root = settings.mlflow_artifact_root
    try:
        return mlflow.create_experiment(settings.experiment,
                                        artifact_location=_as_uri(root) if root else None)
    except MlflowException as error:
        if error.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
        log.info("experiment %r created by another process meanwhile", settings.experiment)
        return mlflow.get_experiment_by_name(settings.experiment).experiment_id


def client(settings: Settings):
    """Return an MlflowClient bound to Medic's stores."""
    from mlflow import MlflowClient

    configure(settings)
    return MlflowClient(settings.mlflow_tracking_uri, registry_uri=settings.mlflow_tracking_uri)


def log_model(pipeline, *, signature, input_example, predict_fn: str = "predict_proba"):
    """Log a fitted sklearn pipeline with cloudpickle (skops refuses tree models)."""
    import mlflow.sklearn

    return mlflow.sklearn.log_model(
        pipeline,
        name="model",
        signature=signature,
        input_example=input_example,
        serialization_format="cloudpickle",
        pip_requirements=list(PIP_REQUIREMENTS),
        pyfunc_predict_fn=predict_fn,
    )


def quiet_prints() -> None:
    """Keep MLflow's own prints ("Successfully registered model ...") off a quiet terminal.

    MLflow writes them, and its log records, to one stream of its own; when Medic logs
    above INFO that stream is switched off and MLflow's warnings go through Medic's handlers.
    MLflow switches the stream back on when any of its autologging guards exits (model
    logging uses one), so call this again right before a call that prints.
    """
    from mlflow.utils import logging_utils

    if logging.getLogger().getEffectiveLevel() <= logging.INFO:
        return
    logging_utils.disable_logging()
    logging.getLogger("mlflow").propagate = True


class _ChosenSerialisation(logging.Filter):
    """Drop MLflow's warning about cloudpickle: Medic chooses it on purpose (see README)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "cloudpickle format requires exercising caution" not in record.getMessage()


def _as_uri(location: str) -> str:
    if "://" in location:
        return location
    return "file://" + os.path.abspath(location)
