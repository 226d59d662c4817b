"""Describe what the services return: the shapes the API, the CLI and the console show."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.views import ApprovalView, AuditEntryView, IncidentDetail, IncidentSummary


class AlertAccepted(BaseModel):
    """Where one alert went."""

    incident_id: int | None  # None: a silence held it (stored, not acted on)
    new: bool
    fingerprint: str
    silenced_by: int | None = None


class Accepted(BaseModel):
    """Alerts stored (all of them, or none)."""

    incidents: list[AlertAccepted]



class Page(BaseModel):
    """Which page of a list this is: number (from 1, newest first), pages, rows in all."""

    number: int
    pages: int
    size: int
    total: int


class IncidentPage(Page):
    """A page of incidents, newest first."""

    incidents: list[IncidentSummary]







class AuditPage(Page):
    """A page of audit entries (page 1 the newest), oldest of them first."""

    entries: list[AuditEntryView]



class ModelNow(BaseModel):
    """The registered model, its champion and what is served."""

    name: str
    champion: str | None
    serving: str | None
    since: str | None
    """When the champion became champion."""
    metrics: dict[str, float]


class Traffic(BaseModel):
    """Predictions served lately."""

    last_hour: int
    last_day: int


class OpenIncidents(BaseModel):
    """How many incidents are open, and the newest of them."""

    count: int
    newest: list[IncidentSummary]


class Waiting(BaseModel):
    """An approval waiting for a person, in brief."""

    id: int
    incident_id: int
    actions: list[str]
    expires_at: str
    minutes_left: int
    acknowledged_by: str | None
    """Who said they are looking at it (it stops the escalation)."""
    asked: list[str]
    """Who the escalation asked so far."""


class OnDuty(BaseModel):
    """Who is on call now, and who follows (None without a rotation)."""

    now: str | None
    next: str | None


class ModelState(BaseModel):
    """One known model at a glance: its champion, its monitors' worst state, its incidents."""

    name: str
    task: str
    default: bool
    champion: str | None
    worst: str | None = Field(description="the worst last state of its monitors (critical, "
                              "warning, ok, insufficient_data); None: never checked")
    open_incidents: int


class Overview(BaseModel):
    """What people see first: every model's state, then one model's traffic, work, monitors."""

    models: list[ModelState] = []
    model: ModelNow
    traffic: Traffic
    open_incidents: OpenIncidents
    pending: list[Waiting]
    monitors: list["MonitorNow"]
    silences: list["SilenceView"]
    oncall: OnDuty


class SilenceView(BaseModel):
    """A silence, and how many alerts it held."""

    id: int
    matchers: dict[str, str]
    comment: str
    created_by: str
    starts_at: datetime
    ends_at: datetime
    active: bool
    expired_by: str | None
    held: int


class Pruned(BaseModel):
    """Closed incidents whose agent checkpoints were deleted (their records stay)."""

    incidents: list[int]
    older_than_hours: float


class Decided(ApprovalView):
    """An approval after a decision, and the incident's state now."""

    incident_state: str


class AuditVerdict(BaseModel):
    """Whether the audit chain verifies, and where it breaks."""

    ok: bool
    entries: int
    first_broken: int | None = None
    reason: str = ""


class AuditView(BaseModel):
    """The newest audit entries and the chain's verdict."""

    verified: AuditVerdict
    entries: list[AuditEntryView]


class KeyView(BaseModel):
    """An API key as people see it: never the key itself."""

    name: str
    role: str
    prefix: str
    created_at: str | None = None
    revoked: bool
    slack_user: str | None = None
    email: str | None = None


class CreatedKey(KeyView):
    """A new key: shown once."""

    key: str


class FeatureView(BaseModel):
    """One input of a model, as a request carries it."""

    name: str
    kind: str
    required: bool = Field(description="False: may be null or absent (the model imputes it)")
    categories: list[Any] | None = None
    range: list[float] | None = None
    description: str = ""


class ModelSummary(BaseModel):
    """One known model: its spec in brief, its champion, and what this server does with it."""

    name: str
    description: str
    task: str
    target: str
    registry_name: str
    default: bool = Field(description="True: today's /v1/predict routes serve it")
    champion: str | None = Field(description="the champion version the app database records")
    served: str | None = Field(description="the version this server answers with; None: none")
    state: str = Field(description="serving, loading, waiting, training, trained (being "
                       "loaded), failed, no champion; stopped when no server answered")
    detail: str = ""
    features: list[FeatureView]
    time_column: str | None = Field(None, description="accepted in a request, not a feature")


class ModelsView(BaseModel):
    """The default model's versions, what is served, its alias history; every known model."""

    name: str
    serving: str | None
    versions: list[dict[str, Any]]
    history: list[dict[str, Any]]
    models: list[ModelSummary] = []


class DriftSeries(BaseModel):
    """Per feature and bucket, the share of drift checks that found it drifted (None: no check)."""

    monitor: str | None
    features: list[str] = []
    cells: list[list[float | None]] = []
    share: list[float | None] = []
    warning: float | None = None
    critical: float | None = None
    checks: int = 0


class F1Series(BaseModel):
    """F1 per bucket from feedback labels, and as the estimating monitor saw it."""

    real: list[float | None]
    estimated: list[float | None]
    labelled: int
    estimated_monitor: str | None


class TrafficSeries(BaseModel):
    """Predictions per bucket and the share predicted positive."""

    counts: list[int]
    positive_share: list[float | None]
    total: int


class ValueSeries(BaseModel):
    """One monitor's value per bucket (None: no check), for kinds that chart their value."""

    monitor: str
    kind: str
    value_name: str
    values: list[float | None]
    warning: float
    critical: float
    checks: int


