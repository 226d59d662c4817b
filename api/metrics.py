"""Expose Prometheus metrics: requests, latency, predictions, model, alerts, incidents."""

import bisect
import threading
import time
from collections import deque

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select

from api.monitor_metrics import MonitorCollector
from core.rollouts import STAGE_CODES
from core.tables import FIRST_MODEL, AlertRecord, Approval, Incident, PrunedThread, Rollout

DEFAULT_PREDICT_ROUTES = ("/v1/predict", "/v1/predict/batch")  # the default model's
NAMED_PREDICT_ROUTES = ("/v1/models/{name}/predict", "/v1/models/{name}/predict/batch")


class Metrics:
    """One registry per app, so tests and replicas never share counters."""

    def __init__(self, sessions, default_model: str = FIRST_MODEL) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("medic_http_requests_total", "HTTP requests",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("medic_http_request_duration_seconds", "HTTP latency",
                                 ["route", "method"], registry=self.registry,
                                 buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5))
        self.predictions = Counter("medic_predictions_total", "Predictions by model and "
                                   "class (a regressor's: label empty)", ["model", "label"],
                                   registry=self.registry)
        self.model = Gauge("medic_model_info", "The model version being served",
                           ["model", "version"], registry=self.registry)
        self.load_failures = Counter("medic_model_load_failures", "Failed attempts to load "
                                     "a model's champion (the version served before stays)",
                                     ["model"], registry=self.registry)
        self.model_requests = Counter("medic_model_requests_total", "Prediction requests "
                                      "(single and batch) answered, by model and status",
                                      ["model", "status"], registry=self.registry)
        self.registry.register(_StateCollector(sessions))
        self.registry.register(MonitorCollector(sessions))
        self.registry.register(_RolloutCollector(sessions))
        self._answered: dict[tuple[str, str, int], tuple] = {}
        self._served: dict[str, str] = {}
        self._default = default_model
        self._known: set[str] = set()  # models a named route may count: those served here
        self._by_model: dict[tuple[str, int], object] = {}
        self.counted = self.counting(default_model)

    def answered(self, route: str, method: str, status: int, seconds: float,
                 model: str | None = None) -> None:
        """Count one HTTP answer and its latency (routes are templates: the keys are few).

        A prediction request is also counted for its model: the default model's on the
        default routes, `model` (the path's name, if served here) on the named ones.
        """
        children = self._answered.get((route, method, status))
        if children is None:
            children = self._answered[route, method, status] = (
                self.requests.labels(route, method, str(status)),
                self.latency.labels(route, method))
        children[0].inc()
        children[1].observe(seconds)
        served = self._default if route in DEFAULT_PREDICT_ROUTES else \
            model if route in NAMED_PREDICT_ROUTES and model in self._known else None
        if served is not None:
            child = self._by_model.get((served, status))
            if child is None:
                child = self._by_model[served, status] = self.model_requests.labels(
                    served, str(status))
            child.inc()

    def failed_load(self, model: str) -> None:
        """Count one failed attempt to load `model`'s champion."""
        self.load_failures.labels(model).inc()

    def counting(self, model: str, *, classifier: bool = True):
        """Return `counted(negatives, positives)`: count one model's answers by class.

        A regressor's answers are counted as negatives, under an empty label. The labelled
        children are looked up once: `labels()` validates and locks on every call. The
        model's named prediction routes are counted from now on.
        """
        self._known.add(model)
        if not classifier:
            answered = self.predictions.labels(model, "")
            return lambda negatives, _positives: answered.inc(negatives)
        negative, positive = self.predictions.labels(model, "0"), \
            self.predictions.labels(model, "1")

        def counted(negatives: int, positives: int) -> None:
            if negatives:
                negative.inc(negatives)
            if positives:
                positive.inc(positives)
        return counted

    def watch_log(self, log) -> None:
        """Export the prediction log's written, queued, spilled and dropped rows."""
        self.registry.register(_LogCollector(log))

    def watch_reports(self, gate) -> None:
        """Export the PDF renderers' work: reports rendered, served kept, refused as busy."""
        self.registry.register(_ReportCollector(gate))

    def serving(self, model: str, version: str) -> None:
        """Show exactly one served version of `model`."""
        before = self._served.get(model)
        if before is not None and before != version:
            self.model.remove(model, before)
        self._served[model] = version
        self.model.labels(model=model, version=version).set(1)


