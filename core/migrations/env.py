"""Alembic's environment: run the revisions on the connection `core.migrations` hands over.

There is no alembic.ini: `core.migrations.alembic_config` builds the config in code and
puts the open connection (inside the schema lock and its transaction) in its attributes.
"""

from alembic import context

from core.migrations import context_options
from core.monitor_tables import Silence  # noqa: F401  (registers the watching tables)
from core.tables import Base

context.configure(connection=context.config.attributes["connection"],
                  target_metadata=Base.metadata, **context_options())
with context.begin_transaction():
    context.run_migrations()
