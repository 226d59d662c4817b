"""A local HTTP receiver for outgoing webhooks: keeps each POST, answers queued statuses."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver(BaseHTTPRequestHandler):
    """Keeps (headers, body) of each POST and answers the next queued status (else 202)."""

    got: list = []
    answers: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).got.append((dict(self.headers), body))
        self.send_response(type(self).answers.pop(0) if type(self).answers else 202)
        self.end_headers()

    def log_message(self, *args):
        """Quiet."""


@contextmanager
def receiving(path: str = "/retrain") -> Iterator[str]:
    """Serve a fresh Receiver on 127.0.0.1; yield its URL."""
    Receiver.got, Receiver.answers = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
