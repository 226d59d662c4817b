"""The report tests' fixtures, shared with the CLI's tests."""

from tests.services.conftest import pdf_text  # noqa: F401