class MonitorNow(BaseModel):
    """A monitor's last check."""

    name: str
    model: str = ""
    """The model whose rows it checked."""
    kind: str
    state: str
    value: float | None
    value_name: str
    rows: int
    checked_at: str
    note: str
    firing: bool = False
    """It alerted and has not resolved yet."""
    incident: int | None = None
    """The incident a firing monitor's alert opened or joined."""
    incident_state: str | None = None


class ModelMonitors(BaseModel):
    """One model's monitors, as last checked."""

    model: str
    default: bool = False
    """The model used when none is named (`MEDIC_DEFAULT_MODEL`)."""
    monitors: list[MonitorNow]


class MonitoringView(BaseModel):
    """What the monitors saw over a period, bucketed for plotting, for one model."""

    model: str = ""
    task: str = "binary_classification"
    hours: int
    bucket_minutes: int
    labels: list[str]
    drift: DriftSeries
    f1: F1Series
    traffic: TrafficSeries
    values: list[ValueSeries] = []
    """A line each for the monitors whose kind charts its own value."""
    monitors: list[MonitorNow]


def page_bounds(total: int, size: int, number: int) -> tuple[int, int, int]:
    """Return (page number clamped to 1..pages, pages, offset of its first row)."""
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    return number, pages, (number - 1) * size


class FeatureDrift(BaseModel):
    """One feature's drift test, as the drift report measured it."""

    feature: str
    p_value: float
    drifted: bool


class DriftMeasured(BaseModel):
    """The drift report's numbers: each feature's test and the drifted share."""

    features: list[FeatureDrift]
    share: float
    current_rows: int
    reference_rows: int


class VersionScore(BaseModel):
    """One registered version's score on the labelled evidence, in the model's metric."""

    version: str
    f1: float | None = None
    accuracy: float | None = None
    metric: str = "f1"
    value: float | None = None
    """The version's score in `metric` (F1 for a classifier, MAE for a regressor...)."""


class Measurements(BaseModel):
    """What the read tools measured for an incident (None: the tool did not run or failed)."""

    drift: DriftMeasured | None = None
    performance: dict[str, VersionScore] | None = None  # by alias


class ReportDecision(BaseModel):
    """Who decided what, and why: severity, the gate's reasons, verify's checks."""

    decided_by: str
    severity_score: float | None
    severity_level: str | None
    note: str | None
    verdict: str | None
    gate_reasons: list[str] = []
    checks: list[Any] = []
    reasons: list[str] = []


class AuditExcerpt(BaseModel):
    """An incident's audit entries, with the first and last (their hashes anchor the report)."""

    entries: list[AuditEntryView]
    first: AuditEntryView | None
    last: AuditEntryView | None


class IncidentReport(BaseModel):
    """What an incident's report shows; `charts` are SVG, filled for the console's cards."""

    generated_at: str
    incident: IncidentDetail
    alert: dict[str, Any]
    decision: ReportDecision
    measurements: Measurements
    audit: AuditExcerpt
    charts: dict[str, str | None] = {}
    resolved_at_source: str | None = None


class MetricTile(BaseModel):
    """One live metric of a model over a period, against the period before and its baseline."""

    name: str = Field(description="the metric's key: f1, accuracy, roc_auc, mae, rmse, r2")
    value: float | None = Field(description="over the period's labelled predictions; None: "
                                            "none, or not defined on them")
    previous: float | None = Field(description="over the period before, of the same length")
    change: float | None = Field(description="value - previous, when both are known")
    baseline: float | None = Field(description="the champion's held-out score when trained "
                                               "(test_<metric> of its registry record)")
    higher_is_better: bool
    within: float | None = Field(None, description="the value's resolution: the exact "
                                 "figure over the same labels is within ± this of it "
                                 "(ROC-AUC, from scores counted in bins); None: exact")


class LatencyTile(BaseModel):
    """Answer times the prediction log recorded, over a period and the one before.

    Read from a histogram of every logged answer time (`core/histograms.py`): each
    percentile is within 1% of the exact one.
    """

    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None = None
    previous_p50_ms: float | None
    previous_p95_ms: float | None
    previous_p99_ms: float | None = None
    logged: int = Field(description="predictions logged in the period (each counted once "
                                    "in the histogram)")


class Confusion(BaseModel):
    """A classifier's labelled predictions in the period, by predicted and true class."""

    tp: int
    fp: int
    fn: int
    tn: int


class PredictedActual(BaseModel):
    """A regressor's labelled predictions: (predicted, actual) pairs, the newest first."""

    predicted: list[float]
    actual: list[float]


class MetricTrend(BaseModel):
    """The task's main metric per UTC day, oldest first (None where no label fell)."""

    metric: str
    days: list[str]
    values: list[float | None]
    labelled: list[int]


class ActionDone(BaseModel):
    """One action the agent ran on a model, with its incident and who approved it."""

    incident_id: int
    incident: str
    tool: str
    status: str
    started_at: str
    approved_by: list[str] = Field(description="empty: it needed no person's approval")


class PerformanceView(BaseModel):
    """One model's live performance in its task's terms, over a period and 30 days."""

    model: str
    task: str
    hours: int
    start: str
    end: str
    champion: str | None
    labelled: int = Field(description="labelled predictions the metrics are over (every "
                                      "one of the period)")
    previous_labelled: int
    metrics: list[MetricTile]
    latency: LatencyTile
    confusion: Confusion | None = None
    pairs: PredictedActual | None = None
    trend: MetricTrend
    actions: list[ActionDone]
    notes: list[str] = Field(default_factory=list, description="what the numbers are over, "
                             "where a cap or a missing baseline applies")
