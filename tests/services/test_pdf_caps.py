"""The PDF renderer ends a pathological document with a clear error, never a hang."""

import base64
import struct
import zlib

import pytest

from core.errors import ReportError
from services.reports.pdf import to_pdf


def huge_png(side: int) -> bytes:
    """Return a small file that decodes to side x side RGB pixels (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    packer = zlib.compressobj(9)
    row = bytes(1 + side * 3)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


def test_a_plain_document_renders():
    assert to_pdf("<h1>Medic</h1><p>ok</p>").startswith(b"%PDF")


def test_a_slow_document_is_stopped_at_the_time_cap():
    rows = "<tr><td>cell</td><td>more cell text</td></tr>" * 100_000
    with pytest.raises(ReportError, match="longer than 3 s"):
        to_pdf(f"<table>{rows}</table>", timeout=3)


def test_an_image_bomb_is_stopped_at_the_memory_cap():
    image = base64.b64encode(huge_png(9000)).decode()
    with pytest.raises(ReportError, match="more than 300 MB"):
        to_pdf(f'<img src="data:image/png;base64,{image}">', memory_mb=300)


def test_a_warm_child_keeps_the_memory_cap_and_renders_again_after_it():
    assert to_pdf("<p>warm</p>", memory_mb=300).startswith(b"%PDF")  # a child kept warm
    image = base64.b64encode(huge_png(9000)).decode()
    with pytest.raises(ReportError, match="more than 300 MB"):
        to_pdf(f'<img src="data:image/png;base64,{image}">', memory_mb=300)
    assert to_pdf("<p>after the bomb</p>", memory_mb=300).startswith(b"%PDF")
    # a warm child past the time cap: tests/services/test_pdf_renderer.py


def test_the_document_cannot_read_local_files(tmp_path, pdf_text):
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
                      '<text x="5" y="20">TOPSECRETVALUE</text></svg>')
    text = pdf_text(to_pdf(f'<p>before</p><img src="file://{secret}">'))
    assert "before" in text and "TOPSECRETVALUE" not in text


def test_a_renderer_that_crashes_under_the_cap_is_told_as_memory_any_other_failure_as_such():
    import signal

    from services.reports.pdf import _failed

    with pytest.raises(ReportError, match="likely needs more than 300 MB .* SIGSEGV"):
        _failed(-signal.SIGSEGV, "", 300)  # cairo or Pango failing an allocation at the cap
    with pytest.raises(ReportError, match="likely needs more than 300 MB .* SIGTRAP"):
        _failed(-signal.SIGTRAP, "GLib-ERROR **: creating thread '[pango] FcFontSetSort': "
                                 "Error creating thread: Resource temporarily unavailable", 300)
    with pytest.raises(ReportError, match=r"the PDF renderer failed \(exit 1\)"):
        _failed(1, "ValueError: bad document", 300)


def test_a_fresh_renderer_leaves_most_of_its_cap_to_the_document():
    """Its address space is what the cap counts: malloc's per-thread arenas (64 MB or more
    each, reserved not used) once took 223 MB of a 300 MB cap before any document, and a
    thread Pango starts mid-render then could not be created (CI: SIGTRAP)."""
    from services.reports.renderer import Child

    child = Child(300)
    try:
        status, _ = child.render(b"<p>warm</p>", timeout=60)
        with open(f"/proc/{child.pid}/status") as file:
            size = next(int(line.split()[1]) for line in file if line.startswith("VmSize:"))
    finally:
        child.stop(grace=1)
    assert status == b"P" and size < 150 * 1024  # kB: half the cap at most
