"""The service tests also drive the HTTP API, to show every interface shares one rule."""

from tests.api.conftest import api  # noqa: F401
