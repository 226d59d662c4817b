"""What a notification costs the agent: queued in the outbox vs. sent inline (the peer).

A local receiver on 127.0.0.1 answers like Slack after a fixed delay. The peer posts each
message inline, as a synchronous notifier would (the same Block Kit payload over httpx);
Medic stores the message and its outbox item, and `Outbox.deliver_due` sends them later.
Run: PYTHONPATH=. python bench/notify.py [--messages 60] [--delay-ms 50]
"""

import argparse
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pydantic import SecretStr

from core.channels.message import Message
from core.channels.slack import SlackChannel
from core.clock import utcnow
from core.db import connect
from core.notify import Notifier
from core.outbox import Outbox
from core.settings import Settings


def receiver(delay: float) -> ThreadingHTTPServer:
    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802  (http.server's naming)
            self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(delay)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args):
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.99 * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    args = parser.parse_args()
    server = receiver(args.delay_ms / 1000)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    home = Path(tempfile.mkdtemp(prefix="medic-bench-notify-"))
    settings = Settings(home=home, slack_webhook_url=url, _env_file=None)
    sessions = connect(settings.database_url)
    notifier = Notifier.from_settings(sessions, settings)
    outbox = Outbox.from_settings(sessions, settings)
    inline = SlackChannel(SecretStr(url))

    def message(n: int) -> dict:
        return {"subject": f"Approve rollback {n}", "body": "F1 fell to 0.55",
                "incident_id": n, "kind": "approval", "severity": "high",
                "diagnosis": ["F1 0.55 < 0.75"], "actions": ["rollback to version 1"]}

    peer, queued = [], []
    for n in range(args.messages):
        fields = message(n)
        started = time.perf_counter()
        inline.send(Message(subject=fields.pop("subject"), **fields))
        peer.append(time.perf_counter() - started)
        fields = message(n)
        started = time.perf_counter()
        notifier.send(fields.pop("subject"), fields.pop("body"), **fields)
        queued.append(time.perf_counter() - started)
    started = time.perf_counter()
    sent = []
    while batch := outbox.deliver_due(utcnow() + timedelta(seconds=1)):
        sent += batch
    drain = time.perf_counter() - started
    server.shutdown()

    peer_p50, peer_p99 = percentiles(peer)
    medic_p50, medic_p99 = percentiles(queued)
    print(f"messages: {args.messages}, receiver delay {args.delay_ms:.0f} ms")
    print(f"peer (inline send)   per message: p50 {peer_p50 * 1000:.2f} ms, "
          f"p99 {peer_p99 * 1000:.2f} ms")
    print(f"medic (outbox queue) per message: p50 {medic_p50 * 1000:.2f} ms, "
          f"p99 {medic_p99 * 1000:.2f} ms")
    print(f"outbox drain: {sum(a.status == 'sent' for a in sent)} sent in {drain:.2f} s "
          f"({len(sent) / drain:.1f} messages/s)")
    print(f"ratio: {peer_p50 / medic_p50:.2f}")


if __name__ == "__main__":
    main()
