"""The run manifest as a Prefect artifact: one table row per document the run saw, and the
counts in the description, under a fixed key so the UI shows its history run after run."""

from __future__ import annotations

from prefect.artifacts import create_table_artifact

from warehouse.manifests import RunManifest

MANIFEST_KEY = "coopwatch-run-manifest"


def manifest_table(manifest: RunManifest) -> list[dict[str, str]]:
    """The artifact's rows: symbol, language, outcome and hash of each document seen."""
    return [
        {"symbol": symbol, "language": language, "outcome": outcome, "sha256": sha256}
        for symbol, language, outcome, sha256 in manifest.rows()
    ]


def publish_manifest(manifest: RunManifest) -> None:
    """Create the manifest artifact of the current flow run (the counts as its description)."""
    notes = "; ".join(manifest.notes + manifest.failures)
    create_table_artifact(
        table=manifest_table(manifest),
        key=MANIFEST_KEY,
        description=manifest.headline() + (f". {notes}" if notes else ""),
    )
