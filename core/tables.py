"""Declare the app database's tables."""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from core.clock import utcnow

FIRST_MODEL = "heart-disease"  # the one model of every release before models were keyed


def model_column(**options) -> Mapped[str]:
    """The model a row belongs to; rows from before models were keyed are the first one's."""
    return mapped_column(String(200), server_default=FIRST_MODEL, **options)


class Base(DeclarativeBase):
    """Base class of every app table."""


class UTCDateTime(TypeDecorator):
    """A timestamp that always comes back timezone-aware in UTC (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class RegistryLock(Base):
    """One row per model; updating it serialises alias changes across processes."""

    __tablename__ = "registry_locks"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    changes: Mapped[int] = mapped_column(Integer, default=0)


class ServingGeneration(Base):
    """One row per model; bumping it asks every serving process to reload the champion."""

    __tablename__ = "serving_generations"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[str] = mapped_column(String(200), default="")
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class RegistryEvent(Base):
    """A change of alias in the model registry: who moved what, when and why."""

    __tablename__ = "registry_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(32))  # promote, challenger, rollback
    alias: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(32))
    replaced: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModelArtifact(Base):
    """Where a registered version's model files live: serving loads them without MLflow."""

    __tablename__ = "model_artifacts"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    uri: Mapped[str] = mapped_column(Text)
    scorer: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # ml.serving.fastpath spec


class ModelFacts(Base):
    """One row per model: its versions as MLflow holds them, kept where Medic moves aliases.

    `versions` is a list of `ml.registry.aliases.VersionInfo` dicts, newest first. Read-only
    commands answer from it without opening MLflow; a model with no row yet is filled
    from MLflow on its first read.
    """

    __tablename__ = "model_facts"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    versions: Mapped[list] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VersionTrainingSet(Base):
    """The training set a registered version learnt from: its snapshot file and hash."""

    __tablename__ = "version_training_sets"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    md5: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)


