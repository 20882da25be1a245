-- Version 7: the whole UN symbol grammar (issue 20). Symbol-shaped texts the grammar does not
-- know are kept as unresolved citations and counted in the parse ledger; corrigenda, addenda,
-- revisions and amendments of an edition are stored as their own documents linked to it.

CREATE TABLE IF NOT EXISTS unresolved_citations (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    paragraph_number INTEGER,
    position INTEGER NOT NULL,
    cited_text VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE unresolved_citations IS 'Symbol-shaped texts a loaded document cites (an organ prefix, a slash, a number) that the symbol grammar (extractors/enrich/reference/symbol_grammar.yaml) does not know: kept with their text, never fetched, never dropped.';
COMMENT ON COLUMN unresolved_citations.symbol IS 'Citing document (documents.symbol).';
COMMENT ON COLUMN unresolved_citations.language IS 'Language of the citing text.';
COMMENT ON COLUMN unresolved_citations.paragraph_number IS 'Citing paragraph; NULL for a text of the document as a whole (summary, cover).';
COMMENT ON COLUMN unresolved_citations.position IS 'Order of the text in its paragraph (or in the document list), from 0.';
COMMENT ON COLUMN unresolved_citations.cited_text IS 'The text as printed, upper-cased with spaces and dash variants removed (A/XYZ/12/3).';
COMMENT ON COLUMN unresolved_citations.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN unresolved_citations.run_id IS 'Run that wrote the row (runs.run_id).';

ALTER TABLE parses ADD COLUMN unresolved_citation_count INTEGER;
COMMENT ON COLUMN parses.unresolved_citation_count IS 'Symbol-shaped texts the parse found that the symbol grammar does not know (rows of unresolved_citations, distinct); NULL for parses recorded before version 7.';

CREATE TABLE IF NOT EXISTS edition_companions (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    edition_symbol VARCHAR NOT NULL,
    companion VARCHAR NOT NULL CHECK (companion IN ('corrigendum', 'addendum', 'revision', 'amendment')),
    first_run_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language)
);
COMMENT ON TABLE edition_companions IS 'Corrigenda, addenda, revisions and amendments of an edition (A/77/277/Corr.1 of A/77/277): each is its own row of documents, fetched with its edition, linked to it here and never taken for a new edition.';
COMMENT ON COLUMN edition_companions.symbol IS 'The companion document (documents.symbol), e.g. A/77/277/Corr.1.';
COMMENT ON COLUMN edition_companions.language IS 'Language of the companion text (documents.language).';
COMMENT ON COLUMN edition_companions.edition_symbol IS 'The edition it belongs to (editions.symbol): its symbol without the suffix.';
COMMENT ON COLUMN edition_companions.companion IS 'What it is, from its last suffix: corrigendum (/Corr.n), addendum (/Add.n), revision (/Rev.n) or amendment (/Amend.n).';
COMMENT ON COLUMN edition_companions.first_run_id IS 'Run that first stored the companion in this language (runs.run_id): the run whose digest names it.';
COMMENT ON COLUMN edition_companions.run_id IS 'Run that last stored the companion''s bytes (runs.run_id).';
