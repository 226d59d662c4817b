"""Export the monitors' last results as Prometheus gauges, read from the database at scrape time."""

from prometheus_client.core import GaugeMetricFamily

from core import monitor_states

STATES = ("ok", "warning", "critical", "insufficient_data")
METRICS = ("f1", "accuracy", "roc_auc", "mae", "rmse", "r2")  # per version, as checked


class MonitorCollector:
    """Every replica exports the same numbers: they come from the shared `monitor_results`."""

    def __init__(self, sessions) -> None:
        self._sessions = sessions

    def collect(self):
        value = GaugeMetricFamily("medic_monitor_value", "A monitor's last measured value "
                                  "(drift share, F1, error rate...)",
                                  labels=["model", "monitor", "kind", "value_name"])
        state = GaugeMetricFamily("medic_monitor_state", "1 for the monitor's last state",
                                  labels=["model", "monitor", "state"])
        rows = GaugeMetricFamily("medic_monitor_rows", "Rows in the monitor's last window",
                                 labels=["model", "monitor"])
        last = GaugeMetricFamily("medic_monitor_last_run_timestamp_seconds",
                                 "When the monitor last checked (Unix time)",
                                 labels=["model", "monitor"])
        feature = GaugeMetricFamily("medic_monitor_feature_drift_score", "Per-feature drift "
                                    "statistic (p-value or distance, see `test`)",
                                    labels=["model", "monitor", "feature", "test"])
        drifted = GaugeMetricFamily("medic_monitor_feature_drifted", "1 if the feature drifted",
                                    labels=["model", "monitor", "feature"])
        real = GaugeMetricFamily("medic_monitor_performance", "Metric on labelled predictions, "
                                 "per model version",
                                 labels=["model", "monitor", "metric", "version"])
        for model, name, result, checked_at in self._results():
            if result.get("value") is not None:
                value.add_metric([model, name, result["kind"], result["value_name"]],
                                 result["value"])
            for known in STATES:
                state.add_metric([model, name, known], 1.0 if result["state"] == known else 0.0)
            rows.add_metric([model, name], result["rows"])
            last.add_metric([model, name], checked_at.timestamp())
            details = result.get("details") or {}
            for column in details.get("columns", []):
                if column.get("score") is not None:
                    feature.add_metric([model, name, column["column"], column["test"]],
                                       column["score"])
                drifted.add_metric([model, name, column["column"]], float(column["drifted"]))
            for version in details.get("versions", []):
                for metric in METRICS:
                    if version.get(metric) is not None:
                        real.add_metric([model, name, metric, str(version["model_version"])],
                                        version[metric])
        yield from (value, state, rows, last, feature, drifted, real)

    def _results(self):
        """Yield (model, monitor, last result, checked at) for every model's monitors."""
        for model in monitor_states.models(self._sessions):
            for name, (result, checked_at) in sorted(monitor_states.load_results(
                    self._sessions, model=model).items()):
                yield model, name, result, checked_at
