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
    # Colours follow the series' order before the empty ones are dropped, so a status keeps
    # its colour from one day to the next.
    coloured = [(c, s) for c, s in zip(PALETTE, series, strict=False) if any(s.values)]
    series = [s for _, s in coloured]
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
        for colour, one in coloured:
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
    for index, (colour, one) in enumerate(coloured):
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
    """Vertical bars of equal-width bins of ``bin_days`` each (the last may be open-ended) over
    a shaded band for the target. Bars are coloured by where they fall against the target
    (before it, in it, past it), and a dashed line marks each marker (e.g. median, 90th
    percentile) on the same day scale, named in the key under the chart."""
    left, right, top = 30, 20, 34
    plot_width = WIDTH - left - right
    plot_height = 200
    key_top = top + plot_height + 52
    height = key_top + 48
    slot = plot_width / max(len(bins), 1)
    largest = max((count for _, count in bins), default=0) or 1
    span_days = bin_days * len(bins)
    low, high = target_days
    colours = {"before": PALETTE[0], "within": PALETTE[2], "past": PALETTE[1]}

    def x_of(days: float) -> float:
        return left + plot_width * min(max(days, 0), span_days) / span_days

    def standing(index: int) -> str:
        start, end = index * bin_days, (index + 1) * bin_days
        if end <= low:
            return "before"
        if start >= high:
            return "past"
        return "within"

    parts = [_open(key, title=title, description=description, height=height)]
    parts.append(
        f'<rect x="{x_of(low):.1f}" y="{top}" width="{x_of(high) - x_of(low):.1f}" '
        f'height="{plot_height}" fill="{TARGET_FILL}"></rect>'
    )
    parts.append(
        _text(
            (x_of(low) + x_of(high)) / 2,
            top - 12,
            f"Target {low // bin_days}–{high // bin_days} weeks",
            anchor="middle",
            size=13,
            weight="bold",
        )
    )
    # Headroom over the tallest bar for its count.
    bar_room = plot_height - 20
    for index, (label, count) in enumerate(bins):
        bar_height = bar_room * count / largest
        x = left + index * slot
        parts.append(
            f'<rect x="{x + 4:.1f}" y="{top + plot_height - bar_height:.1f}" '
            f'width="{slot - 8:.1f}" height="{bar_height:.1f}" fill="{colours[standing(index)]}">'
            f"<title>{escape(label)}: {count:,}</title></rect>"
        )
        if count:
            parts.append(
                _text(
                    x + slot / 2,
                    top + plot_height - bar_height - 5,
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
    # The key: bar colours, then one entry per marker line.
    entries = [
        (colours["before"], "Before the target", False),
        (colours["within"], "Within the target", False),
        (colours["past"], "Past the target", False),
    ]
    marker_colours = (PALETTE[4], PALETTE[3])
    for index, (label, days) in enumerate(markers):
        colour = marker_colours[index % len(marker_colours)]
        x = x_of(days)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_height}" '
            f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="6 4"></line>'
        )
        entries.append((colour, f"{label}: {days:g} days", True))
    column_width = WIDTH / 3
    for index, (colour, label, dashed) in enumerate(entries):
        x = (index % 3) * column_width + 10
        y = key_top + (index // 3) * 22
        if dashed:
            parts.append(
                f'<line x1="{x:.1f}" y1="{y + 7}" x2="{x + 16:.1f}" y2="{y + 7}" '
                f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="4 3"></line>'
            )
        else:
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="14" height="14" fill="{colour}"></rect>'
            )
        parts.append(_text(x + 22, y + 12, label, size=13))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()
