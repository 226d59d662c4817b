"""Time a console page load in headless Chromium against a bare Gradio page, side by side.

Medic: `medic up` on a home (trained first if empty) with 1,000 incidents and a day of
traffic and monitor checks; a viewer logs in, then the Overview is loaded N times (navigation
until its figures show), and each other tab opened N times (click until its content shows).
Peer: a bare Gradio Blocks mounted in FastAPI under uvicorn, whose one HTML block is filled by
a load event — the floor any Gradio page pays.

Usage: .venv/bin/python bench/console.py [--home DIR] [--loads 5] [--incidents 1000]
       [--predictions 50000] [--seeded]
Needs Debian's chromium and `pip install playwright`.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PEER = textwrap.dedent("""
    import gradio as gr, uvicorn
    from fastapi import FastAPI
    app = FastAPI()
    with gr.Blocks() as demo:
        box = gr.HTML()
        demo.load(lambda: '<div class="mc-stat">ready</div>', outputs=box)
    gr.mount_gradio_app(app, demo, path="/ui", footer_links=[], ssr_mode=False)
    uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning")
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, process) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not come up")


def loads(page, url: str, count: int) -> list[float]:
    taken = []
    for _ in range(count):
        started = time.perf_counter()
        page.goto(url)
        page.locator(".mc-stat").first.wait_for()
        taken.append(time.perf_counter() - started)
    return taken


TABS = {  # tab -> what shows once its content is there
    "Monitoring": lambda page: page.locator("#monitoring-plots").get_by_text(
        "Prediction volume ("),
    "Approvals": lambda page: page.locator("#approval-cards .mc-card, #approval-cards .mc-note"),
    "Incidents": lambda page: page.locator("#incident-list table, #incident-list .mc-note"),
    "Models": lambda page: page.locator("#model-versions").get_by_text("Champion history"),
    "Audit": lambda page: page.locator("#audit-entries table, #audit-entries .mc-note"),
}


def tab(page, url: str, name: str, count: int) -> list[float]:
    taken = []
    for _ in range(count):
        page.goto(url)
        page.locator(".mc-stat").first.wait_for()
        started = time.perf_counter()
        page.get_by_role("tab", name=name).click()
        TABS[name](page).first.wait_for()
        taken.append(time.perf_counter() - started)
    return taken


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--predictions", type=int, default=50_000)
    parser.add_argument("--seeded", action="store_true",
                        help="the home was seeded by a past run within the day: seed nothing")
    options = parser.parse_args()
    home = options.home or Path(tempfile.mkdtemp()) / "medic"
    env = {**os.environ, "MEDIC_HOME": str(home), "GRADIO_ANALYTICS_ENABLED": "False",
           "DO_NOT_TRACK": "true", "PYTHONPATH": str(ROOT)}
    medic_port, peer_port = free_port(), free_port()
    medic = subprocess.Popen([sys.executable, "-m", "cli", "up", "--port", str(medic_port)],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    peer = subprocess.Popen([sys.executable, "-c", PEER.format(port=peer_port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait(f"http://127.0.0.1:{medic_port}/ready", medic)
        wait(f"http://127.0.0.1:{peer_port}/ui/", peer)
        from core import keys
        from core.audit_seal import Seal
        from core.db import connect
        from core.settings import Settings
        from tests.ui.test_console_volume import seed_day, seed_incidents

        settings = Settings(home=home, _env_file=None)
        with connect(settings.database_url, seal=Seal.of(settings)).begin() as session:
            key = keys.create(session, name=f"bench-{time.time_ns()}", role="viewer",
                              actor="bench")
        if not options.seeded:
            seed_incidents(settings.database_url, options.incidents)
            seed_day(settings.database_url, predictions=options.predictions)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{medic_port}/ui/login")
            page.fill("#key", key)
            page.click("button[type=submit]")
            page.locator(".mc-stat").first.wait_for()
            ours = loads(page, f"http://127.0.0.1:{medic_port}/ui/", options.loads)
            tabs = {name: tab(page, f"http://127.0.0.1:{medic_port}/ui/", name, options.loads)
                    for name in TABS}
            theirs = loads(page, f"http://127.0.0.1:{peer_port}/ui/", options.loads)
            browser.close()
    finally:
        for process in (medic, peer):
            process.terminate()
            process.wait(timeout=30)
    print(f"medic console overview, {options.incidents:,} incidents: "
          f"median {statistics.median(ours):.3f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in ours)})")
    for name, taken in tabs.items():
        print(f"medic console {name} tab ({options.incidents:,} incidents, "
              f"{options.predictions:,} predictions): median {statistics.median(taken):.3f} s "
              f"(runs {', '.join(f'{t:.2f}' for t in taken)})")
    print(f"bare Gradio page (peer): median {statistics.median(theirs):.3f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in theirs)})")
    floor = statistics.median(theirs)
    print(f"ratio overview/peer: {statistics.median(ours) / floor:.2f}, "
          + ", ".join(f"{name.lower()}/peer: {statistics.median(taken) / floor:.2f}"
                      for name, taken in tabs.items()))


if __name__ == "__main__":
    main()
