-- Version 9: runs and commands told apart, and status columns holding only documented values
-- (issue 31). An `ingest`, `reparse` or `rebuild` is a row of `runs` too, but never the
-- "last successful run"; `email_status` held the send's own line ('sent 1 (eml)'), now kept
-- in `email_detail` beside one of the documented values.

ALTER TABLE runs ADD COLUMN kind VARCHAR DEFAULT 'run';
UPDATE runs SET kind = CASE WHEN source IN ('ingest', 'reparse', 'rebuild') THEN source ELSE 'run' END;
ALTER TABLE runs ADD COLUMN email_detail VARCHAR;
UPDATE runs SET email_detail = email_status,
    email_status = CASE
        WHEN email_status IS NULL OR email_status IN ('none', 'nothing to send') THEN 'none'
        WHEN email_status IN ('sent', 'pending', 'failed') THEN email_status
        WHEN email_status LIKE 'skipped:%' THEN 'pending'
        WHEN email_status LIKE '%failed for good%' THEN 'failed'
        WHEN email_status LIKE '%pending%' THEN 'pending'
        WHEN email_status LIKE 'sent %' THEN 'sent'
        ELSE 'failed'
    END;
ALTER TABLE run_manifests ADD COLUMN email_detail VARCHAR;
UPDATE run_manifests SET email_detail = email_status,
    email_status = CASE
        WHEN email_status IS NULL OR email_status IN ('none', 'nothing to send') THEN 'none'
        WHEN email_status IN ('sent', 'pending', 'failed') THEN email_status
        WHEN email_status LIKE 'skipped:%' THEN 'pending'
        WHEN email_status LIKE '%failed for good%' THEN 'failed'
        WHEN email_status LIKE '%pending%' THEN 'pending'
        WHEN email_status LIKE 'sent %' THEN 'sent'
        ELSE 'failed'
    END;

COMMENT ON COLUMN runs.kind IS 'run (a pipeline run: nightly, backfill or manual `coopwatch run`), ingest, reparse or rebuild (a command that loaded documents). Only a run counts as the "last successful run".';
COMMENT ON COLUMN runs.status IS 'running (started, not yet ended, or killed), completed or failed.';
COMMENT ON COLUMN runs.email_status IS 'What happened to the emails: sent (every one delivered), pending (one left in the outbox for the next send: an error to retry, or another sender held the outbox), failed (one given up for good, or an outcome that could not be read), none (nothing to send; always none for ingest, reparse and rebuild).';
COMMENT ON COLUMN runs.email_detail IS 'The send''s own account in words, e.g. ''sent 1 (eml)'' or ''sent 0 (smtp), 1 pending after an error: ...''; NULL when nothing was sent.';
COMMENT ON COLUMN run_manifests.email_status IS 'What happened to the run''s emails: sent, pending, failed or none, as runs.email_status.';
COMMENT ON COLUMN run_manifests.email_detail IS 'The send''s own account in words, as runs.email_detail.';
COMMENT ON COLUMN fetches.outcome IS 'What the fetch amounted to: downloaded (new bytes, kept), not_modified (HTTP 304), unchanged_hash (the same bytes as before), absent (the service does not have the document), failed (see error) or skipped (not asked: the host''s circuit breaker was open).';
COMMENT ON COLUMN alerts.kind IS 'Kind of alert: run_failure, edition_overdue or no_success.';
