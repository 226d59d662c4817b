"""Run the graph durably: the runner, the worker and its jobs, checkpoints, the nodes' records."""
