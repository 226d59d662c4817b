"""Draw small inline SVG charts (bars, columns, lines, heatmaps, scatters), with escaped labels."""

from xml.sax.saxutils import escape

from markupsafe import Markup

FONT = 'font-family="DejaVu Sans, sans-serif" font-size="9"'
RED, BLUE, GREY, ORANGE = "#c0392b", "#2e6da4", "#b0b7bf", "#e08e0b"
PALETTE = (BLUE, ORANGE, "#27ae60", "#8e44ad")


def hbars(rows: list[tuple[str, float, bool]], *, max_value: float, fmt: str = "{:.2f}",
          threshold: float | None = None, threshold_label: str = "",
          width: int = 680) -> Markup:
    """Draw one horizontal bar per (label, value, flagged) row; flagged bars are red."""
    left, row_h, top = 110, 16, 14
    span = width - left - 60
    height = top + row_h * len(rows) + 6
    parts = [_open(width, height)]
    for i, (label, value, flagged) in enumerate(rows):
        y = top + i * row_h
        length = max(1.0, span * min(value, max_value) / max_value)
        parts.append(f'<text x="{left - 6}" y="{y + 11}" text-anchor="end" {FONT}>'
                     f'{escape(str(label))}</text>'
                     f'<rect x="{left}" y="{y + 2}" width="{length:.1f}" height="{row_h - 5}" '
                     f'fill="{RED if flagged else BLUE}"/>'
                     f'<text x="{left + length + 4:.1f}" y="{y + 11}" {FONT}>'
                     f'{escape(fmt.format(value))}</text>')
    if threshold is not None:
        x = left + span * min(threshold, max_value) / max_value
        parts.append(f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 4}" '
                     f'stroke="#333" stroke-dasharray="3,2"/>'
                     f'<text x="{x:.1f}" y="{top - 4}" text-anchor="middle" {FONT}>'
                     f'{escape(threshold_label)}</text>')
    return Markup("".join(parts) + "</svg>")


def columns(labels: list[str], values: list[float], *, width: int = 680,
            height: int = 150) -> Markup:
    """Draw a column per value (counts over time), labelling the y maximum and a few x ticks."""
    top = max(values, default=0) or 1
    left, bottom, plot_h = 34, 22, height - 34
    step = (width - left - 6) / max(len(values), 1)
    parts = [_open(width, height), _y_axis(left, plot_h, f"{top:g}", "0")]
    for i, value in enumerate(values):
        h = plot_h * value / top
        parts.append(f'<rect x="{left + i * step + 0.5:.1f}" y="{10 + plot_h - h:.1f}" '
                     f'width="{max(step - 1, 0.6):.1f}" height="{h:.1f}" fill="{BLUE}"/>')
    parts.append(_x_ticks(labels, left, step, height - bottom + 14))
    return Markup("".join(parts) + "</svg>")


def lines(labels: list[str], series: dict[str, list[float | None]], *, low: float = 0.0,
          high: float = 1.0, width: int = 680, height: int = 160,
          guides: dict[str, float] | None = None) -> Markup:
    """Draw one line per named series on a shared x axis; gaps where a value is None.

    `guides` draws a dashed, labelled horizontal line per named level (a threshold).
    """
    left, bottom, plot_h = 34, 34, height - 46
    step = (width - left - 10) / max(len(labels) - 1, 1)
    parts = [_open(width, height), _y_axis(left, plot_h, f"{high:g}", f"{low:g}")]
    for name, level in (guides or {}).items():
        y = 10 + plot_h * (1 - (level - low) / ((high - low) or 1))
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" '
                     f'stroke="{RED}" stroke-dasharray="4,3"/><text x="{width - 12}" '
                     f'y="{y - 3:.1f}" text-anchor="end" fill="{RED}" {FONT}>'
                     f'{escape(name)}</text>')
    for n, (name, values) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        points = [(left + i * step, 10 + plot_h * (1 - (v - low) / ((high - low) or 1)))
                  for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" '
                         'stroke-width="1.5"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{color}"/>' for x, y in points]
        parts.append(f'<rect x="{left + n * 120}" y="{height - 12}" width="9" height="9" '
                     f'fill="{color}"/><text x="{left + n * 120 + 13}" y="{height - 4}" {FONT}>'
                     f'{escape(name)}</text>')
    parts.append(_x_ticks(labels, left - step / 2, step, height - bottom + 10))
    return Markup("".join(parts) + "</svg>")


