"""The Gradio console at /ui: overview, approvals and incidents over the service layer."""

import contextlib
import logging

log = logging.getLogger(__name__)


def mount(app, settings) -> None:
    """Serve the login routes now, and the Blocks at /ui once built (Gradio off `/ready`'s path).

    Until Gradio is imported and the Blocks built, /ui answers 503 with Retry-After (a
    browser sees a page that reloads itself); `/ready` says the API is ready, not the console.
    """
    from ui.console.deferred import Deferred
    from ui.console.routes import ConsoleEdge, router
    from ui.console.session import Logins, SessionSigner, signing_secret

    # each login is a row: a logout or a revoked key ends it at once, in every replica
    signer = SessionSigner(signing_secret(settings), hours=settings.ui_session_hours,
                           logins=Logins(lambda: app.state.root.sessions))
    app.state.console_sessions = signer
    app.include_router(router)
    app.add_middleware(ConsoleEdge, signer_of=lambda: app.state.console_sessions)
    console = Deferred(lambda: _gradio(app, signer), name="console")
    app.mount("/ui", console)
    serving = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(served):
        async with serving(served) as state, console.running():
            yield state

    app.router.lifespan_context = lifespan


def _gradio(app, signer):
    """Import Gradio, build the Blocks and let Gradio mount them on a `Holder` (seconds)."""
    import gradio as gr
    from fastapi import Request

    from ui.console.app import Console, build
    from ui.console.deferred import Holder
    from ui.console.session import COOKIE

    def signed_in(request: Request) -> str | None:
        principal = signer.read(request.cookies.get(COOKIE))
        return principal.name if principal else None

    holder = Holder(app)
    console = Console(medic=lambda: app.state.root.medic, signer=signer)
    gr.mount_gradio_app(holder, build(console), path="/ui", auth_dependency=signed_in,
                        footer_links=[], ssr_mode=False)
    log.info("console mounted at /ui")
    return holder
