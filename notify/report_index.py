"""The report index, reports/index.html: how cooperation moves across every loaded edition.

Charts (PNG, matplotlib) of each organization's section size in paragraphs and as a share
of its edition, and of each broad area's share; each chart's numbers as a table beside it
for screen readers; links to every pairwise change report and to the page of every
organization and area, with a search box that filters them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from common.atomic_write import write_atomically
from notify.browse_pages import write_browse_pages
from notify.chart import render_trend_chart
from notify.digest import area_names, environment, organization_label
from notify.static_report import report_stem
from warehouse.report_queries import EditionTrajectories, edition_trajectories, organization_names

INDEX_NAME = "index.html"
# Lines per chart: beyond a dozen a line chart is a tangle; the tables keep every row.
CHART_SERIES = 12


@dataclass(frozen=True)
class IndexFiles:
    """Paths of the written index and its charts."""

    html: Path
    charts: tuple[Path, ...]


def largest(series: dict[str, dict[str, Any]], limit: int = CHART_SERIES) -> list[str]:
    """The `limit` series with the largest peak value, largest first (ties by name)."""
    return sorted(series, key=lambda name: (-max(series[name].values(), default=0), name))[:limit]


def index_context(
    data: EditionTrajectories,
    names: dict[str, str],
    areas: dict[str, str],
    existing_reports: set[str],
) -> dict[str, Any]:
    """What index.html.j2 renders: per chart its file, caption and table rows (every
    organization and area, largest first), and every pair of editions compared."""
    editions = list(data.editions)
    organizations = largest(data.organization_paragraphs, limit=len(data.organization_paragraphs))
    area_ids = largest(data.area_shares, limit=len(data.area_shares))
    return {
        "editions": [{"symbol": s, "year": data.years.get(s)} for s in editions],
        "organizations": [
            {
                "label": organization_label(org, names),
                "cells": [
                    {
                        "paragraphs": data.organization_paragraphs[org].get(edition),
                        "share": _share(data.organization_shares[org].get(edition)),
                    }
                    for edition in editions
                ],
            }
            for org in organizations
        ],
        "areas": [
            {
                "label": areas.get(area, area),
                "cells": [_share(data.area_shares[area].get(edition)) for edition in editions],
            }
            for area in area_ids
        ],
        "pairs": [
            {
                "old": old,
                "new": new,
                "changed": changed,
                "href": f"{report_stem(old, new)}.html",
                "written": f"{report_stem(old, new)}.html" in existing_reports,
            }
            for old, new, changed in data.pairs
        ],
    }


def _share(value: float | None) -> str | None:
    """A share of the edition to one decimal ('3.9%'): shares move by tenths across editions."""
    return f"{value:.1%}" if value is not None else None


def write_index(
    con: duckdb.DuckDBPyConnection, reports_dir: Path, *, language: str = "fr"
) -> IndexFiles:
    """Write reports_dir/index.html and its three charts from the warehouse, and the pages
    of every organization and area it links to (notify/browse_pages.py)."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    data = edition_trajectories(con, language)
    names = organization_names(con, language)
    editions = list(data.editions)
    chosen = largest(data.organization_paragraphs)
    short = {org: org for org in chosen}
    charts = {
        "index-organizations.png": render_trend_chart(
            {org: data.organization_paragraphs[org] for org in chosen},
            editions,
            ylabel="paragraphs in the organization's section",
            labels=short,
        ),
        "index-organization-shares.png": render_trend_chart(
            {org: data.organization_shares[org] for org in chosen},
            editions,
            ylabel="share of the edition's paragraphs",
            labels=short,
            percent=True,
        ),
        "index-areas.png": render_trend_chart(
            {area: data.area_shares[area] for area in largest(data.area_shares)},
            editions,
            ylabel="share of the edition's paragraphs",
            percent=True,
        ),
    }
    written = []
    for name, png in charts.items():
        if png is not None:
            write_atomically(reports_dir / name, png)
            written.append(reports_dir / name)
    existing = {path.name for path in reports_dir.glob("*__*.html")}
    context = index_context(data, names, area_names(language), existing)
    context["charts"] = {name.removesuffix(".png"): png is not None for name, png in charts.items()}
    context["charted_organizations"] = [organization_label(org, names) for org in chosen]
    browse = write_browse_pages(con, reports_dir, language=language)
    context["browse_organizations"] = browse.organizations
    context["browse_areas"] = browse.areas
    html = reports_dir / INDEX_NAME
    write_atomically(html, environment().get_template("index.html.j2").render(context))
    return IndexFiles(html=html, charts=tuple(written))
