"""Serve an ASGI app that is built off the start-up path: 503 with Retry-After until it is.

The console's Gradio takes seconds to import and build; `/ready` must not wait for it. The
build runs on a daemon thread once the server's lifespan starts (a shutdown never waits for
it), then its own lifespan runs in the server's loop and requests go through to it.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from threading import Thread
from types import SimpleNamespace

from core.heap import freeze_startup_objects

log = logging.getLogger(__name__)

RETRY_SECONDS = 2
STARTING = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{RETRY_SECONDS}"><title>Medic · starting</title></head>
<body style="font-family:sans-serif;padding:12vh 0;text-align:center">
<p>The console is starting; this page reloads itself.</p></body></html>""".encode()
FAILED = b"The console failed to start: see the server log."


class Holder:
    """What `gr.mount_gradio_app` needs of an app, so it can mount after the server started.

    Gradio mounts its app and wraps the parent's lifespan with its start-up events; the
    server's lifespan has begun by then, so the mount is kept here and `lifespan` is run by
    `Deferred` itself.
    """

    def __init__(self, served) -> None:
        self.user_middleware = served.user_middleware  # Gradio leaves CORS to the app's own
        self.router = SimpleNamespace(lifespan_context=_nothing)
        self.mounted = None

    def mount(self, path: str, app) -> None:
        """Keep the app Gradio mounts (at the path `Deferred` is mounted at)."""
        self.mounted = app

    def lifespan(self) -> contextlib.AbstractAsyncContextManager:
        """Return the lifespan Gradio set: its app's start-up and shutdown events."""
        return self.router.lifespan_context(self)


@contextlib.asynccontextmanager
async def _nothing(_app) -> AsyncIterator[None]:
    yield


class Deferred:
    """An ASGI app answering 503 until `build()` (run on a thread) returns a `Holder`."""

    def __init__(self, build: Callable[[], Holder], *, name: str) -> None:
        self._build, self._name = build, name
        self.app, self.failed = None, False

    async def __call__(self, scope, receive, send) -> None:
        if self.app is not None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1013})  # try again later
        if scope["type"] != "http":
            return None
        body, headers = (FAILED, [(b"content-type", b"text/plain; charset=utf-8")]) \
            if self.failed else (STARTING, [(b"content-type", b"text/html; charset=utf-8"),
                                            (b"retry-after", str(RETRY_SECONDS).encode())])
        await send({"type": "http.response.start", "status": 503,
                    "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Build and serve the app while the server runs; stop it with the server."""
        stop = asyncio.Event()
        task = asyncio.create_task(self._serve(stop))
        try:
            yield
        finally:
            stop.set()
            if self.app is None:  # still building: the daemon thread dies with the process
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _serve(self, stop: asyncio.Event) -> None:
        try:
            holder = await _on_thread(self._build, name=f"{self._name}-build")
            async with holder.lifespan():
                self.app = holder.mounted
                log.info("%s ready", self._name)
                freeze_startup_objects(self._name)
                await stop.wait()
        except Exception:  # the API keeps serving; the mount says it failed
            self.failed = True
            log.error("%s could not be started", self._name, exc_info=True)


async def _on_thread(call: Callable, *, name: str):
    """Await `call()` run on a daemon thread (the loop's executor would hold up a shutdown)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def settle(result, error) -> None:
        if not done.done():
            done.set_exception(error) if error else done.set_result(result)

    def run() -> None:
        try:
            result, error = call(), None
        except Exception as failure:
            result, error = None, failure
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
            loop.call_soon_threadsafe(settle, result, error)

    Thread(target=run, name=name, daemon=True).start()
    return await done
