"""Bar charts as SVG drawn on the server: no chart library and no script in the browser, and
the same drawing in the PDF report. This module turns numbers into positions and draws
them (`Chart.svg`). Every chart stands next to a table with its numbers.

Colour is never the only clue: each series has its own pattern too, the legend names it, the
bars carry their numbers, and each bar has a tooltip."""

import math
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 200  # the row names on the left
PLOT_LEFT = LABEL_WIDTH + 8
PLOT_WIDTH = 370
BAR = 18  # a bar's thickness; in a group of bars each gets GROUPED
GROUPED = 12
ROW_GAP = 10
TOP = 12
LEGEND_LINE = 22
AXIS = 26
CHAR_WIDTH = 7  # about, at 12 px: for laying out the legend
# the brand green, a blue, a brown and a purple: each at least 3:1 against white, and each with
# its own pattern so a grey print or a colour-blind reader still tells them apart
STYLES = [("#0b6e4f", "solid"), ("#1f5fa8", "stripes"), ("#9a4d00", "dots"), ("#6b3fa0", "cross")]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    tooltip: str


@dataclass
class Label:
    x: float
    y: float
    text: str


@dataclass
class Row:
    label: Label
    full_label: str
    bars: list[Bar] = field(default_factory=list)
    values: list[Label] = field(default_factory=list)


@dataclass
class Mark:
    """A reference line, e.g. a norm: the line and its words."""

    x: float
    top: float
    bottom: float
    label: Label


@dataclass
class Swatch:
    x: float
    y: float
    fill: str
    label: Label


@dataclass
class Chart:
    id: str
    title: str
    description: str
    height: float
    rows: list[Row]
    ticks: list[Label]
    marks: list[Mark]
    legend: list[Swatch]
    patterns: list[tuple[str, str, str]]  # id, colour, kind
    plot_top: float
    plot_bottom: float
    width: int = WIDTH
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_LEFT + PLOT_WIDTH

    @property
    def svg(self) -> SafeString:
        """The drawing, made here in one go: a template call per bar took most of the time
        of a report with many rows."""
        return svg(self)


def number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1)
    return formats.number_format(value)


