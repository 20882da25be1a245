"""The run's one Prefect artifact: its account above a table of every document it saw (the
manifest), under a fixed key so the UI shows the history run after run. One artifact, one
API call: a night on which nothing changed costs little more than its tasks."""

from __future__ import annotations

from prefect.artifacts import create_table_artifact

from warehouse.manifests import RunManifest
from warehouse.run_summary import RunSummary

RUN_ARTIFACT_KEY = "coopwatch-run"

# Diff tables in the run's artifact: a 200-document backfill has 198 (2 MB, more than the
# API's event limit and unreadable in the UI); the warehouse holds them all.
ARTIFACT_DIFFS = 4


def manifest_table(manifest: RunManifest) -> list[dict[str, str]]:
    """The artifact's rows: symbol, language, outcome and hash of each document seen."""
    return [
        {"symbol": symbol, "language": language, "outcome": outcome, "sha256": sha256}
        for symbol, language, outcome, sha256 in manifest.rows()
    ]


def run_account(summary: RunSummary, manifest: RunManifest) -> str:
    """The artifact's description (Markdown): the manifest's headline and notes, then the
    run summary as the CLI prints it, the last few diff tables only."""
    notes = "; ".join(manifest.notes + manifest.failures)
    headline = manifest.headline() + (f". {notes}" if notes else "")
    return f"{headline}\n\n```\n{summary.render(max_diffs=ARTIFACT_DIFFS)}\n```"


def publish_run_artifact(summary: RunSummary, status: str, source: str) -> None:
    """Create the run's artifact on the current flow run."""
    manifest = summary.manifest(status, source)
    create_table_artifact(
        table=manifest_table(manifest),
        key=RUN_ARTIFACT_KEY,
        description=run_account(summary, manifest),
    )
