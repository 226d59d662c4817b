"""`medic simulate`: send real UCI patients through a running Medic; show what monitors saw."""

import json
import math
import time
from typing import Annotated

import typer

from cli.common import KeyOption, console, fail, medic, settings

Site = Annotated[str, typer.Option(help="Whose patients: cleveland, hungarian, switzerland "
                                        "or va.")]


def simulate(
    site: Site = "cleveland",
    rows: Annotated[int, typer.Option(min=1, max=100_000, help="How many predictions.")] = 200,
    labels: Annotated[bool, typer.Option("--labels", help="Also send each patient's true "
                                         "label to /v1/feedback.")] = False,
    rate: Annotated[float, typer.Option(min=0, help="Predictions a second (0: as fast as "
                                        "the server answers).")] = 0.0,
    url: Annotated[str, typer.Option(help="The running Medic.")] = "http://127.0.0.1:8000",
    key: KeyOption = None,
    seed: Annotated[int, typer.Option(help="Which patients, in which order.")] = 0,
    check: Annotated[bool, typer.Option(help="Run the monitors afterwards (on this "
                                        "machine's MEDIC_HOME database).")] = True,
    again: Annotated[bool, typer.Option("--again", help="Send the site's patients from the "
                                        "first again, instead of those not sent yet.")] = False,
    model_name: Annotated[str | None, typer.Option("--model", help="Replay this model's "
                                                   "data (with --from and --to) through "
                                                   "/v1/models/NAME/predict.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="The first month replayed, "
                                              "YYYY-MM.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="The last month replayed, "
                                            "YYYY-MM.")] = None,
    speed: Annotated[float, typer.Option(min=0, help="Replay: seconds of the data's time "
                                         "per second (0: as fast as the server "
                                         "answers).")] = 0.0,
):
    """Send a UCI site's patients through /v1/predict (and labels to /v1/feedback).

    Each run continues with the site's patients not sent before (kept in MEDIC_HOME), so
    patients sent after a retrain are not the ones it trained on; `--again` starts over.
    With `--model NAME --from YYYY-MM --to YYYY-MM`, the model's rows dated in those
    months are replayed in time order through /v1/models/NAME/predict instead.
    """
    import httpx
    from rich.progress import Progress

    from ml import data, spec

    if not key:
        fail("this needs a predictor key: pass --key or set MEDIC_API_KEY")
    config = settings()
    if model_name is not None or start is not None or end is not None:
        _replay(config, model_name, start, end, labels=labels, speed=speed, url=url, key=key,
                check=check)
        return
    if site not in data.SITES:
        fail(f"--site must be one of {', '.join(data.SITES)}, not {site!r}")
    model = spec.of(config)
    frame = data.load_site(config.data_dir, site, model)
    cursor = Cursor(config.home / CURSOR_FILE, f"{site}/{seed}")
    start = 0 if again else cursor.sent()
    chosen = patients(frame, rows, seed, model, start=start)
    if start + rows > len(frame):
        console.print(f"{site} has {len(frame)} patients and {start} were sent before: "
                      f"{start + rows - len(frame)} of these {rows} are sent again")
    sent = refused = labelled = 0
    problem = ""
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as client, \
            Progress(console=console) as progress:
        task = progress.add_task(f"{site} patients", total=rows)
        started = time.monotonic()
        for i, (patient, truth) in enumerate(chosen):
            if rate:
                time.sleep(max(0.0, started + i / rate - time.monotonic()))
            answer = _post(client, "/v1/predict", patient)
            if answer.status_code in (401, 403):
                fail(f"{url} refused the key: {answer.json().get('detail', answer.text)}")
            if not answer.is_success:
                refused += 1
                problem = problem or _problem(answer)
            else:
                sent += 1
                if labels:
                    told = _post(client, "/v1/feedback", {
                        "request_id": answer.json()["request_id"], "label": truth})
                    labelled += told.is_success
                    problem = problem or _problem(told)
            progress.advance(task)
    cursor.save(max(cursor.sent(), start + rows))  # `--again` leaves the count as it was
    console.print(f"{sent} predictions answered, {refused} refused, {labelled} labels sent "
                  f"({site}, {rows} rows, {time.monotonic() - started:.1f} s)")
    if problem:
        console.print(f"first refusal: {problem}", soft_wrap=True)
    if check:
        _check(config, config.default_model)  # the sites are the default model's traffic


CURSOR_FILE = "simulate-sent.json"


class Cursor:
    """How many of a site's patients (in a seed's order) earlier runs sent."""

    def __init__(self, path, key: str) -> None:
        self._path, self._key = path, key

    def _all(self) -> dict:
        try:
            found = json.loads(self._path.read_text())
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def sent(self) -> int:
        """Return how many patients were sent before."""
        value = self._all().get(self._key, 0)
        return value if isinstance(value, int) and value >= 0 else 0

    def save(self, sent: int) -> None:
        """Remember that `sent` patients have been sent."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._path.write_text(json.dumps({**self._all(), self._key: sent}))


def patients(frame, rows: int, seed: int, model, *,
             start: int = 0) -> list[tuple[dict, int]]:
    """Pick `rows` patients after the first `start` (every one once before any twice)."""
    import numpy as np

    from ml import data

    order = np.concatenate([np.random.default_rng(seed + n).permutation(len(frame))
                            for n in range(math.ceil((start + rows) / len(frame)))])
    order = order[start:start + rows]
    picked = frame.iloc[order]
    records = data.features(picked, model).to_dict("records")
    ranges = {f.name: f.range for f in model.features if f.range is not None}
    return [({k: _value(v, ranges.get(k)) for k, v in r.items()}, int(truth))
            for r, truth in zip(records, picked[model.label], strict=True)]


def _value(value, bounds):
    """Send a missing value, or one outside the spec's range (UCI's 0 = unknown), as null."""
    if value != value or (bounds is not None and not bounds[0] <= value <= bounds[1]):
        return None
    return value


def _problem(answer) -> str:
    if answer.status_code < 400:
        return ""
    try:
        detail = answer.json()
    except ValueError:
        detail = answer.text[:200]
    return f"{answer.request.url.path} answered {answer.status_code}: {detail}"


def _post(client, path: str, body: dict):
    import httpx

    try:
        return client.post(path, json=body)
    except httpx.HTTPError as error:
        fail(f"cannot reach {client.base_url}: {error}")


def _replay(config, model_name, start, end, *, labels: bool, speed: float, url: str, key: str,
            check: bool) -> None:
    """Replay a model's months in time order through its own route; then its monitors."""
    import httpx

    from cli import replay
    from core.errors import MedicError
    from ml import spec

    if model_name is None or start is None or end is None:
        fail("a replay needs --model, --from and --to")
    try:
        model = spec.of(config, model_name)
    except MedicError as error:
        fail(error)
    chosen = replay.rows(config, model, start, end)
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as client:
        done = replay.replay(client, model, chosen, labels=labels, speed=speed)
    console.print(f"{done['sent']} predictions answered, {done['refused']} refused, "
                  f"{done['labelled']} labels sent ({model.name}, {start} to {end}, "
                  f"{len(chosen)} rows, {done['seconds']:.1f} s)")
    if done["problem"]:
        console.print(f"first refusal: {done['problem']}", soft_wrap=True)
    if check:
        _check(config, model.name)


def _check(config, model: str | None = None) -> None:
    from cli.monitor import show
    from services.monitors import run as monitors

    time.sleep(config.log_flush_seconds + 0.5)  # the server writes its log in batches
    with medic() as opened:
        show(monitors.run_checks(opened, model=model))
