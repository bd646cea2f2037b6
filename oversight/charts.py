"""Server-side SVG charts for the dashboard: no JavaScript, nothing downloaded.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(which states the numbers in words); the page always shows the same numbers in a table next to
it, so the chart is for looking, the table for reading, linking and downloading. Every piece of
text is escaped here, so callers may pass any label.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# USWDS system colours, dark enough to tell apart on white and from each other.
PALETTE = (
    "#005ea2",  # blue-60v
    "#e66f0e",  # orange-40v
    "#008817",  # green-cool-50v
    "#b50909",  # red-60v
    "#54278f",  # violet-70v
    "#936f38",  # gold-50
    "#71767a",  # gray-50
    "#0d7ea2",  # cyan-60v
    "#c05600",  # orange-60v
    "#3d4551",  # gray-cool-70
)
TEXT = "#1b1b1b"
AXIS = "#565c65"
TARGET_FILL = "#d9e8f6"
WIDTH = 640
FONT = 'font-family="Source Sans Pro Web, Helvetica Neue, Helvetica, Roboto, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


def _open(key: str, *, title: str, description: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="oversight-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{escape(key)}-title {escape(key)}-desc" data-chart="{escape(key)}" '
        f'{FONT} font-size="14">'
        f'<title id="{escape(key)}-title">{escape(title)}</title>'
        f'<desc id="{escape(key)}-desc">{escape(description)}</desc>'
    )


def _text(x, y, content, *, anchor="start", size=14, weight="normal", fill=TEXT) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(content)}</text>'
    )


def bar_chart(
    key: str, *, title: str, description: str, bars: Sequence[tuple[str, int]]
) -> SafeString:
    """Horizontal bars, one per (label, value), the value written after each bar."""
    label_width, value_width, row, top = 210, 60, 28, 10
    height = top * 2 + row * max(len(bars), 1)
    scale_width = WIDTH - label_width - value_width
    largest = max((value for _, value in bars), default=0) or 1
    parts = [_open(key, title=title, description=description, height=height)]
    for index, (label, value) in enumerate(bars):
        y = top + index * row
        length = scale_width * value / largest
        parts.append(_text(label_width - 8, y + 18, label, anchor="end"))
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}"></rect>'
        )
        parts.append(_text(label_width + length + 6, y + 18, f"{value:,}", weight="bold"))
    parts.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - top}" '
        f'stroke="{AXIS}"></line>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()


def stacked_bar_chart(
    key: str,
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
) -> SafeString:
    """One horizontal bar per category, split into one segment per series, with a legend.
    Series that are zero everywhere are left out of the bars and the legend."""
    series = [s for s in series if any(s.values)]
    label_width, value_width, row, top = 210, 70, 30, 10
    legend_rows = (len(series) + 2) // 3
    bars_height = row * max(len(categories), 1)
    height = top * 2 + bars_height + 16 + legend_rows * 22
    scale_width = WIDTH - label_width - value_width
    totals = [sum(s.values[index] for s in series) for index in range(len(categories))]
    largest = max(totals, default=0) or 1
    parts = [_open(key, title=title, description=description, height=height)]
    for index, category in enumerate(categories):
        y = top + index * row
        x = float(label_width)
        parts.append(_text(label_width - 8, y + 19, category, anchor="end"))
        for colour, one in zip(PALETTE, series, strict=False):
            value = one.values[index]
            if not value:
                continue
            length = scale_width * value / largest
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
                f'fill="{colour}" stroke="#ffffff" stroke-width="1">'
                f"<title>{escape(category)}, {escape(one.name)}: {value:,}</title></rect>"
            )
            x += length
        parts.append(_text(x + 6, y + 19, f"{totals[index]:,}", weight="bold"))
    legend_top = top + bars_height + 16
    column_width = WIDTH / 3
    for index, (colour, one) in enumerate(zip(PALETTE, series, strict=False)):
        x = (index % 3) * column_width + 10
        y = legend_top + (index // 3) * 22
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="14" height="14" fill="{colour}"></rect>')
        parts.append(_text(x + 20, y + 12, one.name, size=13))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()


def histogram(
    key: str,
    *,
    title: str,
    description: str,
    bins: Sequence[tuple[str, int]],
    bin_days: int,
    target_days: tuple[int, int],
    markers: Sequence[tuple[str, float]] = (),
) -> SafeString:
    """Vertical bars of equal-width bins of ``bin_days`` each (the last may be open-ended), a
    shaded band for the target and a dashed line per marker (e.g. median, 90th percentile),
    placed on the same day scale (clamped to the chart)."""
    left, right, top, bottom = 50, 20, 40, 56
    plot_width = WIDTH - left - right
    plot_height = 220
    height = top + plot_height + bottom
    slot = plot_width / max(len(bins), 1)
    largest = max((count for _, count in bins), default=0) or 1
    span_days = bin_days * len(bins)

    def x_of(days: float) -> float:
        return left + plot_width * min(max(days, 0), span_days) / span_days

    parts = [_open(key, title=title, description=description, height=height)]
    low, high = target_days
    parts.append(
        f'<rect x="{x_of(low):.1f}" y="{top}" width="{x_of(high) - x_of(low):.1f}" '
        f'height="{plot_height}" fill="{TARGET_FILL}"></rect>'
    )
    parts.append(
        _text(
            (x_of(low) + x_of(high)) / 2,
            top - 8,
            f"Target {low // 7}–{high // 7} weeks",
            anchor="middle",
            size=13,
            weight="bold",
        )
    )
    for index, (label, count) in enumerate(bins):
        bar_height = plot_height * count / largest
        x = left + index * slot
        parts.append(
            f'<rect x="{x + 3:.1f}" y="{top + plot_height - bar_height:.1f}" '
            f'width="{slot - 6:.1f}" height="{bar_height:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {count:,}</title></rect>"
        )
        if count:
            parts.append(
                _text(
                    x + slot / 2,
                    top + plot_height - bar_height - 4,
                    f"{count:,}",
                    anchor="middle",
                    size=12,
                    weight="bold",
                )
            )
        parts.append(
            _text(
                x + slot / 2,
                top + plot_height + 16,
                label.replace(" weeks", ""),
                anchor="middle",
                size=12,
            )
        )
    parts.append(
        _text(
            left + plot_width / 2,
            top + plot_height + 36,
            "Weeks from complete to decision",
            anchor="middle",
            size=13,
        )
    )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_height}" x2="{left + plot_width}" '
        f'y2="{top + plot_height}" stroke="{AXIS}"></line>'
    )
    for index, (label, days) in enumerate(markers):
        x = x_of(days)
        colour = PALETTE[3] if index else PALETTE[4]
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_height}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 4"></line>'
        )
        parts.append(
            _text(
                x + 4,
                top + 14 + index * 16,
                f"{label} {days:g} d",
                size=12,
                weight="bold",
                fill=colour,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()
