"""Charts of published figures, drawn by pygal as SVG on the server (no script, no hand-drawn
SVG). A chart shows shares of each row's total; a hidden figure is simply not drawn. The page
puts the table of the same figures beside it, and a summary in words."""

import base64

import pygal
from django.utils.translation import gettext_lazy
from pygal.style import Style

# Colours that keep 3:1 against white and each other's neighbours apart (a categorical palette
# in the house colours, dark to light).
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2a2e",
    foreground_strong="#1f2a2e",
    foreground_subtle="#5b6b70",
    font_family="system-ui, -apple-system, 'Segoe UI', sans-serif",
    colors=(
        "#0b5c5e",
        "#b5451b",
        "#3b4f9a",
        "#7a5a00",
        "#8a2f6b",
        "#2f6f2f",
        "#5b6b70",
        "#9a3b3b",
        "#246b8f",
    ),
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=15,
    no_data_font_size=18,
)
NO_DATA = "—"  # every figure hidden or zero: the table says which
# What every chart here shares: the house style, no script, the page's width, the legend below
# and never cut, no values printed on the marks, a dash when there is nothing to draw.
COMMON = {
    "style": STYLE,
    "js": [],
    "width": 860,
    "legend_at_bottom": True,
    "truncate_legend": -1,
    "print_values": False,
    "no_data_text": NO_DATA,
}
BASELINE = gettext_lazy("Baseline")
TARGET = gettext_lazy("Target")


def _percent(text):
    return float(text.rstrip("%")) if text else None


def shares_chart(figure) -> bytes:
    """A horizontal stacked bar per row (and the benchmark), each column a series of shares."""
    chart = pygal.HorizontalStackedBar(
        **COMMON,
        height=120 + 34 * (len(figure.rows) + (figure.benchmark is not None)),
        range=(0, 100),
        legend_at_bottom_columns=2,
        truncate_label=-1,
        show_y_guides=False,
        value_formatter=lambda v: f"{v:.0f}%",
    )
    chart.title = figure.title
    labels = list(figure.rows)
    if figure.benchmark is not None:
        labels.append(figure.benchmark_label)
    # pygal draws the first label at the bottom: reversed, the chart reads like the table.
    chart.x_labels = labels[::-1]
    for j, column in enumerate(figure.columns):
        values = [_percent(figure.share(i, j)) for i in range(len(figure.rows))]
        if figure.benchmark is not None:
            values.append(figure.benchmark[j])
        chart.add(column, values[::-1])
    return chart.render()


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def counts_chart(figure) -> bytes:
    """Counts: a bar per row for a one-column figure; otherwise a line per row across the
    columns (months). A hidden count is not drawn."""
    one_column = len(figure.columns) == 1
    chart = (pygal.Bar if one_column else pygal.Line)(
        **COMMON,
        height=420,
        legend_at_bottom_columns=2,
        truncate_label=-1,
        x_label_rotation=30 if one_column else 0,
    )
    chart.title = figure.title
    if one_column:
        chart.x_labels = list(figure.rows)
        chart.add(figure.columns[0], [row[0].value for row in figure.table.cells])
    else:
        chart.x_labels = list(figure.columns)
        for label, row in zip(figure.rows, figure.table.cells, strict=True):
            chart.add(label, [cell.value for cell in row])
    return chart.render()


def chart(figure) -> bytes:
    return shares_chart(figure) if figure.shares else counts_chart(figure)


def metric_chart(metric) -> bytes:
    """A metric's observations over time, with its baseline and its target as flat lines."""
    observations = list(metric.observations.all())
    chart = pygal.Line(
        **COMMON,
        height=360,
        x_label_rotation=30,
    )
    chart.title = f"{metric.name} ({metric.unit})"
    chart.x_labels = [o.observed_on.isoformat() for o in observations]
    chart.add(metric.name, [float(o.value) for o in observations])
    for label, value in ((BASELINE, metric.baseline), (TARGET, metric.target)):
        if value is not None and observations:
            chart.add(
                str(label),
                [float(value)] * len(observations),
                show_dots=False,
                stroke_style={"dasharray": "6, 4"},
            )
    return chart.render()
