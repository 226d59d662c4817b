"""Serve the champion: the loaded model, the fast path, the prediction log."""
