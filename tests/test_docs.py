"""The docs: README's relative links resolve, and the site's strict build refuses broken ones."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from markdown.extensions.toc import slugify

from core.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
LINK = re.compile(r"\]\(([^)\s]+)\)")
MKDOCS = Path(sys.executable).parent / "mkdocs"


def relative_links(text: str) -> list[str]:
    return [target for target in LINK.findall(text)
            if not re.match(r"[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")]


def build(root: Path) -> subprocess.CompletedProcess:
    """Build the site as `make lint` does."""
    return subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir", str(root / "site")],
                          cwd=root, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
                          capture_output=True, text=True, timeout=300)


def test_every_relative_link_in_the_readme_points_at_a_file_and_heading():
    links = relative_links(README.read_text())
    assert links, "README.md links into docs/"
    for link in links:
        path, _, anchor = link.partition("#")
        assert (PROJECT_ROOT / path).exists(), f"README.md links to a missing file: {link}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", (PROJECT_ROOT / path).read_text(), re.M)
            assert anchor in {slugify(heading, "-") for heading in headings}, (
                f"README.md links to a heading {path} does not have: {link}")


def test_readme_links_into_docs_name_pages_of_the_site():
    nav = (PROJECT_ROOT / "mkdocs.yml").read_text()
    for link in relative_links(README.read_text()):
        page = link.partition("#")[0]
        if page.startswith("docs/"):
            assert f": {page.removeprefix('docs/')}" in nav, f"{page} is not in mkdocs.yml's nav"


def test_strict_build_passes_and_fails_on_a_broken_link(tmp_path):
    for name in ("docs", "mkdocs.yml"):
        source = PROJECT_ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    built = build(tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "index.html").exists()
    page = tmp_path / "docs" / "index.md"
    page.write_text(page.read_text() + "\nSee [nowhere](no-such-page.md).\n")
    broken = build(tmp_path)
    assert broken.returncode != 0
    assert "no-such-page.md" in broken.stderr
