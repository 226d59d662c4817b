"""Build the console's Gradio Blocks: each callback checks the session, calls one service."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from core.errors import AuthError, MedicError
from core.roles import Principal, require
from ui.console import approvals, audit, incidents, models, monitoring, overview, performance
from ui.console.session import COOKIE, SessionSigner

log = logging.getLogger(__name__)

LOGOUT = ('<form method="post" action="logout" style="margin:0;text-align:right">'
          '<button id="logout" type="submit" style="padding:4px 12px;border-radius:4px;'
          'border:1px solid #ccd;background:#fff;cursor:pointer;font-size:14px">'
          'Log out</button></form>')


@dataclass
class Console:
    """What the callbacks share: the service context and the session reader."""

    medic: Callable[[], object]
    signer: SessionSigner

    def who(self, request) -> Principal:
        """Return the session's principal; the server re-checks it on every action."""
        found = self.signer.read(dict(request.cookies or {}).get(COOKIE)) if request else None
        if found is None:
            raise AuthError("your session ended: log in again")
        return require(found, "read")  # every page shows what only readers may see


def literal(text: str) -> str:
    """Return text as HTML that shows it as typed: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br>")


def picker(console: Console, model: str | None) -> tuple[str, object]:
    """Return the model shown and the picker's update: every spec's name, that one chosen.

    The model is `model`, or the default model when none is picked yet or no spec has that
    name any more (a file removed since the page loaded).
    """
    import gradio as gr

    from services import watched

    medic = console.medic()
    names = watched.known(medic)
    chosen = model if model in names else medic.settings.default_model
    return chosen, gr.Dropdown(choices=names, value=chosen)


def build(console: Console):
    """Return the Blocks: who is logged in, then a tab per page (Overview first).

    Only the Overview is built with the page; each other tab is built the first time it is
    opened (`_lazily`), so the first load fetches and starts only the Overview's components.
    """
    import gradio as gr

    with gr.Blocks(title="Medic console") as demo:
        with gr.Row():
            who = gr.HTML()
            gr.HTML(LOGOUT, elem_id="logout-form", padding=False)
        with gr.Tabs() as tabs:
            with gr.Tab("Overview", id="overview", elem_id="tab-overview"):
                with gr.Row():
                    picked = gr.Dropdown(label="Model", choices=[], elem_id="overview-model",
                                         scale=0, min_width=240)
                summary = gr.HTML(elem_id="overview-summary")
            with gr.Tab("Monitoring", id="monitoring", elem_id="tab-monitoring") as tab:
                _lazily(gr, demo, tab, lambda shown: _monitoring(gr, console, shown))
            with gr.Tab("Performance", id="performance", elem_id="tab-performance") as tab:
                _lazily(gr, demo, tab, lambda shown: _performance(gr, console, shown))
            with gr.Tab("Approvals", id="approvals", elem_id="tab-approvals") as tab:
                _lazily(gr, demo, tab, lambda shown: _approvals(gr, console, shown))
            with gr.Tab("Incidents", id="incidents", elem_id="tab-incidents") as tab:
                incidents_opened = _lazily(gr, demo, tab,
                                           lambda shown: _incidents(gr, console, shown))
            with gr.Tab("Models", id="models", elem_id="tab-models") as tab:
                _lazily(gr, demo, tab, lambda shown: _models(gr, console, shown))
            with gr.Tab("Audit", id="audit", elem_id="tab-audit") as tab:
                _lazily(gr, demo, tab, lambda shown: _audit(gr, console, shown))
            with gr.Tab("Chat", id="chat", elem_id="tab-chat") as tab:
                _lazily(gr, demo, tab, lambda _shown: _chat(gr, console))

        def show_overview(model, request: gr.Request):
            from services.overview import overview as current

            principal = console.who(request)
            chosen, shown = picker(console, model)
            return (f"<b>Medic console</b> — {escape(principal.name)} "
                    f"({escape(principal.role)})",
                    overview.render(current(console.medic(), model=chosen)
                                    .model_dump(mode="json")), shown)

        def opened(request: gr.Request):
            """Open the Incidents tab when a message's link names one (`/ui/?incident=N`).

            Ticking its flag builds the tab; its own load shows the incident (`_incidents`).
            """
            shown = show_overview(None, request)
            if linked_incident(dict(request.query_params or {}).get("incident")) is None:
                return (*shown, gr.Tabs(), gr.Checkbox())
            return (*shown, gr.Tabs(selected="incidents"), True)

        demo.load(opened, outputs=[who, summary, picked, tabs, incidents_opened], queue=False)
        picked.input(show_overview, inputs=picked, outputs=[who, summary, picked], queue=False)
        gr.Timer(15).tick(show_overview, inputs=picked, outputs=[who, summary, picked])
    return demo


def _lazily(gr, demo, tab, draw):
    """Build a tab's components the first time it is opened; return its hidden flag.

    Each component type's code is a module the browser fetches and starts before the page
    shows, so the Overview's first load would pay for every tab's. The flag is a hidden
    checkbox the browser ticks itself when the tab is selected (no request); its change
    runs the render once, so what the tab holds afterwards (a typed comment, the chat, a
    decision being followed) stays across visits as it did. A hidden checkbox, not a
    `gr.State`: an unqueued event's change to a State does not reach the render. `draw`
    gets the events that fill the tab: the render's own load (the tab just built), then
    each later select. What `draw` builds that an event reads says `interactive=True`:
    Gradio (6.31) decides a rendered component's interactivity from its default value
    alone, so a radio or a page number with a value would be drawn disabled.
    """
    flag = gr.Checkbox(False, visible=False)
    tab.select(None, js="() => true", outputs=flag, queue=False)

    @gr.render(inputs=flag, triggers=[flag.change], queue=False)
    def build_once(opened: bool) -> None:
        if opened:
            draw((demo.load, tab.select))

    return flag


def _approvals(gr, console: Console, shown) -> None:
    cards = gr.HTML(elem_id="approval-cards")
    with gr.Row():
        choice = gr.Dropdown(label="Approval to decide", choices=[], elem_id="approval-choice",
                             interactive=True)
        comment = gr.Textbox(label="Comment", max_length=2000, elem_id="approval-comment",
                             interactive=True)
    with gr.Row():
        approve = gr.Button("Approve", variant="primary", visible=False, elem_id="approve")
        reject = gr.Button("Reject", variant="stop", visible=False, elem_id="reject")
        looking = gr.Button("I'm looking", visible=False, elem_id="acknowledge")
    status = gr.HTML(elem_id="decision-status")
    watched = gr.State(None)
    after = gr.HTML(elem_id="decision-progress")

    def refresh(request: gr.Request):
        from services import approvals as service
        from services.reports import incident_view

        principal = console.who(request)
        medic = console.medic()
        pending = [a.model_dump() for a in service.pending(medic)]
        drawn = [approvals.card(a, incident_view(medic, a["incident_id"]).model_dump()
                                if n < 10 else None)
                 for n, a in enumerate(pending)]
        choices = [(f"approval {a['id']} · incident {a['incident_id']} · "
                    + ", ".join(s["tool"] for s in a["actions"]), a["id"]) for a in pending]
        may = principal.may("decide")
        return (approvals.inbox(drawn),
                gr.Dropdown(choices=choices, value=choices[0][1] if choices else None,
                            visible=may),
                gr.Textbox(visible=may), gr.Button(visible=may), gr.Button(visible=may),
                gr.Button(visible=may))

    def decide(approval_id, text, approve_it: bool, request: gr.Request):
        from services import approvals as service

        if approval_id is None:
            return "Pick an approval first.", None
        try:
            done = service.decide(console.medic(), int(approval_id),
                                  principal=console.who(request), approve=approve_it,
                                  comment=text or "")
        except MedicError as error:
            return f"<b>Not done:</b> {escape(str(error))}", None
        if done.status == "pending":  # the first of two approvers
            return (f"Approval {done.id}: {len(done.approved_by)} of {done.required} "
                    f"approvals (approved by {escape(', '.join(done.approved_by))}); the plan "
                    "runs when another approver approves it too.", None)
        return (f"Approval {done.id} <b>{escape(done.status)}</b> by "
                f"{escape(done.decided_by)}. Incident {done.incident_id}'s progress shows "
                "below as the agent works.",
                done.incident_id)

    def acknowledge(approval_id, request: gr.Request):
        from services import approvals as service

        if approval_id is None:
            return "Pick an approval first."
        try:
            seen = service.acknowledge(console.medic(), int(approval_id),
                                       principal=console.who(request))
        except MedicError as error:
            return f"<b>Not done:</b> {escape(str(error))}"
        return (f"{escape(str(seen.acknowledged_by))} is looking at approval {seen.id}: the "
                "reminders stopped; nothing is decided yet.")

    def follow(incident_id, request: gr.Request):
        from services import incidents as service

        if incident_id is None:
            return ""
        console.who(request)
        return approvals.progress(service.detail(console.medic(), incident_id).model_dump())

    outputs = [cards, choice, comment, approve, reject, looking]
    looking.click(acknowledge, inputs=choice, outputs=status).then(refresh, outputs=outputs)
    ticker = gr.Timer(2, active=False)  # follows a decided incident once there is one
    for trigger in shown:
        trigger(refresh, outputs=outputs, queue=False)  # reads answer at once, unqueued
    for button, verdict in ((approve, True), (reject, False)):
        button.click(_decider(decide, verdict), inputs=[choice, comment],
                     outputs=[status, watched]).then(refresh, outputs=outputs) \
            .then(follow, inputs=watched, outputs=after) \
            .then(lambda: gr.Timer(active=True), outputs=ticker)
    ticker.tick(follow, inputs=watched, outputs=after)


def _decider(decide, verdict: bool):
    import gradio as gr

    def run(approval_id, text, request: gr.Request):
        return decide(approval_id, text, verdict, request)
    return run


def _incidents(gr, console: Console, shown) -> None:
    """Wire the paged list and one incident's story (alone, when a link names one)."""
    built, selected = shown
    with gr.Row():
        state = gr.Dropdown(incidents.STATES, value="all", label="State", scale=1,
                            interactive=True)
        limit = gr.Slider(10, 500, value=100, step=10, label="Per page", scale=2,
                          interactive=True)
    number, newer, older = _pager(gr, "incidents")
    listing = gr.HTML(elem_id="incident-list")
    with gr.Row():
        chosen = gr.Number(label="Incident #", precision=0, scale=1, interactive=True)
        show = gr.Button("Show", scale=0)
    story = gr.HTML(elem_id="incident-story")

    def load_list(wanted, how_many, at, request: gr.Request):
        from services import incidents as service

        console.who(request)
        found = service.page(console.medic(), state=None if wanted == "all" else wanted,
                             number=int(at or 1), size=int(how_many))
        return incidents.listing(found.model_dump()), found.number

    def load_story(incident_id, request: gr.Request):
        from services import incidents as service

        console.who(request)
        if not incident_id or incident_id < 1:
            return ""
        try:
            return incidents.story(service.detail(console.medic(), int(incident_id)).model_dump())
        except MedicError as error:
            return f"<p>{escape(str(error))}</p>"

    def first_view(wanted, how_many, request: gr.Request):
        """Show page 1; or, opened by a link to an incident, that incident's story alone."""
        linked = linked_incident(dict(request.query_params or {}).get("incident"))
        if linked is None:
            return (*load_list(wanted, how_many, 1, request), gr.Number(), gr.HTML())
        return gr.HTML(), gr.Number(), gr.Number(value=linked), load_story(linked, request)

    _paged(load_list, inputs=[state, limit], number=number, newer=newer, older=older,
           outputs=[listing, number], first=(selected, state.change, limit.release))
    built(first_view, inputs=[state, limit], outputs=[listing, number, chosen, story],
          queue=False)
    show.click(load_story, inputs=chosen, outputs=story)


