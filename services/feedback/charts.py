"""Bar charts drawn on the server: SVG with a title and a label on every bar,
no script, readable in any browser and by a screen reader."""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 190
BAR_WIDTH = 420
WIDTH = LABEL_WIDTH + BAR_WIDTH + 80


def bar_chart(title: str, rows: Sequence[tuple[str, int]], empty: str) -> SafeString:
    """Horizontal bars, one per (label, value), longest for the largest value."""
    largest = max((value for _label, value in rows), default=0)
    height = (len(rows) if largest else 1) * (BAR_HEIGHT + GAP) + GAP
    if largest == 0:
        body = format_html(
            '<text x="{}" y="{}" class="chart-empty">{}</text>',
            GAP,
            BAR_HEIGHT,
            empty,
        )
    else:
        body = format_html_join(
            "",
            '<g><text x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}"></rect>'
            '<text x="{}" y="{}">{}</text></g>',
            (
                (
                    LABEL_WIDTH - GAP,
                    top + BAR_HEIGHT - 6,
                    label,
                    LABEL_WIDTH,
                    top,
                    round(BAR_WIDTH * value / largest),
                    BAR_HEIGHT,
                    LABEL_WIDTH + round(BAR_WIDTH * value / largest) + GAP,
                    top + BAR_HEIGHT - 6,
                    f"{value:,}",
                )
                for number, (label, value) in enumerate(rows)
                for top in [GAP + number * (BAR_HEIGHT + GAP)]
            ),
        )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}">'
        "<title>{}</title>{}</svg>",
        WIDTH,
        height,
        WIDTH,
        height,
        title,
        body,
    )
