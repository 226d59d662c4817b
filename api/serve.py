"""Serve the app with uvicorn: forwarded headers are believed only from configured proxies."""

import uvicorn


def server_config(app, settings, *, host: str, port: int, access_log: bool = False
                  ) -> uvicorn.Config:
    """Return the uvicorn configuration `medic up` runs (and the live tests run)."""
    trusted = settings.trusted_proxies.strip()
    return uvicorn.Config(
        app, host=host, port=port, log_level="info", access_log=access_log,
        timeout_graceful_shutdown=30,
        proxy_headers=bool(trusted),  # uvicorn's default trusts X-Forwarded-For from 127.0.0.1
        forwarded_allow_ips=trusted or "",
    )