def linked_incident(value: str | None) -> int | None:
    """Return the incident number a link asks for, or None (anything but digits is ignored)."""
    return int(value) if value and value.isdigit() and 0 < len(value) <= 12 else None


def _pager(gr, name: str):
    """Return a page number box between Newer and Older buttons."""
    with gr.Row():
        newer = gr.Button("← Newer", scale=0, elem_id=f"{name}-newer")
        number = gr.Number(value=1, precision=0, minimum=1, label="Page", scale=0,
                           elem_id=f"{name}-page", interactive=True)
        older = gr.Button("Older →", scale=0, elem_id=f"{name}-older")
    return number, newer, older


def _paged(load, *, inputs, number, newer, older, outputs, first) -> None:
    """Wire a paged list of two filters: `first` shows page 1, buttons turn, Enter jumps."""
    import gradio as gr

    def turn(step: int):
        def run(first_input, second_input, at, request: gr.Request):
            return load(first_input, second_input, int(at or 1) + step, request)
        return run

    def page_one(first_input, second_input, request: gr.Request):
        return load(first_input, second_input, 1, request)

    for trigger in first:
        trigger(page_one, inputs=inputs, outputs=outputs, queue=False)
    number.submit(turn(0), inputs=[*inputs, number], outputs=outputs, queue=False)
    newer.click(turn(-1), inputs=[*inputs, number], outputs=outputs, queue=False)
    older.click(turn(1), inputs=[*inputs, number], outputs=outputs, queue=False)


