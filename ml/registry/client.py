"""Open the MLflow client on first use: importing MLflow costs seconds at start-up."""


def lazy_client(settings) -> "_LazyClient":
    """Return an MlflowClient stand-in that opens MLflow on first use."""
    return _LazyClient(settings)


class _LazyClient:
    """An MlflowClient built on first use: importing MLflow costs seconds at start-up."""

    def __init__(self, settings) -> None:
        self._settings, self._client = settings, None

    def __getattr__(self, name: str):
        if self._client is None:
            from ml.registry import tracking

            self._client = tracking.client(self._settings)
        return getattr(self._client, name)
