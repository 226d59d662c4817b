"""Service-test fixtures: the HTTP API (every interface shares one rule), poppler's tools."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.api.conftest import api  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "reports"


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} not installed (Debian package poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI installs it from .ci/apt-packages")
        pytest.skip(message)
    return found


@pytest.fixture
def pdf_text():
    """Return a function giving a PDF's text, as pdftotext lays it out."""
    tool = _need("pdftotext")

    def read(pdf: bytes) -> str:
        return subprocess.run([tool, "-layout", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode()

    return read


@pytest.fixture
def first_page_png():
    """Return a function saving page 1 of a PDF as PNG under tests/artifacts/reports."""
    tool = _need("pdftoppm")

    def save(pdf: bytes, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        source = ARTIFACTS / f"{name}.pdf"
        source.write_bytes(pdf)
        subprocess.run([tool, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(ARTIFACTS / name)], check=True)
        return ARTIFACTS / f"{name}.png"

    return save
