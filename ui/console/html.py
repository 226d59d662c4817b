"""Build the console's HTML fragments; every value is escaped."""

import math
from datetime import UTC, datetime
from html import escape

STYLE = """<style>
.mc-card{border:1px solid #d5dde5;border-radius:6px;padding:10px 14px;margin:0 0 12px 0}
.mc-card h3{margin:0 0 6px 0;font-size:16px}
.mc-badge{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;font-size:12px;
  font-weight:bold;background:#777}
.mc-resolved,.mc-approved,.mc-success{background:#27ae60}.mc-verifying,.mc-remediating{background:#8e44ad}.mc-closed,.mc-recommended{background:#2e6da4}
.mc-rejected,.mc-failed,.mc-error,.mc-expired{background:#c0392b}
.mc-escalated,.mc-awaiting_approval,.mc-pending,.mc-open,.mc-warning{background:#e08e0b}
.mc-ok{background:#27ae60}.mc-critical{background:#c0392b}.mc-plots svg{display:block;margin:4px 0}
.mc-table{border-collapse:collapse;width:100%;margin:4px 0 8px 0;font-size:13px}
.mc-table th,.mc-table td{border-bottom:1px solid #e3e7eb;padding:3px 6px;text-align:left;
  vertical-align:top}
.mc-note{color:#666;font-style:italic}.mc-warn{color:#b35c00;font-weight:bold}
.mc-mono{font-family:monospace;font-size:11px;word-break:break-all}
.mc-stats{display:flex;gap:10px;flex-wrap:wrap}.mc-stat{border:1px solid #d5dde5;
  border-radius:6px;padding:8px 12px;min-width:130px}.mc-stat b{font-size:20px;display:block}
</style>"""


def position(page: dict, noun: str) -> str:
    """Return where a page sits in its list: `Page 2 of 100 · 10,000 incidents`."""
    return (f'<p class="mc-page">Page {page["number"]:,} of {page["pages"]:,} · '
            f'{page["total"]:,} {escape(noun)}</p>')


def badge(value: str | None) -> str:
    """Return a coloured label for a state or status."""
    text = escape(value or "none")
    return f'<span class="mc-badge mc-{text}">{text}</span>'


def table(headers: list[str], rows: list[list[str]], *, raw: set[int] = frozenset()) -> str:
    """Return a table; cells are escaped unless their column index is in `raw`."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c if i in raw else escape(str(c))}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="mc-table"><tr>{head}</tr>{body}</table>'


def args(values: dict | None) -> str:
    """Return arguments as `name=value, …` (escaped by the caller's table)."""
    return ", ".join(f"{k}={v}" for k, v in sorted((values or {}).items()) if v is not None)


def when(value: str | None) -> str:
    """Return a timestamp as `YYYY-MM-DD HH:MM:SS` (UTC)."""
    return value[:19].replace("T", " ") if value else "—"


def left(expires_at: str | None) -> str:
    """Return the time left before an expiry, in words."""
    if not expires_at:
        return "no expiry"
    seconds = (datetime.fromisoformat(expires_at) - datetime.now(UTC)).total_seconds()
    if seconds <= 0:
        return "expired"
    return f"{int(seconds // 60)} min left" if seconds >= 60 else f"{int(seconds)} s left"


def note(text: str) -> str:
    """Return a muted sentence."""
    return f'<p class="mc-note">{escape(text)}</p>'


def rounded_up(value: float) -> float:
    """Round a chart's top up to two significant digits (125.553 -> 130): a short label."""
    if value <= 0:
        return value
    step = 10 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / step) * step
