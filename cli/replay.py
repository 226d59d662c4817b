"""`medic simulate --model NAME --from YYYY-MM --to YYYY-MM`: replay a model's months in order.

The rows of the model's data file dated in those months (its spec's time column) are sent
to `/v1/models/NAME/predict` as the file has them (categories as texts, missing values as
null, the time column too), oldest first; with `--labels` each row's target goes to
`/v1/models/NAME/feedback` with the answer's request id. `--speed N` replays N seconds of
the data's time per second (0: as fast as the server answers).
"""

import re
import time
from dataclasses import dataclass

from cli.common import console, fail

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Row:
    """One row to send: its body, its target, and when it happened."""

    body: dict
    target: float
    at: float  # seconds since the epoch, by the time column


def months(start: str, end: str):
    """Return the first instant of `start`'s month and of the month after `end`'s."""
    import pandas as pd

    for given, option in ((start, "--from"), (end, "--to")):
        if not MONTH.fullmatch(given or ""):
            fail(f"{option} takes a month as YYYY-MM, not {given!r}")
    first, after = pd.Timestamp(f"{start}-01"), pd.Timestamp(f"{end}-01") + pd.DateOffset(
        months=1)
    if after <= first:
        fail(f"--to {end} is before --from {start}")
    return first, after


def rows(config, model, start: str, end: str) -> list[Row]:
    """Return the model's rows dated from `start` to `end` (months, inclusive), oldest first."""
    from ml import data

    column = model.reference.time_column
    if column is None:
        fail(f"{model.name} has no time column (reference.time_column): --from/--to need one")
    first, after = months(start, end)
    frame = data.load(config.data_dir / model.reference.file, model,
                      source=model.reference.file)
    frame = frame[(frame[column] >= first) & (frame[column] < after)]
    if frame.empty:
        fail(f"{model.name} has no rows from {start} to {end}")
    frame = frame.sort_values(column, kind="stable")
    sent = [*model.feature_names, column]
    return [Row(body={k: _plain(v, k == column) for k, v in record.items()},
                target=float(target), at=stamp.timestamp())
            for record, target, stamp in zip(frame.loc[:, sent].to_dict("records"),
                                              frame[model.target.name], frame[column],
                                              strict=True)]


def _plain(value, dated: bool):
    """Return a JSON value: a date as YYYY-MM-DD, a missing value as null."""
    if value is None or value != value:
        return None
    if dated:
        return value.strftime("%Y-%m-%d")
    return value.item() if hasattr(value, "item") else value


def replay(client, model, chosen: list[Row], *, labels: bool, speed: float) -> dict:
    """Send the rows in order (paced by `speed`); return what was answered and labelled."""
    from rich.progress import Progress

    from cli.simulate import _post, _problem

    predict, feedback = f"/v1/models/{model.name}/predict", f"/v1/models/{model.name}/feedback"
    done = {"sent": 0, "refused": 0, "labelled": 0, "problem": ""}
    started = time.monotonic()
    with Progress(console=console) as progress:
        task = progress.add_task(f"{model.name} rows", total=len(chosen))
        for row in chosen:
            if speed:
                time.sleep(max(0.0, started + (row.at - chosen[0].at) / speed
                               - time.monotonic()))
            answer = _post(client, predict, row.body)
            if answer.status_code in (401, 403):
                fail(f"{client.base_url} refused the key: "
                     f"{answer.json().get('detail', answer.text)}")
            if not answer.is_success:
                done["refused"] += 1
                done["problem"] = done["problem"] or _problem(answer)
            else:
                done["sent"] += 1
                if labels:
                    told = _post(client, feedback, {"request_id": answer.json()["request_id"],
                                                    "label": row.target})
                    done["labelled"] += told.is_success
                    done["problem"] = done["problem"] or _problem(told)
            progress.advance(task)
    done["seconds"] = time.monotonic() - started
    return done
