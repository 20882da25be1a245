-- Version 8: resolutions and their paragraphs (issue 19). A fetched or ingested resolution
-- kept only its documents row and citations; now its organ, session, adoption, meeting and
-- paragraphs are rows too, and a cooperation resolution says which organizations it asks to
-- be reported on and for which session (the `mandates` view of views.sql reads them).

CREATE TABLE IF NOT EXISTS resolutions (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    organ VARCHAR,
    session INTEGER,
    year INTEGER,
    adopted DATE,
    meeting INTEGER,
    title VARCHAR,
    is_cooperation BOOLEAN NOT NULL,
    cites_edition VARCHAR,
    requested_session INTEGER,
    request_paragraph INTEGER,
    warnings VARCHAR[] NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language)
);
COMMENT ON TABLE resolutions IS 'Every resolution and presidential statement loaded, one row per symbol and language (documents.kind resolution or presidential_statement): who adopted it, when, and for a cooperation resolution what it asks of the next report.';
COMMENT ON COLUMN resolutions.symbol IS 'Symbol of the resolution (documents.symbol), e.g. A/RES/77/13 or S/RES/2524(2020).';
COMMENT ON COLUMN resolutions.language IS 'Language of this text (documents.language).';
COMMENT ON COLUMN resolutions.organ IS 'Organ that adopted it: General Assembly or Security Council; NULL when neither symbol nor text says.';
COMMENT ON COLUMN resolutions.session IS 'General Assembly session read from the symbol (77 for A/RES/77/13); NULL for the Security Council.';
COMMENT ON COLUMN resolutions.year IS 'Year read from a Security Council symbol (2020 for S/RES/2524(2020)), else the adoption year.';
COMMENT ON COLUMN resolutions.adopted IS 'Adoption date, when the text states it.';
COMMENT ON COLUMN resolutions.meeting IS 'Number of the meeting that adopted it (39 for the 39th plenary meeting), when stated.';
COMMENT ON COLUMN resolutions.title IS 'Title as printed.';
COMMENT ON COLUMN resolutions.is_cooperation IS 'True when the title is a cooperation title (extractors/resolution/mandates.yaml: "Cooperation between the United Nations and ...").';
COMMENT ON COLUMN resolutions.cites_edition IS 'For a cooperation resolution: the first edition of the report it cites (a symbol of extractors/report/editions.yaml), by its first symbol (A/77/277 for A/77/277-S/2022/606); NULL when it cites none, whatever else it cites.';
COMMENT ON COLUMN resolutions.requested_session IS 'For a cooperation resolution: the session it asks the Secretary-General to report at (79 for "at its seventy-ninth session"), where an operative paragraph states it.';
COMMENT ON COLUMN resolutions.request_paragraph IS 'Number of the operative paragraph that asks for the report (resolution_paragraphs.number).';
COMMENT ON COLUMN resolutions.warnings IS 'What the parse could not decide, each naming the resolution, e.g. a cooperation title naming no known organization.';
COMMENT ON COLUMN resolutions.parser_version IS 'Version of the parser that derived the row (documents.parser_version).';
COMMENT ON COLUMN resolutions.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS resolution_paragraphs (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('preambular', 'operative', 'annex')),
    position INTEGER NOT NULL,
    number INTEGER,
    text VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language, kind, position)
);
COMMENT ON TABLE resolution_paragraphs IS 'Paragraphs of each loaded resolution or statement, in order: preambular, operative and annex.';
COMMENT ON COLUMN resolution_paragraphs.symbol IS 'Resolution (resolutions.symbol).';
COMMENT ON COLUMN resolution_paragraphs.language IS 'Language of the text (resolutions.language).';
COMMENT ON COLUMN resolution_paragraphs.kind IS 'preambular, operative or annex (an annexed text, or a declaration an "Adopts the following" paragraph brings).';
COMMENT ON COLUMN resolution_paragraphs.position IS 'Order of the paragraph within its kind, from 0.';
COMMENT ON COLUMN resolution_paragraphs.number IS 'Number as printed (operative and annex paragraphs); NULL for preambular and unnumbered paragraphs.';
COMMENT ON COLUMN resolution_paragraphs.text IS 'Text of the paragraph, spaces normalized.';
COMMENT ON COLUMN resolution_paragraphs.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN resolution_paragraphs.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS resolution_organizations (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    organization_id VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language, position)
);
COMMENT ON TABLE resolution_organizations IS 'Organizations the title of a cooperation resolution names, matched through the same canonical names and aliases as report headings (FR and EN); none when the title names no known organization.';
COMMENT ON COLUMN resolution_organizations.symbol IS 'Resolution (resolutions.symbol).';
COMMENT ON COLUMN resolution_organizations.language IS 'Language of the title matched (resolutions.language).';
COMMENT ON COLUMN resolution_organizations.position IS 'Order of the organization in the title, from 0.';
COMMENT ON COLUMN resolution_organizations.organization_id IS 'Organization (organizations.organization_id).';
COMMENT ON COLUMN resolution_organizations.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN resolution_organizations.run_id IS 'Run that wrote the row (runs.run_id).';
