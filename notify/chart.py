"""Chart of organizations' paragraph counts across editions, rendered headless (Agg)
to PNG bytes so the email and the static report can embed the same picture."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Okabe-Ito palette: distinguishable for colour-blind readers, readable on white.
EDITION_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
# Editions per organization group in the chart: one colour each, the newest ones.
CHART_EDITIONS = len(EDITION_COLORS)


def edition_sort_key(symbol: str) -> tuple[int, ...]:
    """Order edition symbols by session then number (A/71/160 < A/73/328 < A/77/277)."""
    return tuple(int(n) for n in re.findall(r"\d+", symbol)) or (0,)


def editions_in(trajectory: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Every edition symbol that appears in a trajectory, oldest first."""
    symbols = {symbol for counts in trajectory.values() for symbol in counts}
    return sorted(symbols, key=edition_sort_key)


def recent_editions(
    trajectory: Mapping[str, Mapping[str, int]], limit: int = CHART_EDITIONS
) -> list[str]:
    """The newest `limit` editions of a trajectory, oldest first: what the chart and its
    table show (a bar per edition per organization reads badly beyond a handful)."""
    return editions_in(trajectory)[-limit:]


def select_organizations(
    trajectory: Mapping[str, Mapping[str, int]], *, first: Iterable[str] = (), limit: int = 20
) -> list[str]:
    """Pick which organizations to chart: those in `first` (the changed ones), then the
    largest, at most `limit` (forty bars read badly); biggest in the newest edition first."""
    editions = editions_in(trajectory)

    def size(org: str) -> tuple[int, int, str]:
        counts = trajectory[org]
        return (-counts.get(editions[-1], 0), -max(counts.values(), default=0), org)

    chosen = [org for org in dict.fromkeys(first) if org in trajectory][:limit]
    rest = sorted((org for org in trajectory if org not in chosen), key=size)
    return sorted(chosen + rest[: max(0, limit - len(chosen))], key=size)


@dataclass(frozen=True)
class TrendPanel:
    """A small line panel under the bars: a few organizations across every edition."""

    series: Mapping[str, Mapping[str, int]]
    editions: list[str]
    title: str


def render_chart(
    trajectory: Mapping[str, Mapping[str, int]],
    organizations: list[str],
    *,
    labels: Mapping[str, str] | None = None,
    trend: TrendPanel | None = None,
) -> bytes | None:
    """Grouped horizontal bars, one group per organization and one bar per recent edition,
    and under them the `trend` panel when given; PNG bytes, or None when there is nothing
    to draw."""
    editions = recent_editions({org: trajectory[org] for org in organizations if org in trajectory})
    if not organizations or not editions:
        return None
    labels = labels or {}
    rows = len(organizations)
    bar = 0.8 / len(editions)
    height = max(2.5, 0.42 * rows + 1.4)
    figure = Figure(figsize=(7.5, height + (2.6 if trend else 0)), dpi=110, facecolor="#ffffff")
    FigureCanvasAgg(figure)
    if trend is not None:
        grid = figure.add_gridspec(2, 1, height_ratios=[height, 2.6])
        axes = figure.add_subplot(grid[0], facecolor="#ffffff")
        trend_axes = figure.add_subplot(grid[1], facecolor="#ffffff")
        _plot_lines(trend_axes, trend.series, trend.editions, labels=labels, ylabel="paragraphs")
        trend_axes.set_title(trend.title, fontsize=9, color="#222222", loc="left")
    else:
        axes = figure.add_subplot(1, 1, 1, facecolor="#ffffff")
    for index, edition in enumerate(editions):
        positions = [row + index * bar for row in range(rows)]
        values = [trajectory[org].get(edition, 0) for org in organizations]
        axes.barh(
            positions,
            values,
            height=bar,
            color=EDITION_COLORS[index % len(EDITION_COLORS)],
            label=edition,
        )
    axes.set_yticks([row + bar * (len(editions) - 1) / 2 for row in range(rows)])
    axes.set_yticklabels([labels.get(org, org) for org in organizations], fontsize=9)
    axes.margins(y=0.01)
    axes.invert_yaxis()
    axes.set_xlabel("paragraphs in the organization's section", fontsize=9, color="#222222")
    axes.tick_params(colors="#222222", labelsize=9)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=min(len(editions), 4),
        fontsize=8,
        frameon=False,
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="#ffffff", metadata={"Software": None})
    return buffer.getvalue()


def render_trend_chart(
    series: Mapping[str, Mapping[str, float]],
    editions: list[str],
    *,
    ylabel: str,
    labels: Mapping[str, str] | None = None,
    percent: bool = False,
    size: tuple[float, float] = (7.5, 4.2),
) -> bytes | None:
    """One line per series across `editions` (oldest first), a marker per edition it has
    a value in; PNG bytes, or None when there is nothing to draw. `percent` reads values as
    shares (0-1) and labels the axis in percent."""
    if not any(edition in series[name] for name in series for edition in editions):
        return None
    figure = Figure(figsize=size, dpi=110, facecolor="#ffffff")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1, facecolor="#ffffff")
    _plot_lines(axes, series, editions, labels=labels or {}, ylabel=ylabel, percent=percent)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="#ffffff", metadata={"Software": None})
    return buffer.getvalue()


def _plot_lines(
    axes,
    series: Mapping[str, Mapping[str, float]],
    editions: list[str],
    *,
    labels: Mapping[str, str],
    ylabel: str,
    percent: bool = False,
) -> None:
    """Draw one line per series across `editions` on `axes`, legend on the right."""
    names = [name for name in series if any(edition in series[name] for edition in editions)]
    positions = range(len(editions))
    styles = ("-", "--", ":", "-.")
    scale = 100.0 if percent else 1.0
    for index, name in enumerate(names):
        values = [series[name].get(edition) for edition in editions]
        points = [(x, v * scale) for x, v in zip(positions, values, strict=True) if v is not None]
        axes.plot(
            [x for x, _ in points],
            [y for _, y in points],
            marker="o",
            markersize=4,
            linewidth=1.6,
            linestyle=styles[(index // len(EDITION_COLORS)) % len(styles)],
            color=EDITION_COLORS[index % len(EDITION_COLORS)],
            label=labels.get(name, name),
        )
    axes.set_xticks(list(positions))
    axes.set_xticklabels(editions, fontsize=8)
    axes.set_ylabel(ylabel + (" (%)" if percent else ""), fontsize=9, color="#222222")
    axes.tick_params(colors="#222222", labelsize=8)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, frameon=False)
