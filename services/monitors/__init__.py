"""Monitors as a service: run them and keep their states, the console's series, their incidents."""