def scatter(points: list[tuple[float, float]], *, x_label: str, y_label: str,
            width: int = 420, height: int = 300, diagonal: bool = False,
            level: float | None = None) -> Markup:
    """Draw one dot per (x, y) point on axes holding them all, labelled at their ends.

    `diagonal` draws the dashed line y = x (predicted equals actual); `level` a dashed
    horizontal line at y = level (a residual of 0).
    """
    left, bottom, top, right = 46, 34, 10, 10
    plot_w, plot_h = width - left - right, height - top - bottom
    xs, ys = [x for x, _ in points] or [0.0], [y for _, y in points] or [0.0]
    if diagonal:
        xs = ys = [*xs, *ys]
    if level is not None:
        ys = [*ys, level]
    x_low, x_high, y_low, y_high = min(xs), max(xs), min(ys), max(ys)
    x_span, y_span = (x_high - x_low) or 1.0, (y_high - y_low) or 1.0

    def at(x: float, y: float) -> tuple[float, float]:
        return (left + plot_w * (x - x_low) / x_span,
                top + plot_h * (1 - (y - y_low) / y_span))

    parts = [_open(width, height), _y_axis(left, plot_h, f"{y_high:.4g}", f"{y_low:.4g}")]
    if diagonal:
        (x1, y1), (x2, y2) = at(x_low, x_low), at(x_high, x_high)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke="{RED}" stroke-dasharray="4,3"/>')
    if level is not None:
        _, y = at(x_low, level)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="{RED}" stroke-dasharray="4,3"/>')
    for x, y in points:
        cx, cy = at(x, y)
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2.2" fill="{BLUE}" '
                     'fill-opacity="0.55"/>')
    axis_y = top + plot_h + 12
    parts.append(f'<text x="{left}" y="{axis_y}" text-anchor="start" {FONT}>{x_low:.4g}</text>'
                 f'<text x="{left + plot_w}" y="{axis_y}" text-anchor="end" {FONT}>'
                 f'{x_high:.4g}</text><text x="{left + plot_w / 2:.1f}" y="{height - 6}" '
                 f'text-anchor="middle" {FONT}>{escape(x_label)}</text>'
                 f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" {FONT} '
                 f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(y_label)}</text>')
    return Markup("".join(parts) + "</svg>")


def heatmap(rows: list[str], labels: list[str], cells: list[list[float | None]], *,
            width: int = 680, note: str = "") -> Markup:
    """Draw a row of cells per name over time, redder as the value nears 1; blank if None."""
    left, top, row_h = 110, 6, 15
    step = (width - left - 6) / max(len(labels), 1)
    height = top + row_h * len(rows) + 34
    parts = [_open(width, height)]
    for r, (name, values) in enumerate(zip(rows, cells, strict=True)):
        y = top + r * row_h
        parts.append(f'<text x="{left - 6}" y="{y + 11}" text-anchor="end" {FONT}>'
                     f'{escape(name)}</text>')
        parts += [f'<rect x="{left + i * step:.1f}" y="{y}" width="{max(step - 1, 0.6):.1f}" '
                  f'height="{row_h - 2}" fill="{_heat(value)}"><title>{escape(name)} '
                  f'{escape(labels[i])}: {value:.0%}</title></rect>'
                  for i, value in enumerate(values) if value is not None]
    bottom = top + row_h * len(rows)
    parts.append(_x_ticks(labels, left, step, bottom + 12))
    parts.append(f'<text x="{left}" y="{bottom + 28}" {FONT}>{escape(note)}</text>')
    return Markup("".join(parts) + "</svg>")


def _heat(value: float) -> str:
    """Return a colour from pale green (0) through orange to red (1)."""
    low, middle, high = (0xE8, 0xF5, 0xE9), (0xF5, 0xB0, 0x41), (0xC0, 0x39, 0x2B)
    start, end, t = (low, middle, value * 2) if value < 0.5 else (middle, high, value * 2 - 1)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(start, end, strict=True))


def _open(width: int, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">')


def _y_axis(left: int, plot_h: float, top_label: str, bottom_label: str) -> str:
    return (f'<line x1="{left}" y1="10" x2="{left}" y2="{10 + plot_h}" stroke="{GREY}"/>'
            f'<line x1="{left}" y1="{10 + plot_h}" x2="2000" y2="{10 + plot_h}" '
            f'stroke="{GREY}"/>'
            f'<text x="{left - 4}" y="16" text-anchor="end" {FONT}>{escape(top_label)}</text>'
            f'<text x="{left - 4}" y="{10 + plot_h}" text-anchor="end" {FONT}>'
            f'{escape(bottom_label)}</text>')


def _x_ticks(labels: list[str], left: float, step: float, y: float, most: int = 6) -> str:
    every = max(1, -(-len(labels) // most))
    return "".join(f'<text x="{left + i * step + step / 2:.1f}" y="{y:.1f}" '
                   f'text-anchor="middle" {FONT}>{escape(label)}</text>'
                   for i, label in enumerate(labels) if i % every == 0)
