"""The base every layer shares: settings, errors, clock, database, and Medic's own records.

Records: keys and roles, alerts and incidents, approvals, the audit chain, notifications and
their channels, durable agent work, silences, monitor states, periodic jobs. Nothing here
imports ML, the agent or a web framework (an import-linter contract keeps it so).
"""
