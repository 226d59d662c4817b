"""The console opens after the API: /ui answers 503 with Retry-After until it is built."""

import contextlib
import threading
import time

import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.processes import PATIENCE, free_port, in_thread, local
from ui.console.deferred import Deferred, Holder


def slow_console(gate: threading.Event, events: list[str], *, fails: bool = False):
    """Return a build that waits for `gate`, then mounts a one-page app with a lifespan."""

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        events.append("started")
        yield
        events.append("stopped")

    def build() -> Holder:
        gate.wait(30)
        if fails:
            raise RuntimeError("no console today")
        holder = Holder(FastAPI())
        holder.router.lifespan_context = lifespan
        holder.mount("/ui", Starlette(routes=[Route("/page", lambda _: PlainTextResponse(
            "the console"))]))
        return holder

    return build


@contextlib.contextmanager
def served(deferred: Deferred):
    """Serve an API with `deferred` at /ui, as `mount` does, on 127.0.0.1 in a thread."""
    app = FastAPI(lifespan=lambda _app: deferred.running())
    app.get("/ready")(lambda: {"ready": True})
    app.mount("/ui", deferred)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    with in_thread(server, timeout=30) as thread:
        yield f"http://127.0.0.1:{port}", server, thread


def wait_for(check, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds * PATIENCE
    while not check():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.05)


def test_the_api_is_ready_while_the_console_builds_and_the_console_follows():
    gate, events = threading.Event(), []
    with served(Deferred(slow_console(gate, events), name="console")) as (url, _server, _):
        assert local.get(url + "/ready", timeout=5).status_code == 200
        waiting = local.get(url + "/ui/page", timeout=5)
        assert waiting.status_code == 503 and waiting.headers["retry-after"] == "2"
        assert "reloads itself" in waiting.text  # a browser sees a page that retries
        gate.set()
        wait_for(lambda: local.get(url + "/ui/page", timeout=5).status_code == 200)
        assert local.get(url + "/ui/page", timeout=5).text == "the console"
        assert events == ["started"]  # the console's own lifespan ran in the server
    assert events == ["started", "stopped"]


def test_a_console_that_fails_to_build_says_so_and_the_api_keeps_serving():
    gate, events = threading.Event(), []
    gate.set()
    deferred = Deferred(slow_console(gate, events, fails=True), name="console")
    with served(deferred) as (url, _server, _):
        wait_for(lambda: deferred.failed)
        failed = local.get(url + "/ui/page", timeout=5)
        assert failed.status_code == 503 and "retry-after" not in failed.headers
        assert "failed to start" in failed.text
        assert local.get(url + "/ready", timeout=5).status_code == 200
    assert events == []


def test_stopping_during_the_build_does_not_wait_for_it():
    gate, events = threading.Event(), []
    with served(Deferred(slow_console(gate, events), name="console")) as (url, server, thread):
        assert local.get(url + "/ui/page", timeout=5).status_code == 503
        server.should_exit = True
        thread.join(60)  # the gate is never opened: a stop that waited for the build would hang
        assert not thread.is_alive()
    gate.set()
    assert events == []