class ServingWindows:
    """Turn the cumulative serving counters into one model's counts over a monitor's window.

    Each call samples the counters; the counts over `minutes` are the difference with the
    latest sample at least that old (or the oldest one kept, in a younger process).
    """

    def __init__(self, metrics: Metrics, *, keep_minutes: int = 24 * 60,
                 monotonic=time.monotonic) -> None:
        self._metrics, self._keep, self._now = metrics, keep_minutes * 60.0, monotonic
        self._samples: deque[tuple[float, dict[str, tuple[int, int, int]]]] = deque(
            [(monotonic(), {})])
        self._lock = threading.Lock()

    def totals(self) -> dict[str, tuple[int, int, int]]:
        """Return per model its prediction requests, their 5xx answers and failed loads."""
        found: dict[str, list[int]] = {}
        for metric in self._metrics.model_requests.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    counts = found.setdefault(sample.labels["model"], [0, 0, 0])
                    counts[0] += int(sample.value)
                    counts[1] += int(sample.value) if sample.labels["status"][0] == "5" else 0
        for metric in self._metrics.load_failures.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    found.setdefault(sample.labels["model"], [0, 0, 0])[2] += int(sample.value)
        return {model: (requests, errors, failures)
                for model, (requests, errors, failures) in found.items()}

    def __call__(self, minutes: int, model: str):
        """Return `model`'s `ServingCounts` over the last `minutes` (the monitors' source)."""
        from ml.monitoring.health import ServingCounts

        now = self._now()
        totals = self.totals()
        with self._lock:
            self._samples.append((now, totals))
            while self._samples and self._samples[0][0] < now - self._keep:
                self._samples.popleft()
            times = [sample[0] for sample in self._samples]
            at = max(bisect.bisect_right(times, now - minutes * 60.0) - 1, 0)
            before = self._samples[at][1].get(model, (0, 0, 0))
        requests, errors, failures = (total - old for total, old in zip(
            totals.get(model, (0, 0, 0)), before, strict=True))
        return ServingCounts(requests=requests, errors=errors, load_failures=failures)


class _StateCollector:
    """Read alerts, incidents, approvals waiting and pruned threads from the database."""

    def __init__(self, sessions) -> None:
        self._sessions = sessions

    def collect(self):
        alerts = GaugeMetricFamily("medic_alerts_received", "Alerts stored, by type",
                                   labels=["type"])
        states = GaugeMetricFamily("medic_incidents", "Incidents by type and state",
                                   labels=["type", "state"])
        pending = GaugeMetricFamily("medic_approvals_pending", "Approvals waiting")
        pruned = CounterMetricFamily("medic_checkpoints_pruned", "Closed incidents whose "
                                     "agent checkpoints were deleted after the retention")
        with self._sessions() as session:
            for kind, count in session.execute(
                    select(Incident.alert_type, func.count(AlertRecord.id))
                    .join(Incident, AlertRecord.incident_id == Incident.id)
                    .group_by(Incident.alert_type)):
                alerts.add_metric([kind], count)
            for kind, state, count in session.execute(
                    select(Incident.alert_type, Incident.state, func.count())
                    .group_by(Incident.alert_type, Incident.state)):
                states.add_metric([kind, state], count)
            pending.add_metric([], session.scalar(
                select(func.count()).where(Approval.status == "pending")) or 0)
            pruned.add_metric([], session.scalar(
                select(func.count()).select_from(PrunedThread)) or 0)
        yield alerts
        yield states
        yield pending
        yield pruned


class _RolloutCollector:
    """Read each model's rollout stage and canary share from the database at scrape time."""

    HELP = ("Each model's rollout stage: " + ", ".join(f"{code} {stage}" for stage, code in
                                                        STAGE_CODES.items()))

    def __init__(self, sessions) -> None:
        self._sessions = sessions

    def collect(self):
        stage = GaugeMetricFamily("medic_rollout_stage", self.HELP, labels=["model"])
        share = GaugeMetricFamily("medic_canary_share", "Share of a model's callers answered "
                                  "by its challenger (0 outside canary)", labels=["model"])
        with self._sessions() as session:
            for model, name, value in session.execute(
                    select(Rollout.model, Rollout.stage, Rollout.share)):
                stage.add_metric([model], STAGE_CODES[name])
                share.add_metric([model], value)
        yield stage
        yield share


class _LogCollector:
    """Read the prediction log's counts at scrape time."""

    def __init__(self, log) -> None:
        self._log = log

    def collect(self):
        stats = self._log.stats()
        for name, kind, help_text in (
                ("written", CounterMetricFamily, "Prediction log rows committed"),
                ("dropped", CounterMetricFamily, "Prediction log rows dropped (queue full, "
                                                 "database and spill file unavailable)"),
                ("queued", GaugeMetricFamily, "Prediction log rows waiting in memory"),
                ("spilled", GaugeMetricFamily, "Prediction log rows waiting in the spill file "
                                               "for the database")):
            yield kind(f"medic_prediction_log_{name}", help_text, value=stats[name])


class _ReportCollector:
    """Read the PDF renderers' gate at scrape time."""

    def __init__(self, gate) -> None:
        self._gate = gate

    def collect(self):
        answered = CounterMetricFamily("medic_report_pdfs", "PDF reports by outcome: rendered, "
                                       "cached (a closed incident's kept report), busy "
                                       "(refused with 429)", labels=["outcome"])
        for outcome, count in sorted(self._gate.counts.items()):
            answered.add_metric([outcome], count)
        yield answered
        yield GaugeMetricFamily("medic_report_renderers_running", "PDF renderers running now",
                                value=self._gate.running)
        yield GaugeMetricFamily("medic_report_renderers_peak", "The most PDF renderers that "
                                "ran at once since the process started", value=self._gate.peak)
