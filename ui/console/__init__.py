"""The Gradio console at /ui: overview, approvals and incidents over the service layer."""

import logging

log = logging.getLogger(__name__)


def mount(app, settings) -> None:
    """Add the console's routes and mount its Blocks at /ui (imports Gradio only now)."""
    import gradio as gr
    from fastapi import Request

    from ui.console.app import Console, build
    from ui.console.routes import ConsoleEdge, router
    from ui.console.session import COOKIE, SessionSigner, signing_secret

    def still_held(principal) -> bool:  # the key behind a session must not be revoked
        from core.keys import holds

        with app.state.services.sessions() as session:
            return holds(session, name=principal.name, role=principal.role)

    signer = SessionSigner(signing_secret(settings), hours=settings.ui_session_hours,
                           still_held=still_held)
    app.state.console_sessions = signer

    def signed_in(request: Request) -> str | None:
        principal = signer.read(request.cookies.get(COOKIE))
        return principal.name if principal else None

    app.include_router(router)
    app.add_middleware(ConsoleEdge, signer_of=lambda: app.state.console_sessions)
    console = Console(medic=lambda: app.state.services.medic, signer=signer)
    gr.mount_gradio_app(app, build(console), path="/ui", auth_dependency=signed_in,
                        footer_links=[], ssr_mode=False)
    log.info("console mounted at /ui")
