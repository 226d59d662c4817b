"""Compute Medic's monitors over the prediction log: drift, performance, serving health."""
