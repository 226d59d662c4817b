"""Turn HTML into PDF under an address-space cap, one document after another (a child process).

Requests on stdin: a 4-byte big-endian length, then that much UTF-8 HTML. Answers on the
original stdout: a status byte (P a PDF, M the memory cap, E a failure), a retire byte (1
when this child exits after the answer), a 4-byte length and the PDF or a one-line reason.
WeasyPrint is imported and its fonts loaded once, before the first request is read.
"""

import logging
import os
import resource
import struct
import sys

WARM_UP = ('<p style="font-family: \'DejaVu Sans\', sans-serif">Medic <b>bold</b> <i>it</i> '
           '<span style="font-family: \'DejaVu Sans Mono\', monospace">0f</span></p>')
RENDERS = 100  # documents one child renders at most before it retires (bounds leaks, logs)


def main() -> int:
    """Cap memory, import WeasyPrint, warm its fonts, then render until stdin closes."""
    limit = int(sys.argv[1]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what a library prints goes to the log, never into the answers
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        fonts = FontConfiguration()
        weasyprint.HTML(string=WARM_UP).write_pdf(font_config=fonts)
    except MemoryError:
        return _answer(answers, b"M", b"memory cap reached", retire=True)
    fetcher = URLFetcher(allowed_protocols=["data"], timeout=5)  # nothing but inline data
    roomy = limit - (limit - _address_space()) // 2  # past this, retire after answering
    for rendered in range(1, RENDERS + 1):
        head = sys.stdin.buffer.read(4)
        if len(head) < 4:
            return 0  # the parent closed our input (or exited): done
        html = sys.stdin.buffer.read(struct.unpack(">I", head)[0]).decode("utf-8")
        try:
            pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=fonts)
        except MemoryError:
            return _answer(answers, b"M", b"memory cap reached", retire=True)
        except Exception as error:  # noqa: BLE001 - reported to the parent in one line
            return _answer(answers, b"E", f"{type(error).__name__}: {error}"[:300].encode(),
                           retire=True)
        retire = rendered == RENDERS or _address_space() > roomy
        _answer(answers, b"P", pdf, retire=retire)
        if retire:
            return 0
    return 0


def _answer(answers, status: bytes, body: bytes, *, retire: bool) -> int:
    """Write one answer; return the exit code that goes with it."""
    answers.write(status + (b"1" if retire else b"0") + struct.pack(">I", len(body)) + body)
    answers.flush()
    return {b"P": 0, b"M": 3}.get(status, 1)


def _address_space() -> int:
    """Return this process's address space in bytes (what RLIMIT_AS caps)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    sys.exit(main())