class ExternalVersion(Base):
    """A version of an external model's registered name that Medic found and judged, once.

    Written by `agent_graph/runtime/external_versions.py`: `collecting` while the gate
    cannot yet tell it from the champion, `approval` while its promotion waits for a
    person; then `promoted`, `refused`, `held` (the gate passed it, the budgets or
    recommend-only mode keep it from running), `undecided` (past the gate's
    `collect_hours`), `rejected` (its approval was not given) or `superseded` (a newer
    version came first, or the champion moved) — never judged again.
    """

    __tablename__ = "external_versions"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    champion: Mapped[str | None] = mapped_column(String(32), nullable=True)
    """The champion it was judged against."""
    reason: Mapped[str] = mapped_column(Text, default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    """The labelled production rows it was last judged on."""
    incident_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The incident whose retrain request it answers, or that carries its verification."""
    approval_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The approval its promotion waits for (status `approval`)."""
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    judged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Incident(Base):
    """One problem, however many alerts report it; its agent thread id is its own id."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = model_column(index=True)
    fingerprint: Mapped[str] = mapped_column(String(128), index=True)
    open_key: Mapped[str | None] = mapped_column(String(128), unique=True, nullable=True)
    title: Mapped[str] = mapped_column(String(500))
    alert_type: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32), default="open", index=True)
    alert: Mapped[dict] = mapped_column(JSON)
    alert_count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    severity_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    severity_level: Mapped[str | None] = mapped_column(String(16), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    diagnosis: Mapped[list] = mapped_column(JSON, default=list)
    plan: Mapped[list] = mapped_column(JSON, default=list)
    verdict: Mapped[str | None] = mapped_column(String(32), nullable=True)
    outcome: Mapped[str] = mapped_column(Text, default="")
    handled: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AlertRecord(Base):
    """Every alert received, stored before it is acknowledged."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = model_column()
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Approval(Base):
    """A request for a person to allow exactly one plan (bound by its digest)."""

    __tablename__ = "approvals"
    __table_args__ = (UniqueConstraint("incident_id", "digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = model_column()
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    actions: Mapped[list] = mapped_column(JSON)
    context: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_role: Mapped[str | None] = mapped_column(String(32), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """How many different approvers must approve (2 under a two-person rule)."""
    approved_by: Mapped[list | None] = mapped_column(JSON, default=list, nullable=True)
    """The approvers who approved so far, in order (the last one completes the approval)."""
    escalation_level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How far the escalation went (`configs/oncall.yaml`): 0 until anyone was asked again."""
    asked: Mapped[list | None] = mapped_column(JSON, default=list, nullable=True)
    """The key holders the escalation asked, in order."""
    acknowledged_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """Who said "I'm looking": the escalation stops, nothing is decided."""
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ActionRun(Base):
    """One execution of a tool by the agent; the key makes a retry a no-op."""

    __tablename__ = "action_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    model: Mapped[str] = mapped_column(String(200))
    tool: Mapped[str] = mapped_column(String(64), index=True)
    args: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="running")
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    effective: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AuditEntry(Base):
    """Append-only, hash-chained record of everything the agent and its users did."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    incident_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    chain: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Notification(Base):
    """A message sent to people (kept, whatever channel carried it)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    channels: Mapped[list] = mapped_column(JSON, default=list)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxItem(Base):
    """One message for one channel, kept until delivered or given up (never holds a secret)."""

    __tablename__ = "notification_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    message: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ApiKey(Base):
    """A person's or a system's key: only its hash is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    slack_user: Mapped[str | None] = mapped_column(String(32), unique=True, index=True,
                                                   nullable=True)
    """The holder's Slack user id: their clicks on approval buttons decide as this holder."""
    email: Mapped[str | None] = mapped_column(String(254), unique=True, index=True,
                                              nullable=True)
    """The holder's address (lower case): approval links sent there decide as this holder."""


class ConsoleLogin(Base):
    """A console session: its cookie names this row; logging out ends it in every replica."""

    __tablename__ = "console_logins"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AuditHead(Base):
    """One audit chain's last hash (its id is the chain's); locking it serialises its appends."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer, default=0)


class SeenSignature(Base):
    """A webhook signature already accepted (replays are refused)."""

    __tablename__ = "seen_signatures"

    signature: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Prediction(Base):
    """One answered prediction, logged off the request path for the monitors.

    On PostgreSQL the table is partitioned by day (`core/log_partitions.py`, revision
    0004): its primary key there is (id, created_at), and request ids are unique with their
    time, as every unique constraint of a partitioned table must hold the partition key.
    """

    __tablename__ = "predictions"
    # With the label: the console counts volume and class share per bucket from the index.
    __table_args__ = (Index("ix_predictions_created_at_label", "created_at", "label"),
                      Index("ix_predictions_model_created_at", "model", "created_at"),
                      UniqueConstraint("request_id", "created_at",
                                       name="uq_predictions_request_id_created_at"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"),
                                    primary_key=True, autoincrement=True)
    model: Mapped[str] = model_column()
    request_id: Mapped[str] = mapped_column(String(64))
    features: Mapped[dict] = mapped_column(JSON)
    probability: Mapped[float] = mapped_column(Float)
    label: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(32), index=True)
    latency_ms: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Feedback(Base):
    """A prediction's true value, by request id.

    A classifier's class (0 or 1), or a regressor's value kept exactly as sent (a float).
    """

    __tablename__ = "feedback"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = model_column()
    label: Mapped[float] = mapped_column(Float)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PredictionCount(Base):
    """Predictions logged in one 30-second slot by one model's version (core/rollup.py)."""

    __tablename__ = "prediction_counts"

    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # epoch s, a multiple of 30
    model: Mapped[str] = model_column(primary_key=True)
    model_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    predictions: Mapped[int] = mapped_column(BigInteger, default=0)
    positives: Mapped[int] = mapped_column(BigInteger, default=0)


class LabelCount(Base):
    """Labelled predictions of one 30-second slot (the prediction's) by one model's version.

    A classifier's labels count in its confusion matrix (tp, fp, fn, tn); every label adds
    to the error sums, the error being the logged value (a regressor's prediction, a
    classifier's probability) less the true value: `labels` (n), Σ|error|, Σerror², Σtrue,
    Σtrue² — a regressor's MAE, RMSE and R² over any set of slots (`core/rollup.py`).
    """

    __tablename__ = "label_counts"

    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    model: Mapped[str] = model_column(primary_key=True)
    model_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    tp: Mapped[int] = mapped_column(BigInteger, default=0)
    fp: Mapped[int] = mapped_column(BigInteger, default=0)
    fn: Mapped[int] = mapped_column(BigInteger, default=0)
    tn: Mapped[int] = mapped_column(BigInteger, default=0)
    labels: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    abs_error: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    squared_error: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    truth: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    squared_truth: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")


class LatencyCount(Base):
    """Answer times of one model's version, counted in log-spaced buckets (core/histograms.py).

    Each prediction counts three times: in its 30-second slot, its hour and its UTC day
    (`width`: 30, 3600 or 86400 seconds; `slot`: the epoch second the span starts), so a
    period reads whole days and hours and only its ragged ends in slots.
    """

    __tablename__ = "latency_counts"

    width: Mapped[int] = mapped_column(Integer, primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    model: Mapped[str] = model_column(primary_key=True)
    model_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    predictions: Mapped[int] = mapped_column(BigInteger, default=0)


class ScoreCount(Base):
    """A classifier's labelled scores in bins of 0.005, by class answered and true class.

    Keyed like `LatencyCount` (slot, hour and day) and by the class the model answered
    (`predicted`): each label counts in its prediction's spans, and a changed label moves
    between `positives` and `negatives`. They give ROC-AUC (core/histograms.py) and the
    confusion matrix of any period of whole slots, reading its days and hours.
    """

    __tablename__ = "score_counts"

    width: Mapped[int] = mapped_column(Integer, primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    model: Mapped[str] = model_column(primary_key=True)
    model_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    predicted: Mapped[int] = mapped_column(Integer, primary_key=True)
    positives: Mapped[int] = mapped_column(BigInteger, default=0)
    negatives: Mapped[int] = mapped_column(BigInteger, default=0)


class ErrorSum(Base):
    """The error sums of `LabelCount` per slot, hour and UTC day (`width` as `LatencyCount`).

    A regressor's MAE, RMSE and R² of any period of whole slots read its whole days and hours
    and the slots at its ends (core/rollup.py `errors`); a changed label moves its sums.
    """

    __tablename__ = "error_sums"

    width: Mapped[int] = mapped_column(Integer, primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    model: Mapped[str] = model_column(primary_key=True)
    model_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    labels: Mapped[int] = mapped_column(BigInteger, default=0)
    abs_error: Mapped[float] = mapped_column(Float, default=0.0)
    squared_error: Mapped[float] = mapped_column(Float, default=0.0)
    truth: Mapped[float] = mapped_column(Float, default=0.0)
    squared_truth: Mapped[float] = mapped_column(Float, default=0.0)


class AgentWork(Base):
    """Durable agent work per incident: wake-ups owed, and the lease of the worker on it.

    The agent owes an incident a run while `wakes > done`; a worker claims it by taking the
    lease (`owner`, `lease_until`), keeps the lease alive by heartbeat, and sets `done` to
    the wakes it saw. A worker that dies leaves a lease that expires, and another takes over.
    """

    __tablename__ = "agent_work"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    wakes: Mapped[int] = mapped_column(Integer, default=1)
    done: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True,
                                                         index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")


class PrunedThread(Base):
    """A closed incident whose agent thread (its checkpoints) was deleted after the retention.

    The incident itself, its actions and its audit entries stay; of LangGraph's copy of
    the thread only the read tools' findings are kept here, for the incident's report.
    """

    __tablename__ = "pruned_threads"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    pruned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    findings: Mapped[list] = mapped_column(JSON, default=list)


class Rollout(Base):
    """A model's current rollout: its challenger on live traffic, in shadow or canary.

    One row per model, replaced when a new rollout starts. `revision` grows with every stage
    change: a change names the revision it read and is refused if another process moved it
    meanwhile (compare-and-set, `core/rollouts.py`).
    """

    __tablename__ = "rollouts"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    challenger: Mapped[str] = mapped_column(String(32))
    champion: Mapped[str | None] = mapped_column(String(32), nullable=True)
    """The champion when the rollout started: promotion expects it still to be."""
    stage: Mapped[str] = mapped_column(String(16))  # shadow, canary, promoted, aborted, ended
    share: Mapped[float] = mapped_column(Float, default=0.0)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    incident_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ShadowPrediction(Base):
    """The score of the model that did not answer a request, logged against its request id.

    In shadow the challenger's; for a request the canary answered, the champion's. Its
    partner row is the request's row in `predictions`; feedback labels measure both.
    """

    __tablename__ = "shadow_predictions"
    __table_args__ = (Index("ix_shadow_predictions_model_at", "model", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"),
                                    primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    model: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    """A classifier's probability, a regressor's predicted value."""
    at: Mapped[datetime] = mapped_column(UTCDateTime)


def insert_for(session, table):
    """Return an INSERT in the session's database dialect: it takes ON CONFLICT clauses.

    `table` is a mapped class or a Table; the statement is SQLAlchemy Core's, on the table.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(getattr(table, "__table__", table))
