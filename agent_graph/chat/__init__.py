"""Answer people's questions about Medic's state, grounded in the read tools."""