def _audit(gr, console: Console, shown) -> None:
    with gr.Row():
        incident = gr.Number(label="Incident # (0: all)", value=0, precision=0, scale=1,
                             interactive=True)
        limit = gr.Slider(20, 1000, value=200, step=20, label="Per page", scale=2,
                          interactive=True)
        check = gr.Button("Verify the chain", scale=0, elem_id="audit-verify")
    number, newer, older = _pager(gr, "audit")
    verdict = gr.HTML(elem_id="audit-verdict")
    rows = gr.HTML(elem_id="audit-entries")

    def show(incident_id, how_many, at, request: gr.Request):
        from services import audit as service

        console.who(request)
        wanted = int(incident_id) if incident_id and incident_id > 0 else None
        found = service.page(console.medic(), incident_id=wanted, number=int(at or 1),
                             size=int(how_many))
        return audit.entries(found.model_dump()), found.number

    def verify(request: gr.Request):
        from services import audit as service

        console.who(request)
        return audit.verdict(service.verify(console.medic()).model_dump())

    _paged(show, inputs=[incident, limit], number=number, newer=newer, older=older,
           outputs=[rows, number], first=(*shown, incident.submit, limit.release))
    check.click(verify, outputs=verdict)


def _models(gr, console: Console, opened) -> None:
    with gr.Row():
        picked = gr.Dropdown(label="Model", choices=[], elem_id="models-model", scale=0,
                             min_width=240, interactive=True)
    versions = gr.HTML(elem_id="model-versions")
    rollout = gr.HTML(elem_id="model-rollout")
    with gr.Row(visible=False) as controls:
        expected = gr.Textbox(label="Champion now (compare-and-set)", scale=1,
                              interactive=True)
        version = gr.Textbox(label="Version to promote", scale=1, interactive=True)
        reason = gr.Textbox(label="Why", scale=2, interactive=True)
    with gr.Row(visible=False) as buttons:
        promote = gr.Button("Promote", variant="primary", elem_id="promote")
        rollback = gr.Button("Roll back to previous", variant="stop", elem_id="rollback")
    outcome = gr.HTML(elem_id="model-outcome")

    shown = [versions, rollout, controls, buttons, expected, picked]

    def show(model, request: gr.Request):
        from services import models as service
        from services import rollouts

        may = console.who(request).may("manage_models")
        chosen, shown_picker = picker(console, model)
        found = service.overview(console.medic(), model=chosen).model_dump()
        champion = next((v["version"] for v in found["versions"]
                         if "champion" in v["aliases"]), "")
        trying = rollouts.view(console.medic(), chosen)  # its shadow or canary, if any
        return (models.render(found), models.rollout(trying.model_dump(mode="json")),
                gr.Row(visible=may), gr.Row(visible=may), gr.Textbox(value=champion),
                shown_picker)

    def change(to_version, was, why, model, request: gr.Request):
        from services import models as service

        try:
            if to_version is None:
                service.rollback(console.medic(), expected=was, principal=console.who(request),
                                 reason=why, model=model)
            else:
                service.promote(console.medic(), to_version, expected=was,
                                principal=console.who(request), reason=why, model=model)
        except MedicError as error:
            return f"<b>Not done:</b> {escape(str(error))}"
        return "<b>Done.</b> The served model follows the champion within seconds."

    for trigger in (*opened, picked.input):
        trigger(show, inputs=picked, outputs=shown, queue=False)
    promote.click(change, inputs=[version, expected, reason, picked], outputs=outcome) \
        .then(show, inputs=picked, outputs=shown)

    def roll_back(was, why, model, request: gr.Request):
        return change(None, was, why, model, request)

    rollback.click(roll_back, inputs=[expected, reason, picked], outputs=outcome) \
        .then(show, inputs=picked, outputs=shown)


