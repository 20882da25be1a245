-- Version 2: the ledger a run keeps so its results can be trusted (issues 7 and 11):
-- what each parse placed and dropped, reissues of a symbol, and the state of alerts.

CREATE TABLE IF NOT EXISTS parses (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    blocks_in INTEGER NOT NULL,
    placed INTEGER NOT NULL,
    dropped_count INTEGER NOT NULL,
    dropped JSON NOT NULL,
    dropped_reasons JSON NOT NULL,
    warnings VARCHAR[] NOT NULL,
    gate_passed BOOLEAN,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language, sha256, parser_version)
);
COMMENT ON TABLE parses IS 'Accounting of every parse loaded: blocks read = placed + dropped, with the reason for each dropped block.';
COMMENT ON COLUMN parses.symbol IS 'Document parsed (documents.symbol).';
COMMENT ON COLUMN parses.language IS 'Language of the text parsed.';
COMMENT ON COLUMN parses.sha256 IS 'SHA-256 of the source bytes parsed.';
COMMENT ON COLUMN parses.parser_version IS 'Version of the parser.';
COMMENT ON COLUMN parses.blocks_in IS 'Blocks the reader produced.';
COMMENT ON COLUMN parses.placed IS 'Blocks placed in the structure (blocks_in - dropped_count).';
COMMENT ON COLUMN parses.dropped_count IS 'Blocks deliberately left out.';
COMMENT ON COLUMN parses.dropped IS 'The dropped blocks as JSON: [{text, reason, page}].';
COMMENT ON COLUMN parses.dropped_reasons IS 'Dropped blocks counted by reason as JSON: {reason: count}.';
COMMENT ON COLUMN parses.warnings IS 'Warnings the parser raised about the document.';
COMMENT ON COLUMN parses.gate_passed IS 'Result of the text-preservation gate; NULL when it was not run.';
COMMENT ON COLUMN parses.run_id IS 'Run that loaded the parse (runs.run_id).';

CREATE TABLE IF NOT EXISTS reissues (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    old_sha256 VARCHAR NOT NULL,
    new_sha256 VARCHAR NOT NULL,
    detected_at TIMESTAMP NOT NULL,
    content_changed BOOLEAN NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language, old_sha256, new_sha256)
);
COMMENT ON TABLE reissues IS 'Documents served again under the same symbol with different bytes (reissued for technical reasons or corrected).';
COMMENT ON COLUMN reissues.symbol IS 'Reissued document (documents.symbol).';
COMMENT ON COLUMN reissues.language IS 'Language of the reissued text.';
COMMENT ON COLUMN reissues.old_sha256 IS 'SHA-256 of the bytes loaded before.';
COMMENT ON COLUMN reissues.new_sha256 IS 'SHA-256 of the new bytes.';
COMMENT ON COLUMN reissues.detected_at IS 'When the reissue was loaded (UTC).';
COMMENT ON COLUMN reissues.content_changed IS 'True when the parsed content changed (paragraphs, sections or chapters), not only the bytes.';
COMMENT ON COLUMN reissues.run_id IS 'Run that detected the reissue (runs.run_id).';

CREATE TABLE IF NOT EXISTS alerts (
    kind VARCHAR PRIMARY KEY,
    state VARCHAR NOT NULL,
    sent_at TIMESTAMP,
    run_id VARCHAR
);
COMMENT ON TABLE alerts IS 'Current state of each kind of alert, so an alert email goes out once per change of state, never once per night.';
COMMENT ON COLUMN alerts.kind IS 'Kind of alert: run_failure, edition_overdue, no_success, ...';
COMMENT ON COLUMN alerts.state IS 'Current state: alerting or ok.';
COMMENT ON COLUMN alerts.sent_at IS 'When the last alert or recovery email for this kind was sent (UTC).';
COMMENT ON COLUMN alerts.run_id IS 'Run that last changed the state (runs.run_id).';
