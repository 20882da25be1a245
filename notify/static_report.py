"""The digest as a static report: reports/<old>__<new>.html (+ its chart .png) and .md,
plus the Markdown a Prefect artifact shows; same content as the email."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.atomic_write import write_atomically
from notify.digest import REPORT_LIMITS, Digest, Limits, digest_context, render
from notify.report_paths import report_stem, safe_symbol
from warehouse.diff.change_events import EditionDiff

if TYPE_CHECKING:
    from warehouse.diff.similarity import EditionSimilarity

__all__ = ["ReportFiles", "artifact_key", "render_markdown", "report_stem", "safe_symbol"]


@dataclass(frozen=True)
class ReportFiles:
    """Paths of one written report."""

    html: Path
    markdown: Path
    chart: Path | None


def artifact_key(old: str, new: str) -> str:
    """Prefect artifact key for a pair of editions (lowercase letters, digits, dashes),
    stable across runs so Prefect keeps the versions of one report together."""
    stem = re.sub(r"[^a-z0-9]+", "-", f"coopwatch-{old}-vs-{new}".lower())
    return stem.strip("-")


def _context(
    digest: Digest, diff: EditionDiff, similarity: EditionSimilarity | None
) -> dict[str, Any]:
    """The digest's own context (built with its similarity, if any); a digest carrying none
    is rebuilt from the diff and `similarity`."""
    if digest.context is not None:
        return dict(digest.context)
    return digest_context(diff, trajectory={}, names={}, similarity=similarity)


def render_markdown(
    digest: Digest,
    diff: EditionDiff,
    chart_src: str | None = None,
    limits: Limits = REPORT_LIMITS,
    *,
    similarity: EditionSimilarity | None = None,
) -> str:
    """The report as Markdown (document text escaped), for the .md file and the Prefect
    artifact; pass EMAIL_LIMITS for an artifact as short as the email. `similarity` is
    used only when the digest carries no context of its own."""
    context = _context(digest, diff, similarity)
    return render("report.md.j2", context, limits, chart_src=chart_src, browse_base="")


def write_reports(
    digest: Digest,
    diff: EditionDiff,
    reports_dir: Path,
    *,
    similarity: EditionSimilarity | None = None,
) -> ReportFiles:
    """Write <old>__<new>.html, .md and the chart .png they show into `reports_dir`; they
    say how similar the editions are when the digest was built with their similarity (or,
    for a digest carrying no context, when `similarity` is given)."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    stem = report_stem(diff.old, diff.new)
    chart = reports_dir / f"{stem}.png" if digest.chart_png else None
    if chart is not None and digest.chart_png is not None:
        write_atomically(chart, digest.chart_png)
    context = _context(digest, diff, similarity)
    chart_src = chart.name if chart else None
    html = reports_dir / f"{stem}.html"
    markdown = reports_dir / f"{stem}.md"
    # The report sits beside organizations/ and areas/: its browse links are relative.
    write_atomically(html, render("digest.html.j2", context, chart_src=chart_src, browse_base=""))
    write_atomically(markdown, render("report.md.j2", context, chart_src=chart_src, browse_base=""))
    return ReportFiles(html=html, markdown=markdown, chart=chart)
