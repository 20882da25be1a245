-- Version 4: the manifest every run writes at its end, failed or not (issue 11): which
-- documents it saw with their hashes and outcomes, what it parsed, gated, found and mailed.

CREATE TABLE IF NOT EXISTS run_manifests (
    run_id VARCHAR PRIMARY KEY,
    status VARCHAR NOT NULL,
    source VARCHAR,
    documents JSON NOT NULL,
    fetched_count INTEGER NOT NULL,
    unchanged_count INTEGER NOT NULL,
    reissued_count INTEGER NOT NULL,
    suspect_count INTEGER NOT NULL,
    skipped_count INTEGER NOT NULL,
    failed_count INTEGER NOT NULL,
    gates_passed_count INTEGER NOT NULL,
    gates_failed_count INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    email_count INTEGER NOT NULL,
    email_status VARCHAR,
    open_breakers VARCHAR[] NOT NULL,
    notes VARCHAR[] NOT NULL,
    failures VARCHAR[] NOT NULL,
    written_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE run_manifests IS 'What each run did, written at its end whether it failed or not: the documents it saw with their hashes and outcomes, and what it counted.';
COMMENT ON COLUMN run_manifests.run_id IS 'Run described (runs.run_id).';
COMMENT ON COLUMN run_manifests.status IS 'How the run ended: completed or failed.';
COMMENT ON COLUMN run_manifests.source IS 'Where documents came from: bundled, the UN services, or a mirror URL.';
COMMENT ON COLUMN run_manifests.documents IS 'Documents seen as JSON: [{symbol, language, sha256, outcome}], outcome being fetched, unchanged, reissued, suspect_absence, skipped, absent or failed.';
COMMENT ON COLUMN run_manifests.fetched_count IS 'Documents whose body was fetched or read anew.';
COMMENT ON COLUMN run_manifests.unchanged_count IS 'Documents found with the bytes and parser version already loaded.';
COMMENT ON COLUMN run_manifests.reissued_count IS 'Documents loaded again under the same symbol with different bytes (reissues).';
COMMENT ON COLUMN run_manifests.suspect_count IS 'Documents already held that the server reported absent: kept as loaded and retried next run.';
COMMENT ON COLUMN run_manifests.skipped_count IS 'Documents not asked for because a circuit breaker had opened for their host.';
COMMENT ON COLUMN run_manifests.failed_count IS 'Documents that failed to fetch or parse.';
COMMENT ON COLUMN run_manifests.gates_passed_count IS 'Parses loaded whose text-preservation gate and block ledger passed.';
COMMENT ON COLUMN run_manifests.gates_failed_count IS 'Parses loaded whose text-preservation gate or block ledger failed: their diffs are uncertain and never mailed.';
COMMENT ON COLUMN run_manifests.event_count IS 'Change events found by the diffs the run stored (unchanged ones left out).';
COMMENT ON COLUMN run_manifests.email_count IS 'Digests queued by the run (one per distinct digest, shared by its recipients).';
COMMENT ON COLUMN run_manifests.email_status IS 'What happened to the run''s emails: sent, pending, failed, none.';
COMMENT ON COLUMN run_manifests.open_breakers IS 'Hosts whose circuit breaker opened during the run (too many consecutive misses).';
COMMENT ON COLUMN run_manifests.notes IS 'What the run said about itself besides failures (suspect absences, reissues, breakers, ...).';
COMMENT ON COLUMN run_manifests.failures IS 'Why the run failed, one line per failure; empty when it completed.';
COMMENT ON COLUMN run_manifests.written_at IS 'When the manifest was written (UTC).';
