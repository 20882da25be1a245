-- Version 9: footnotes (issue 27). The footnotes printed at the page feet of a report are kept,
-- not dropped: each with its marker, text and page, the paragraph or heading that calls it,
-- and the symbols it cites (footnotes are where most symbols of a UN report are cited).

CREATE TABLE IF NOT EXISTS footnotes (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    footnote_index INTEGER NOT NULL,
    marker VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    page INTEGER,
    paragraph_number INTEGER,
    part VARCHAR,
    heading VARCHAR,
    cited_symbols VARCHAR[] NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE footnotes IS 'Footnotes of a loaded report as printed at its page feet, in print order, with the paragraph or heading whose text carries the marker.';
COMMENT ON COLUMN footnotes.symbol IS 'Document (documents.symbol).';
COMMENT ON COLUMN footnotes.language IS 'Language of the document.';
COMMENT ON COLUMN footnotes.footnote_index IS 'Position of the footnote in the document, 0-based, in print order.';
COMMENT ON COLUMN footnotes.marker IS 'The marker as printed: a number (''12'') or asterisks (''*'').';
COMMENT ON COLUMN footnotes.text IS 'Text of the footnote, its lines joined.';
COMMENT ON COLUMN footnotes.page IS 'Page (1-based, as the file counts them) whose foot prints the footnote.';
COMMENT ON COLUMN footnotes.paragraph_number IS 'Paragraph whose text carries the marker: of the body when part is NULL, else of that part; NULL when a heading or the front matter carries it, or no marker was found.';
COMMENT ON COLUMN footnotes.part IS 'Title of the part (annex, enclosure) whose text carries the marker, as printed (''Annex II''); NULL for the body.';
COMMENT ON COLUMN footnotes.heading IS 'Heading whose text carries the marker, as printed; NULL when a paragraph carries it.';
COMMENT ON COLUMN footnotes.cited_symbols IS 'Canonical symbols the footnote cites, in order of first appearance (the same finder as paragraph citations).';
COMMENT ON COLUMN footnotes.parser_version IS 'Report parser version that read the footnote.';
COMMENT ON COLUMN footnotes.run_id IS 'Run that loaded it (runs.run_id).';
