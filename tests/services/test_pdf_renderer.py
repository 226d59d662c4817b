"""The PDF renderer child stays warm between reports, is replaced on failure, outlives no one."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.errors import ReportError
from core.settings import PROJECT_ROOT
from services.reports.pdf import to_pdf
from services.reports.renderer import pool
from tests.processes import wait_for

PLAIN = "<h1>Medic</h1><p>ok</p>"


def renderer_children(parent: int | None = None) -> list[int]:
    """Return the pids of live PDF renderer processes whose parent is `parent` (us)."""
    parent = os.getpid() if parent is None else parent
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if fields[0] != "Z" and int(fields[1]) == parent and b"_pdf_child.py" in command:
            found.append(int(entry.name))
    return sorted(found)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _no_children_before_or_after():
    pool.close()
    yield
    pool.close()
    assert renderer_children() == []


def test_two_reports_share_one_warm_child():
    assert to_pdf(PLAIN).startswith(b"%PDF")
    [first] = renderer_children()
    assert to_pdf("<p>second report</p>").startswith(b"%PDF")
    assert renderer_children() == [first] == pool.pids()


def test_a_child_past_the_time_cap_is_killed_and_the_next_report_gets_a_new_one():
    to_pdf(PLAIN)
    [warm] = renderer_children()
    rows = "<tr><td>cell</td><td>more cell text</td></tr>" * 100_000
    with pytest.raises(ReportError, match="longer than 3 s"):
        to_pdf(f"<table>{rows}</table>", timeout=3)
    assert not alive(warm) and renderer_children() == []
    assert to_pdf(PLAIN).startswith(b"%PDF")
    [replacement] = renderer_children()
    assert replacement != warm


def test_a_child_that_dies_between_reports_is_replaced():
    to_pdf(PLAIN)
    [warm] = renderer_children()
    os.kill(warm, 9)
    wait_for(lambda: not alive(warm), timeout=10, what="the child to die")
    assert to_pdf(PLAIN).startswith(b"%PDF")
    [replacement] = renderer_children()
    assert replacement != warm


def test_a_child_killed_while_rendering_fails_that_report_in_one_line():
    import threading

    failed = []

    def slow() -> None:
        rows = "<tr><td>cell</td><td>more cell text</td></tr>" * 100_000
        try:
            to_pdf(f"<table>{rows}</table>")
        except ReportError as error:
            failed.append(str(error))

    rendering = threading.Thread(target=slow)
    rendering.start()
    [child] = wait_for(renderer_children, timeout=30, what="the renderer child")
    os.kill(child, 9)
    rendering.join(120)
    assert failed == ["the PDF renderer failed (exit -9)"]
    assert to_pdf(PLAIN).startswith(b"%PDF")


def test_no_more_warm_children_are_kept_than_renderers_may_run(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from services.reports.gate import gate_for
    from tests.conftest import make_settings

    gate_for(make_settings(tmp_path / "medic", report_renderers=2))
    with ThreadPoolExecutor(3) as threads:  # past the gate: three render at once
        assert all(pdf.startswith(b"%PDF") for pdf in threads.map(to_pdf, [PLAIN] * 3))
    assert len(renderer_children()) == 2


def test_closing_stops_every_child():
    to_pdf(PLAIN)
    [warm] = renderer_children()
    pool.close()
    assert not alive(warm) and renderer_children() == []


@pytest.mark.parametrize("ending", ["exits", "is killed"])
def test_no_child_outlives_the_process_that_started_it(ending):
    script = textwrap.dedent(f"""
        import sys, time
        from services.reports.pdf import to_pdf
        from services.reports.renderer import pool
        to_pdf({PLAIN!r})
        print(pool.pids()[0], flush=True)
        if {ending == "is killed"}:
            time.sleep(600)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT,
                               env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                               stdout=subprocess.PIPE, text=True)
    child = int(process.stdout.readline())
    assert alive(child) or ending == "exits"
    if ending == "is killed":
        process.kill()
    process.wait(60)
    wait_for(lambda: not alive(child), timeout=20, what="the renderer child to end")
