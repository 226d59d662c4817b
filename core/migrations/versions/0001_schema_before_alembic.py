"""The schema of every release before Alembic: the tables of core/tables.py on 4 Dec 2026.

Revision ID: 0001
Revises: (none: the first)
Create Date: 2026-12-04 20:30:30.671580
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (  # in creation order: a table after those its foreign keys name
    "api_keys",
    "audit_head",
    "audit_log",
    "console_logins",
    "feedback",
    "incidents",
    "label_counts",
    "model_artifacts",
    "monitor_history",
    "monitor_results",
    "monitor_schedule",
    "monitor_states",
    "notifications",
    "prediction_counts",
    "predictions",
    "registry_events",
    "registry_locks",
    "seen_signatures",
    "serving_generations",
    "silences",
    "version_training_sets",
    "action_runs",
    "agent_work",
    "alerts",
    "approvals",
    "incident_flaps",
    "notification_outbox",
    "pruned_threads",
    "silenced_alerts",
)


def upgrade() -> None:
    """Create the tables (and their indexes) of the schema before Alembic that are missing.

    A new database gets them all; one made by a release before Alembic has them all and
    is only adopted (this revision is written to its version table); a home older still,
    from before the per-slot counts, gets the two counts tables (`core.db` fills them).
    """
    missing = set(TABLES) - set(sa.inspect(op.get_bind()).get_table_names())
    if "api_keys" in missing:
        op.create_table(
            "api_keys",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("name", sa.String(length=200), nullable=False),
            sa.Column("role", sa.String(length=32), nullable=False),
            sa.Column("prefix", sa.String(length=16), nullable=False),
            sa.Column("hash", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("revoked", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("hash")
        )
        op.create_index("ix_api_keys_name", "api_keys", ["name"])
        op.create_index("ix_api_keys_prefix", "api_keys", ["prefix"])
    if "audit_head" in missing:
        op.create_table(
            "audit_head",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("last_hash", sa.String(length=64), nullable=False),
            sa.Column("entries", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id")
        )
    if "audit_log" in missing:
        op.create_table(
            "audit_log",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("incident_id", sa.Integer(), nullable=True),
            sa.Column("actor", sa.String(length=200), nullable=False),
            sa.Column("event", sa.String(length=64), nullable=False),
            sa.Column("data", sa.JSON(), nullable=False),
            sa.Column("prev_hash", sa.String(length=64), nullable=False),
            sa.Column("hash", sa.String(length=64), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("hash")
        )
        op.create_index("ix_audit_log_incident_id", "audit_log", ["incident_id"])
    if "console_logins" in missing:
        op.create_table(
            "console_logins",
            sa.Column("id", sa.String(length=64), nullable=False),
            sa.Column("name", sa.String(length=200), nullable=False),
            sa.Column("role", sa.String(length=32), nullable=False),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id")
        )
        op.create_index("ix_console_logins_expires_at", "console_logins", ["expires_at"])
    if "feedback" in missing:
        op.create_table(
            "feedback",
            sa.Column("request_id", sa.String(length=64), nullable=False),
            sa.Column("label", sa.Integer(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("request_id")
        )
    if "incidents" in missing:
        op.create_table(
            "incidents",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("fingerprint", sa.String(length=128), nullable=False),
            sa.Column("open_key", sa.String(length=128), nullable=True),
            sa.Column("title", sa.String(length=500), nullable=False),
            sa.Column("alert_type", sa.String(length=32), nullable=False),
            sa.Column("state", sa.String(length=32), nullable=False),
            sa.Column("alert", sa.JSON(), nullable=False),
            sa.Column("alert_count", sa.Integer(), nullable=False),
            sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
            sa.Column("severity_score", sa.Float(), nullable=True),
            sa.Column("severity_level", sa.String(length=16), nullable=True),
            sa.Column("decided_by", sa.String(length=16), nullable=True),
            sa.Column("decision_note", sa.Text(), nullable=False),
            sa.Column("diagnosis", sa.JSON(), nullable=False),
            sa.Column("plan", sa.JSON(), nullable=False),
            sa.Column("verdict", sa.String(length=32), nullable=True),
            sa.Column("outcome", sa.Text(), nullable=False),
            sa.Column("handled", sa.Boolean(), nullable=False),
            sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("open_key")
        )
        op.create_index("ix_incidents_fingerprint", "incidents", ["fingerprint"])
        op.create_index("ix_incidents_handled", "incidents", ["handled"])
        op.create_index("ix_incidents_state", "incidents", ["state"])
    if "label_counts" in missing:
        op.create_table(
            "label_counts",
            sa.Column("slot", sa.BigInteger(), nullable=False),
            sa.Column("model_version", sa.String(length=32), nullable=False),
            sa.Column("tp", sa.BigInteger(), nullable=False),
            sa.Column("fp", sa.BigInteger(), nullable=False),
            sa.Column("fn", sa.BigInteger(), nullable=False),
            sa.Column("tn", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("slot", "model_version")
        )
    if "model_artifacts" in missing:
        op.create_table(
            "model_artifacts",
            sa.Column("model", sa.String(length=200), nullable=False),
            sa.Column("version", sa.String(length=32), nullable=False),
            sa.Column("uri", sa.Text(), nullable=False),
            sa.Column("scorer", sa.JSON(), nullable=True),
            sa.PrimaryKeyConstraint("model", "version")
        )
    if "monitor_history" in missing:
        op.create_table(
            "monitor_history",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("state", sa.String(length=32), nullable=False),
            sa.Column("value", sa.Float(), nullable=True),
            sa.Column("points", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("id")
        )
        op.create_index("ix_monitor_history_checked_at", "monitor_history", ["checked_at"])
        op.create_index("ix_monitor_history_name_checked_at", "monitor_history",
                        ["name", "checked_at"])
    if "monitor_results" in missing:
        op.create_table(
            "monitor_results",
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("result", sa.JSON(), nullable=False),
            sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("name")
        )
    if "monitor_schedule" in missing:
        op.create_table(
            "monitor_schedule",
            sa.Column("name", sa.String(length=32), nullable=False),
            sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("name")
        )
    if "monitor_states" in missing:
        op.create_table(
            "monitor_states",
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("firing", sa.Boolean(), nullable=False),
            sa.Column("breaches", sa.Integer(), nullable=False),
            sa.Column("clears", sa.Integer(), nullable=False),
            sa.Column("level", sa.String(length=32), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("name")
        )
    if "notifications" in missing:
        op.create_table(
            "notifications",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("incident_id", sa.Integer(), nullable=True),
            sa.Column("subject", sa.String(length=500), nullable=False),
            sa.Column("body", sa.Text(), nullable=False),
            sa.Column("channels", sa.JSON(), nullable=False),
            sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id")
        )
        op.create_index("ix_notifications_incident_id", "notifications", ["incident_id"])
    if "prediction_counts" in missing:
        op.create_table(
            "prediction_counts",
            sa.Column("slot", sa.BigInteger(), nullable=False),
            sa.Column("model_version", sa.String(length=32), nullable=False),
            sa.Column("predictions", sa.BigInteger(), nullable=False),
            sa.Column("positives", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("slot", "model_version")
        )
    if "predictions" in missing:
        op.create_table(
            "predictions",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("request_id", sa.String(length=64), nullable=False),
            sa.Column("features", sa.JSON(), nullable=False),
            sa.Column("probability", sa.Float(), nullable=False),
            sa.Column("label", sa.Integer(), nullable=False),
            sa.Column("model_version", sa.String(length=32), nullable=False),
            sa.Column("latency_ms", sa.Float(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("request_id")
        )
        op.create_index("ix_predictions_created_at_label", "predictions", ["created_at", "label"])
        op.create_index("ix_predictions_model_version", "predictions", ["model_version"])
    if "registry_events" in missing:
        op.create_table(
            "registry_events",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("model", sa.String(length=200), nullable=False),
            sa.Column("action", sa.String(length=32), nullable=False),
            sa.Column("alias", sa.String(length=32), nullable=False),
            sa.Column("version", sa.String(length=32), nullable=False),
            sa.Column("replaced", sa.String(length=32), nullable=True),
            sa.Column("actor", sa.String(length=200), nullable=False),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id")
        )
        op.create_index("ix_registry_events_model", "registry_events", ["model"])
    if "registry_locks" in missing:
        op.create_table(
            "registry_locks",
            sa.Column("model", sa.String(length=200), nullable=False),
            sa.Column("changes", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("model")
        )
    if "seen_signatures" in missing:
        op.create_table(
            "seen_signatures",
            sa.Column("signature", sa.String(length=128), nullable=False),
            sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("signature")
        )
        op.create_index("ix_seen_signatures_seen_at", "seen_signatures", ["seen_at"])
    if "serving_generations" in missing:
        op.create_table(
            "serving_generations",
            sa.Column("model", sa.String(length=200), nullable=False),
            sa.Column("generation", sa.Integer(), nullable=False),
            sa.Column("requested_by", sa.String(length=200), nullable=False),
            sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("model")
        )
    if "silences" in missing:
        op.create_table(
            "silences",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("matchers", sa.JSON(), nullable=False),
            sa.Column("comment", sa.Text(), nullable=False),
            sa.Column("created_by", sa.String(length=128), nullable=False),
            sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expired_by", sa.String(length=128), nullable=True),
            sa.PrimaryKeyConstraint("id")
        )
        op.create_index("ix_silences_ends_at", "silences", ["ends_at"])
    if "version_training_sets" in missing:
        op.create_table(
            "version_training_sets",
            sa.Column("model", sa.String(length=200), nullable=False),
            sa.Column("version", sa.String(length=32), nullable=False),
            sa.Column("path", sa.Text(), nullable=False),
            sa.Column("md5", sa.String(length=64), nullable=False),
            sa.Column("rows", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("model", "version")
        )
    if "action_runs" in missing:
        op.create_table(
            "action_runs",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("key", sa.String(length=64), nullable=False),
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("model", sa.String(length=200), nullable=False),
            sa.Column("tool", sa.String(length=64), nullable=False),
            sa.Column("args", sa.JSON(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("result", sa.JSON(), nullable=False),
            sa.Column("effective", sa.Boolean(), nullable=True),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("key")
        )
        op.create_index("ix_action_runs_incident_id", "action_runs", ["incident_id"])
        op.create_index("ix_action_runs_tool", "action_runs", ["tool"])
    if "agent_work" in missing:
        op.create_table(
            "agent_work",
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("wakes", sa.Integer(), nullable=False),
            sa.Column("done", sa.Integer(), nullable=False),
            sa.Column("owner", sa.String(length=128), nullable=True),
            sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("last_error", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ),
            sa.PrimaryKeyConstraint("incident_id")
        )
        op.create_index("ix_agent_work_lease_until", "agent_work", ["lease_until"])
    if "alerts" in missing:
        op.create_table(
            "alerts",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("fingerprint", sa.String(length=128), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("payload", sa.JSON(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ),
            sa.PrimaryKeyConstraint("id")
        )
        op.create_index("ix_alerts_incident_id", "alerts", ["incident_id"])
    if "approvals" in missing:
        op.create_table(
            "approvals",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("digest", sa.String(length=64), nullable=False),
            sa.Column("actions", sa.JSON(), nullable=False),
            sa.Column("context", sa.JSON(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("decided_by", sa.String(length=200), nullable=True),
            sa.Column("decided_role", sa.String(length=32), nullable=True),
            sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("comment", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("incident_id", "digest")
        )
        op.create_index("ix_approvals_incident_id", "approvals", ["incident_id"])
        op.create_index("ix_approvals_status", "approvals", ["status"])
    if "incident_flaps" in missing:
        op.create_table(
            "incident_flaps",
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("flaps", sa.Integer(), nullable=False),
            sa.Column("last_flap_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ),
            sa.PrimaryKeyConstraint("incident_id")
        )
    if "notification_outbox" in missing:
        op.create_table(
            "notification_outbox",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("notification_id", sa.Integer(), nullable=False),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("message", sa.JSON(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_error", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"], ),
            sa.PrimaryKeyConstraint("id")
        )
        op.create_index("ix_notification_outbox_next_attempt_at", "notification_outbox",
                        ["next_attempt_at"])
        op.create_index("ix_notification_outbox_notification_id", "notification_outbox",
                        ["notification_id"])
        op.create_index("ix_notification_outbox_status", "notification_outbox", ["status"])
    if "pruned_threads" in missing:
        op.create_table(
            "pruned_threads",
            sa.Column("incident_id", sa.Integer(), nullable=False),
            sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("findings", sa.JSON(), nullable=False),
            sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ),
            sa.PrimaryKeyConstraint("incident_id")
        )
    if "silenced_alerts" in missing:
        op.create_table(
            "silenced_alerts",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("silence_id", sa.Integer(), nullable=False),
            sa.Column("fingerprint", sa.String(length=128), nullable=False),
            sa.Column("payload", sa.JSON(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["silence_id"], ["silences.id"], ),
            sa.PrimaryKeyConstraint("id")
        )
        op.create_index("ix_silenced_alerts_silence_id", "silenced_alerts", ["silence_id"])


def downgrade() -> None:
    """Drop every table of the schema before Alembic (and every row in them with them)."""
    for name in reversed(TABLES):
        op.drop_table(name)
