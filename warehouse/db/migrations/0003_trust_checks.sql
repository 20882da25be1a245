-- Version 3: what makes a run trustworthy (issue 11): the text-preservation gate and the
-- ledger check stored with each parse, and how similar each edition is to the one before it.

ALTER TABLE parses ADD COLUMN ledger_balanced BOOLEAN;
ALTER TABLE parses ADD COLUMN gate_method VARCHAR;
ALTER TABLE parses ADD COLUMN gate_coverage DOUBLE;
ALTER TABLE parses ADD COLUMN gate_threshold DOUBLE;
ALTER TABLE parses ADD COLUMN gate_longest_gap INTEGER;
ALTER TABLE parses ADD COLUMN gate_missing_words VARCHAR[];
ALTER TABLE parses ADD COLUMN gate_reasons VARCHAR[];
ALTER TABLE parses ADD COLUMN checked_at TIMESTAMP;
COMMENT ON COLUMN parses.ledger_balanced IS 'True when the parse accounts for every block: placed + dropped = blocks in, and the structure needs no more blocks than were placed; NULL when not checked.';
COMMENT ON COLUMN parses.gate_method IS 'Independent extraction the gate compared with: pypdf (a second PDF library), raw-text (the decoded text, markup stripped), docx-xml (word/document.xml) or html-text (BeautifulSoup get_text).';
COMMENT ON COLUMN parses.gate_coverage IS 'Share of the independent extraction''s content words (lower-cased, stop words and numbers out) found in the parse (paragraphs, headings, dropped blocks), 0 to 1.';
COMMENT ON COLUMN parses.gate_threshold IS 'Coverage the gate required to pass.';
COMMENT ON COLUMN parses.gate_longest_gap IS 'Longest run of consecutive content words of the independent extraction missing from the parse: a lost block shows as a long run.';
COMMENT ON COLUMN parses.gate_missing_words IS 'A sample of the content words missing from the parse, most frequent first.';
COMMENT ON COLUMN parses.gate_reasons IS 'Why the gate or the ledger check failed, one sentence each; empty when both passed.';
COMMENT ON COLUMN parses.checked_at IS 'When the gate and the ledger check were recorded (UTC).';

CREATE TABLE IF NOT EXISTS edition_similarity (
    old_symbol VARCHAR NOT NULL,
    new_symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    scope VARCHAR NOT NULL CHECK (scope IN ('edition', 'section')),
    organization_id VARCHAR,
    similarity DOUBLE NOT NULL,
    old_words INTEGER NOT NULL,
    new_words INTEGER NOT NULL,
    changed_words INTEGER NOT NULL,
    old_paragraphs INTEGER NOT NULL,
    new_paragraphs INTEGER NOT NULL,
    aligned_count INTEGER NOT NULL,
    moved_count INTEGER NOT NULL,
    added_count INTEGER NOT NULL,
    removed_count INTEGER NOT NULL,
    alignment JSON NOT NULL,
    run_id VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE edition_similarity IS 'How similar each edition is to the one before it: one row for the whole text and one per organization section present in either edition.';
COMMENT ON COLUMN edition_similarity.old_symbol IS 'Previous edition compared (editions.symbol).';
COMMENT ON COLUMN edition_similarity.new_symbol IS 'Edition compared with it (editions.symbol).';
COMMENT ON COLUMN edition_similarity.language IS 'Language of the texts compared.';
COMMENT ON COLUMN edition_similarity.scope IS 'edition (the whole text) or section (one organization''s section).';
COMMENT ON COLUMN edition_similarity.organization_id IS 'Organization whose sections are compared (organizations.organization_id); NULL for the whole edition.';
COMMENT ON COLUMN edition_similarity.similarity IS 'Word-sequence similarity of the two texts, 0 (nothing shared) to 1 (identical), as difflib.SequenceMatcher.ratio over content words.';
COMMENT ON COLUMN edition_similarity.old_words IS 'Content words (stop words and numbers out) of the previous text.';
COMMENT ON COLUMN edition_similarity.new_words IS 'Content words of the newer text.';
COMMENT ON COLUMN edition_similarity.changed_words IS 'Content words not shared in sequence (old_words + new_words - 2 x matched): the size of the change, used to sort organizations.';
COMMENT ON COLUMN edition_similarity.old_paragraphs IS 'Numbered paragraphs in the previous edition (or section).';
COMMENT ON COLUMN edition_similarity.new_paragraphs IS 'Numbered paragraphs in the newer edition (or section).';
COMMENT ON COLUMN edition_similarity.aligned_count IS 'Paragraphs of the newer text aligned with a paragraph of the previous one by text similarity.';
COMMENT ON COLUMN edition_similarity.moved_count IS 'Aligned paragraphs whose order changed (outside the longest run kept in order).';
COMMENT ON COLUMN edition_similarity.added_count IS 'Paragraphs of the newer text aligned with none of the previous one.';
COMMENT ON COLUMN edition_similarity.removed_count IS 'Paragraphs of the previous text aligned with none of the newer one.';
COMMENT ON COLUMN edition_similarity.alignment IS 'Aligned paragraphs as JSON: [{old, new, score, moved}] with paragraph numbers.';
COMMENT ON COLUMN edition_similarity.run_id IS 'Run that computed the similarity (runs.run_id).';
COMMENT ON COLUMN edition_similarity.computed_at IS 'When the similarity was computed (UTC).';
