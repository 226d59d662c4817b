"""Process plumbing: the long-lived child processes the serving process hands work to.

`background` runs periodic jobs (the monitors' checks) in a child fed by the caller's
ticks; `intake` stores webhook bodies in a child of `medic up`. Neither is a service:
the services and the app's composition root (`api/root.py`) start and feed them.
"""
