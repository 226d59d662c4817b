"""`medic simulate --model bike-demand --from --to`: a model's months, in time order, over HTTP.

The per-model routes are another change's; a small server on 127.0.0.1 stands in for them
here and keeps what it was sent, so what the replay sends (which rows, in which order, in
which shape) is checked over real HTTP.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app
from core.settings import PROJECT_ROOT
from ml import data, spec

BIKE = spec.load(PROJECT_ROOT / "configs" / "models" / "bike-demand.yaml")


@pytest.fixture
def server():
    """A stand-in for /v1/models/{name}/predict and /feedback that keeps every body."""
    received: list[tuple[str, dict]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the standard library's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.path, body))
            answer = {"request_id": f"r{len(received)}", "model": "bike-demand",
                      "version": "1", "prediction": 100.0}
            if self.headers.get("X-API-Key") != "predictor-key":
                self.send_response(403)
                answer = {"detail": "this key may not predict"}
            else:
                self.send_response(200)
            encoded = json.dumps(answer).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, *_args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIC_HOME", str(tmp_path / "medic"))


def test_may_and_june_2011_are_sent_in_time_order_as_the_file_has_them(server, home):
    url, received = server
    done = CliRunner().invoke(app, [
        "simulate", "--model", "bike-demand", "--from", "2011-05", "--to", "2011-06",
        "--labels", "--url", url, "--key", "predictor-key", "--no-check"])
    assert done.exit_code == 0, done.output

    frame = data.load(PROJECT_ROOT / "data" / "raw" / BIKE.reference.file, BIKE)
    months = frame[(frame["dteday"] >= "2011-05-01") & (frame["dteday"] < "2011-07-01")]
    predicted = [body for path, body in received if path == "/v1/models/bike-demand/predict"]
    labelled = [body for path, body in received if path == "/v1/models/bike-demand/feedback"]
    assert len(predicted) == len(labelled) == len(months)
    assert f"{len(months)} predictions answered, 0 refused, {len(months)} labels sent" \
        in done.output
    days = [body["dteday"] for body in predicted]
    assert days == sorted(days) and days[0] == "2011-05-01" and days[-1] == "2011-06-30"
    assert set(predicted[0]) == {*BIKE.feature_names, "dteday"}  # never cnt, casual, registered
    assert {body["hr"] for body in predicted} >= {"12am", "6am", "5pm"}
    assert any(body["weathersit"] is None for body in predicted)  # missing is sent as null
    assert sum(label["label"] for label in labelled) == pytest.approx(months["cnt"].sum())
    first = predicted[0]
    same = months[(months["dteday"] == pd.Timestamp(first["dteday"]))
                  & (months["hr"] == first["hr"])]
    assert labelled[0] == {"request_id": "r1", "label": float(same["cnt"].iloc[0])}


def test_a_replay_says_in_one_line_what_is_wrong(server, home):
    url, _received = server
    runner = CliRunner()
    base = ["simulate", "--url", url, "--key", "predictor-key", "--no-check"]
    for args, message in [
        (["--model", "bike-demand", "--from", "2011-4", "--to", "2011-06"],
         "--from takes a month as YYYY-MM, not '2011-4'"),
        (["--model", "bike-demand", "--from", "2011-06", "--to", "2011-04"],
         "--to 2011-04 is before --from 2011-06"),
        (["--model", "bike-demand", "--from", "2031-01", "--to", "2031-02"],
         "bike-demand has no rows from 2031-01 to 2031-02"),
        (["--model", "heart-disease", "--from", "2011-01", "--to", "2011-02"],
         "heart-disease has no time column"),
        (["--model", "nope", "--from", "2011-01", "--to", "2011-02"],
         "unknown model 'nope'; known: bike-demand, heart-disease"),
        (["--from", "2011-01", "--to", "2011-02"], "a replay needs --model, --from and --to"),
    ]:
        done = runner.invoke(app, [*base, *args])
        assert done.exit_code == 2 and message in done.output, (args, done.output)
    refused = runner.invoke(app, ["simulate", "--model", "bike-demand", "--from", "2011-06",
                                  "--to", "2011-06", "--url", url, "--key", "viewer-key",
                                  "--no-check"])
    assert refused.exit_code == 2 and "refused the key: this key may not predict" \
        in refused.output
