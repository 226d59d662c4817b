"""Train, retrain and judge models: candidates, the recipe, the promotion gate, outcomes."""
