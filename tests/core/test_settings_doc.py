"""docs/configuration.md is generated from the settings class and kept current."""

import os
import subprocess
import sys

from core import secrets
from core.settings import PROJECT_ROOT, Settings

SCRIPT = PROJECT_ROOT / "scripts" / "settings_doc.py"
PAGE = PROJECT_ROOT / "docs" / "configuration.md"
RUN = ".venv/bin/python scripts/settings_doc.py"


def run(*args, cwd, env=None):
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_committed_configuration_page_matches_the_settings_class(tmp_path):
    """Fails when a setting changed and the page was not regenerated."""
    env = {**os.environ, "MEDIC_HOME": str(tmp_path / "elsewhere"), "MEDIC_PORT": "9999",
           "MEDIC_WEBHOOK_SECRET": "a-real-secret-value-0123456789"}
    (tmp_path / ".env").write_text("MEDIC_AUDIT_KEY=another-secret-value-0123456789\n")
    result = run("--check", cwd=tmp_path, env=env)  # the environment must not matter
    assert result.returncode == 0, (
        f"docs/configuration.md is out of date: run `{RUN}` and commit the page\n"
        f"{result.stderr}")


def test_every_setting_has_a_row_with_a_description_and_no_secret_value():
    page = PAGE.read_text()
    rows = {line.split("|")[1].strip(" `"): line for line in page.splitlines()
            if line.startswith("| `MEDIC_")}
    for name in Settings.model_fields:
        row = rows.get(f"MEDIC_{name.upper()}")
        assert row, f"MEDIC_{name.upper()} is missing from docs/configuration.md"
        assert row.split("|")[4].strip(), f"MEDIC_{name.upper()} has no description"
    for name in secrets.NAMES:
        assert "generated (embedded); required (production)" in rows[f"MEDIC_{name.upper()}"]
    assert "a-real-secret-value" not in page and "another-secret-value" not in page


def test_check_names_the_command_when_the_page_is_stale(tmp_path):
    stale = tmp_path / "configuration.md"
    stale.write_text(PAGE.read_text().replace("MEDIC_PORT", "MEDIC_PORTS"))
    result = run("--check", "--page", str(stale), cwd=tmp_path)
    assert result.returncode == 1
    assert RUN in result.stderr
    assert run("--page", str(stale), cwd=tmp_path).returncode == 0
    assert run("--check", "--page", str(stale), cwd=tmp_path).returncode == 0
