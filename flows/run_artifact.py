"""The run's one Prefect artifact: its account above a table of every document it saw (the
manifest), under a fixed key so the UI shows the history run after run.

One artifact, one API call, made while the run writes its record: the API's work on it (some
20-40 ms on a quiet night, behind the events of the run's tasks) then overlaps the write
instead of following it. When the run ends otherwise than the artifact said (its write
failed, or a later step added a note), the artifact is updated before the flow returns.
"""

from __future__ import annotations

import contextvars
import json
import threading
from dataclasses import dataclass
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import ArtifactCreate, ArtifactUpdate
from prefect.context import get_run_context
from prefect.utilities.context import get_task_and_flow_run_ids

from common.redaction import redact_secrets
from warehouse.runs.manifests import RunManifest
from warehouse.runs.run_account import RunSummary

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


@dataclass(frozen=True)
class ArtifactContent:
    """What the artifact shows: the manifest table as JSON, and the account above it, with
    every secret setting taken out of what they quote of a server."""

    data: str
    description: str

    @classmethod
    def of(cls, summary: RunSummary, status: str, source: str) -> ArtifactContent:
        """The content for a run that ends with `status`."""
        manifest = summary.manifest(status, source)
        data = json.dumps(manifest_table(manifest))
        return cls(redact_secrets(data), redact_secrets(run_account(summary, manifest)))


class RunArtifact:
    """The run's artifact: published ahead beside the run's write, made true at the end."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._ahead: threading.Thread | None = None
        self._published: ArtifactContent | None = None
        self._artifact_id: UUID | None = None

    def publish_ahead(self, summary: RunSummary, status: str) -> None:
        """Create the artifact in a thread, saying the run ends with `status`, while the run
        goes on with its write; `publish` waits for it. Nothing more when one is already
        under way (`publish` makes it true at the end)."""
        if self._ahead is not None:
            return
        content = ArtifactContent.of(summary, status, self.source)
        request = _request(content)
        client = _client()
        self._published = content
        self._ahead = threading.Thread(
            target=contextvars.copy_context().run,
            args=(self._create, client, request),
            name="publish-run-artifact",
        )
        self._ahead.start()

    def publish(self, summary: RunSummary, status: str) -> None:
        """Make the artifact say how the run ended: nothing more when the artifact published
        ahead already does, an update when the account changed since, else a creation (an
        error of the API's is the caller's, as for any step of the run)."""
        content = ArtifactContent.of(summary, status, self.source)
        if self._ahead is not None:
            self._ahead.join()
            self._ahead = None
        if self._artifact_id is not None and content == self._published:
            return
        client = _client()
        if self._artifact_id is not None:
            update = ArtifactUpdate(data=content.data, description=content.description)
            client.update_artifact(self._artifact_id, update)
        else:
            self._artifact_id = client.create_artifact(_request(content)).id
        self._published = content

    def _create(self, client: SyncPrefectClient, request: ArtifactCreate) -> None:
        try:
            self._artifact_id = client.create_artifact(request).id
        except Exception:  # no id: `publish` creates it again, in the run's own thread
            self._artifact_id = None


def _request(content: ArtifactContent) -> ArtifactCreate:
    """The API request creating the artifact on the current flow (or task) run."""
    task_run_id, flow_run_id = get_task_and_flow_run_ids()
    return ArtifactCreate(
        type="table",
        key=RUN_ARTIFACT_KEY,
        description=content.description,
        data=content.data,
        flow_run_id=flow_run_id,
        task_run_id=task_run_id,
    )


def _client() -> SyncPrefectClient:
    """The flow run's own API client (already connected), else a new one."""
    client = getattr(get_run_context(), "client", None)
    return client if isinstance(client, SyncPrefectClient) else get_client(sync_client=True)
