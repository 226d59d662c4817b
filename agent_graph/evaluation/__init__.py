"""Score the agent's decisions: alert scenarios and replays of recorded incidents."""