def nice_step(largest: float, steps: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) so that `steps` of them reach `largest`."""
    if largest <= 0:
        return 1
    raw = largest / steps
    power = 10 ** math.floor(math.log10(raw))
    return max(next(m * power for m in (1, 2, 5, 10) if raw <= m * power), 1)


def bar_chart(
    key: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list]],
    *,
    stacked: bool = True,
    marks: list[tuple[str, float]] = (),
) -> Chart:
    """Horizontal bars, one row per label: the series side by side within a bar (`stacked`),
    or a bar each. `marks` draws reference lines (a norm) with their words. A value of None is
    "nothing to show" and draws no bar."""
    patterns = [
        (f"{key}-pattern-{index}", *STYLES[index % len(STYLES)]) for index in range(len(series))
    ]
    fills = [f"url(#{pattern_id})" for pattern_id, _colour, _kind in patterns]
    legend, top = _legend(series, fills) if len(series) > 1 else ([], TOP)
    if marks:
        top += LEGEND_LINE  # room for the marks' words above the bars
    rows_values = [[values[index] or 0 for _name, values in series] for index in range(len(labels))]
    totals = [sum(values) if stacked else max(values, default=0) for values in rows_values]
    largest = max([*totals, *(value for _label, value in marks)], default=0)
    step = nice_step(largest)
    scale_end = step * max(math.ceil(largest / step), 1)
    scale = PLOT_WIDTH / scale_end
    row_height = BAR if stacked else GROUPED * len(series)

    rows = []
    y = top
    for index, label in enumerate(labels):
        row = Row(
            Label(LABEL_WIDTH, y + row_height / 2 + 4, Truncator(label).chars(30)),
            full_label=label,
        )
        x = PLOT_LEFT
        for (name, values), fill in zip(series, fills, strict=True):
            value = values[index]
            width = (value or 0) * scale
            tooltip = f"{label} — {name}: {number(value)}"
            if stacked:
                row.bars.append(Bar(x, y, width, BAR, fill, tooltip))
                x += width
            else:
                row.bars.append(Bar(PLOT_LEFT, y, width, GROUPED - 2, fill, tooltip))
                row.values.append(Label(PLOT_LEFT + width + 4, y + GROUPED - 3, number(value)))
                y += GROUPED
        if stacked:
            total = None if all(v[index] is None for _n, v in series) else totals[index]
            row.values.append(Label(x + 4, y + BAR - 4, number(total)))
            y += BAR
        y += ROW_GAP
        rows.append(row)
    plot_bottom = y
    ticks = [
        Label(PLOT_LEFT + tick * step * scale, plot_bottom + 16, number(tick * step))
        for tick in range(round(scale_end / step) + 1)
    ]
    drawn_marks = [
        Mark(
            PLOT_LEFT + value * scale,
            top - 4,
            plot_bottom,
            Label(PLOT_LEFT + value * scale, top - 8, words),
        )
        for words, value in marks
    ]
    names = ", ".join(str(name) for name, _values in series)
    return Chart(
        id=key,
        title=title,
        description=_("Bar chart of %(series)s. The numbers are in the table with it.")
        % {"series": names},
        height=plot_bottom + AXIS,
        rows=rows,
        ticks=ticks,
        marks=drawn_marks,
        legend=legend,
        patterns=patterns,
        plot_top=top,
        plot_bottom=plot_bottom,
    )


def _legend(series, fills) -> tuple[list[Swatch], float]:
    """Swatches with their names, in as many lines as they need; and where the bars begin."""
    swatches, x, y = [], PLOT_LEFT, TOP
    for (name, _values), fill in zip(series, fills, strict=True):
        width = 18 + len(name) * CHAR_WIDTH + 16
        if x + width > WIDTH and x > PLOT_LEFT:
            x, y = PLOT_LEFT, y + LEGEND_LINE
        swatches.append(Swatch(x, y, fill, Label(x + 18, y + 11, name)))
        x += width
    return swatches, y + LEGEND_LINE + 4


# ---- drawing --------------------------------------------------------------------------------

PATTERN_MARKS = {
    "stripes": '<path d="M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6" stroke="#fff" stroke-width="2"/>',
    "dots": '<circle cx="4" cy="4" r="1.7" fill="#fff"/>',
    "cross": '<path d="M0 4 H8 M4 0 V8" stroke="#fff" stroke-width="1.5"/>',
}


def _n(value) -> str:
    """A coordinate as SVG reads it: a point, never a decimal comma."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def svg(chart: Chart) -> SafeString:
    """The chart as an SVG image: its title and description for a screen reader, a tooltip on
    each row and bar. Nothing to draw, nothing at all."""
    if not chart.rows:
        return mark_safe("")
    parts = [
        format_html(
            '<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" '
            'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'font-family="Atkinson Hyperlegible, sans-serif" font-size="12" fill="#1d2733">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc><defs>',
            id=chart.id,
            w=_n(chart.width),
            h=_n(chart.height),
            title=chart.title,
            desc=chart.description,
        ),
        format_html_join(
            "",
            '<pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse">'
            '<rect width="8" height="8" fill="{}"/>{}</pattern>',
            (
                (pattern_id, colour, mark_safe(PATTERN_MARKS.get(kind, "")))
                for pattern_id, colour, kind in chart.patterns
            ),
        ),
        mark_safe("</defs>"),
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="#1d2733" '
            'stroke-width="0.5"/><text x="{}" y="{}">{}</text>',
            (
                (_n(s.x), _n(s.y), s.fill, _n(s.label.x), _n(s.label.y), s.label.text)
                for s in chart.legend
            ),
        ),
        format_html_join(
            "",
            '<line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" stroke="#d9dee5"/>'
            '<text x="{x}" y="{y}" text-anchor="middle" fill="#5b6675">{text}</text>',
            (
                {
                    "x": _n(tick.x),
                    "y": _n(tick.y),
                    "top": _n(chart.plot_top),
                    "bottom": _n(chart.plot_bottom),
                    "text": tick.text,
                }
                for tick in chart.ticks
            ),
        ),
        mark_safe("".join(_row(row) for row in chart.rows)),
        format_html(
            '<line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" stroke="#1d2733"/>',
            x=_n(chart.plot_left),
            top=_n(chart.plot_top),
            bottom=_n(chart.plot_bottom),
        ),
        format_html_join(
            "",
            '<line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" stroke="#a4262c" stroke-width="2" '
            'stroke-dasharray="5 3"/><text x="{lx}" y="{ly}" text-anchor="middle" '
            'fill="#a4262c">{text}</text>',
            (
                {
                    "x": _n(mark.x),
                    "top": _n(mark.top),
                    "bottom": _n(mark.bottom),
                    "lx": _n(mark.label.x),
                    "ly": _n(mark.label.y),
                    "text": mark.label.text,
                }
                for mark in chart.marks
            ),
        ),
        mark_safe("</svg>"),
    ]
    return mark_safe("".join(parts))  # each part escaped by format_html


def _row(row: Row) -> str:
    return format_html(
        '<g><title>{}</title><text x="{}" y="{}" text-anchor="end">{}</text>{}{}</g>',
        row.full_label,
        _n(row.label.x),
        _n(row.label.y),
        row.label.text,
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            (
                (_n(bar.x), _n(bar.y), _n(bar.width), _n(bar.height), bar.fill, bar.tooltip)
                for bar in row.bars
            ),
        ),
        format_html_join(
            "",
            '<text x="{}" y="{}">{}</text>',
            ((_n(value.x), _n(value.y), value.text) for value in row.values),
        ),
    )
