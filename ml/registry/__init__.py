"""The MLflow registry and tracking store: aliases moved by compare-and-set."""