def _monitoring(gr, console: Console, shown) -> None:
    with gr.Row():
        picked = gr.Dropdown(label="Model", choices=[], elem_id="monitoring-model", scale=0,
                             min_width=240, interactive=True)
        period = gr.Radio(list(monitoring.PERIODS), value="last 24 hours", label="Period",
                          elem_id="monitoring-period", interactive=True)
    plots = gr.HTML(elem_id="monitoring-plots")

    def show(chosen, model, request: gr.Request):
        from services.monitors.series import series

        console.who(request)
        name, shown = picker(console, model)
        found = series(console.medic(), hours=monitoring.PERIODS[chosen], model=name)
        return monitoring.render(found.model_dump()), shown

    for trigger in (*shown, period.change, picked.input):
        trigger(show, inputs=[period, picked], outputs=[plots, picked], queue=False)


def _performance(gr, console: Console, shown) -> None:
    with gr.Row():
        picked = gr.Dropdown(label="Model", choices=[], elem_id="performance-model", scale=0,
                             min_width=240, interactive=True)
        period = gr.Radio(list(performance.PERIODS), value="last 24 hours", label="Period",
                          elem_id="performance-period", interactive=True)
    page = gr.HTML(elem_id="performance-page")

    def show(chosen, model, request: gr.Request):
        from services.performance import performance as measured

        console.who(request)
        name, shown = picker(console, model)
        found = measured(console.medic(), model=name, hours=performance.PERIODS[chosen])
        return performance.render(found.model_dump(mode="json")), shown

    for trigger in (*shown, period.change, picked.input):
        trigger(show, inputs=[period, picked], outputs=[page, picked], queue=False)


