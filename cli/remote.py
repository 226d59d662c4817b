"""Ask the `medic up` serving this home over HTTP, so a read needs no MLflow and no agent.

`medic up` announces itself in `MEDIC_HOME/server.json` (its URL and process id, 0600) and
withdraws the file when it stops. A read-only command given a key asks that server first:
the answer is the route's, which calls the same service function the command would. With no
server, no key, or a server that does not answer, the command opens the home itself.
"""

import json
import logging
import os
from pathlib import Path

from cli.common import fail

log = logging.getLogger(__name__)
SERVER_FILE = "server.json"
WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def announce(home: Path, *, host: str, port: int) -> Path:
    """Write where this process serves the home; return the file to withdraw at exit."""
    host = WILDCARDS.get(host, host)
    url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    path = home / SERVER_FILE
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump({"url": url, "pid": os.getpid()}, out)
    return path


def withdraw(path: Path) -> None:
    """Remove the announcement if it is still this process's."""
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def served_at(home: Path) -> str | None:
    """Return the URL of a live `medic up` serving `home`, or None."""
    try:
        found = json.loads((home / SERVER_FILE).read_text())
        os.kill(int(found["pid"]), 0)  # raises if that process is gone
        return str(found["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ask(home: Path, key: str | None, method: str, path: str, **request) -> dict | list | None:
    """Return the running server's JSON answer, or None to say "open the home yourself".

    A key the server refuses ends the command with the server's reason, as the key would be
    refused locally; a server that is starting, stopping or broken is passed over.
    """
    answer = _answer(home, key, method, path, **request)
    return answer.json() if answer is not None else None


def fetch(home: Path, key: str | None, path: str, **request) -> bytes | None:
    """Return the body of the running server's answer to a GET (a PDF), or None, as `ask`."""
    answer = _answer(home, key, "GET", path, **request)
    return answer.content if answer is not None else None


def _answer(home: Path, key: str | None, method: str, path: str, **request):
    """Return the server's 200 answer, or None; end the command if it refuses the key."""
    url = served_at(home)
    if not key or url is None:
        return None
    import httpx

    try:
        answer = httpx.request(method, url + path, headers={"X-API-Key": key},
                               timeout=request.pop("timeout", 10), **request)
    except httpx.HTTPError as error:
        log.info("the server at %s did not answer (%s): opening the home", url, type(error))
        return None
    if answer.status_code in (401, 403):
        fail(answer.json().get("detail", answer.reason_phrase))
    if answer.status_code != 200:
        log.info("the server at %s answered %s: opening the home", url, answer.status_code)
        return None
    return answer