def _chat(gr, console: Console) -> None:
    answers = gr.Chatbot(label="Questions about Medic's state (read-only: chat cannot act)",
                         elem_id="chat-answers", height=420, buttons=["copy", "copy_all"],
                         render_markdown=False, latex_delimiters=[])  # text, never markup
    question = gr.Textbox(label="Question", max_length=2000, elem_id="chat-question",
                          placeholder="Which model is in production? What happened with "
                                      "incident 3? Is anything waiting for approval?",
                          interactive=True)

    kept = gr.State([])  # the history lives on the server: the browser's copy is not read
    asked = gr.State("")

    def take(text, shown, request: gr.Request):
        """Move the question into the history; the box waits until the answer is whole."""
        console.who(request)
        if not text.strip():
            return shown, shown, gr.update(value=""), ""
        shown = [*shown, {"role": "user", "content": literal(text)}]
        return shown, shown, gr.update(value="", interactive=False), text

    def answer(text, shown, request: gr.Request):
        from services import chat

        principal = console.who(request)
        if not text:
            yield shown, shown
            return
        shown = [*shown, {"role": "assistant", "content": ""}]
        for piece in chat.stream(console.medic(), text, principal=principal):
            shown[-1]["content"] += literal(piece)  # alert text is quoted in answers
            yield shown, shown

    # a question typed while an answer streams is neither dropped nor wiped: the box is
    # read-only until the answer ends (whether or not it ended well)
    question.submit(take, inputs=[question, kept], outputs=[answers, kept, question, asked],
                    queue=False) \
        .then(answer, inputs=[asked, kept], outputs=[answers, kept]) \
        .then(lambda: gr.update(interactive=True), outputs=question, queue=False)
