-- CoopWatch warehouse, schema version 1: every table the pipeline writes, documented in
-- DuckDB itself (COMMENT ON) so `coopwatch schema` prints the data dictionary from the file.
-- Applied idempotently by warehouse/db/schema.py; later changes go in warehouse/db/migrations/NNNN_*.sql.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE schema_migrations IS 'Log of the schema versions applied to this file: schema.sql is version 1, each warehouse/db/migrations/NNNN_*.sql file the version NNNN.';
COMMENT ON COLUMN schema_migrations.version IS 'Schema version number (1 = schema.sql, N = migrations/000N_*.sql).';
COMMENT ON COLUMN schema_migrations.name IS 'File that brought the schema to this version.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When the version was applied to this file (UTC).';

CREATE TABLE IF NOT EXISTS schema_state (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
COMMENT ON TABLE schema_state IS 'Small key/value facts about the schema itself, e.g. the SHA-256 of the views.sql applied, so views are recreated only when they change.';
COMMENT ON COLUMN schema_state.key IS 'Name of the fact (views_sha256).';
COMMENT ON COLUMN schema_state.value IS 'Value of the fact.';

CREATE SEQUENCE IF NOT EXISTS fetch_id_seq START 1;

CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    source VARCHAR,
    parameters JSON,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,
    counts MAP(VARCHAR, BIGINT),
    email_status VARCHAR,
    error VARCHAR
);
COMMENT ON TABLE runs IS 'One row per pipeline run (nightly, backfill or manual): what it was asked to do, how it ended and what it counted. Every derived row carries the run_id of the run that wrote it.';
COMMENT ON COLUMN runs.run_id IS 'Identifier of the run (the Prefect flow run id, or one made up by the CLI).';
COMMENT ON COLUMN runs.source IS 'Where documents came from: bundled, the UN services, or a mirror URL.';
COMMENT ON COLUMN runs.parameters IS 'The run''s parameters as JSON (editions, languages, database path, recipients, ...).';
COMMENT ON COLUMN runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN runs.finished_at IS 'When the run finished (UTC); NULL while it is running or if it was killed.';
COMMENT ON COLUMN runs.status IS 'running, then the final state given by the flow (completed, failed, ...).';
COMMENT ON COLUMN runs.counts IS 'Counters of the run, e.g. {fetched, unchanged, parsed, failed, change_events}.';
COMMENT ON COLUMN runs.email_status IS 'What happened to the change email: sent, pending, failed, none.';
COMMENT ON COLUMN runs.error IS 'The error that failed the run, one line; NULL when it succeeded.';

CREATE TABLE IF NOT EXISTS fetches (
    fetch_id BIGINT PRIMARY KEY DEFAULT nextval('fetch_id_seq'),
    run_id VARCHAR NOT NULL,
    symbol VARCHAR,
    language VARCHAR,
    url VARCHAR NOT NULL,
    final_url VARCHAR,
    status INTEGER,
    bytes BIGINT,
    sha256 VARCHAR,
    etag VARCHAR,
    last_modified VARCHAR,
    outcome VARCHAR NOT NULL,
    error VARCHAR,
    fetched_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE fetches IS 'Every HTTP fetch the pipeline made, successful or not, so the raw store can be audited and the warehouse rebuilt offline.';
COMMENT ON COLUMN fetches.fetch_id IS 'Sequential number of the fetch in this file.';
COMMENT ON COLUMN fetches.run_id IS 'Run that made the fetch (runs.run_id).';
COMMENT ON COLUMN fetches.symbol IS 'UN document symbol asked for, e.g. A/77/277.';
COMMENT ON COLUMN fetches.language IS 'Language code asked for (fr, en, ...).';
COMMENT ON COLUMN fetches.url IS 'URL requested first.';
COMMENT ON COLUMN fetches.final_url IS 'URL after redirects, where the body came from.';
COMMENT ON COLUMN fetches.status IS 'HTTP status of the final response; NULL when no response came (timeout, refused).';
COMMENT ON COLUMN fetches.bytes IS 'Size of the body received, in bytes.';
COMMENT ON COLUMN fetches.sha256 IS 'SHA-256 of the body (hex); the key of the raw store.';
COMMENT ON COLUMN fetches.etag IS 'ETag header of the response, for the next conditional request.';
COMMENT ON COLUMN fetches.last_modified IS 'Last-Modified header of the response, as sent.';
COMMENT ON COLUMN fetches.outcome IS 'What the fetch amounted to: stored, not_modified, unchanged, absent, refused, failed, ...';
COMMENT ON COLUMN fetches.error IS 'Why the fetch failed or the body was refused; NULL when it was accepted.';
COMMENT ON COLUMN fetches.fetched_at IS 'When the fetch finished (UTC).';

CREATE TABLE IF NOT EXISTS documents (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('report', 'resolution', 'presidential_statement', 'other')),
    symbols VARCHAR[] NOT NULL,
    title VARCHAR,
    date DATE,
    previous_symbols VARCHAR[] NOT NULL,
    sha256 VARCHAR NOT NULL,
    source_url VARCHAR,
    source_path VARCHAR,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language)
);
COMMENT ON TABLE documents IS 'Every document loaded, one row per symbol and language: editions of the report and the documents they cite. Lineage to the source and the parse.';
COMMENT ON COLUMN documents.symbol IS 'First UN symbol of the document, which names it (A/77/277 for A/77/277-S/2022/606).';
COMMENT ON COLUMN documents.language IS 'Language of this text (fr, en, ...).';
COMMENT ON COLUMN documents.kind IS 'report (an edition of the series), resolution, presidential_statement or other.';
COMMENT ON COLUMN documents.symbols IS 'All symbols of a joint document, in the order printed (A/77/277, S/2022/606).';
COMMENT ON COLUMN documents.title IS 'Title of the document as parsed.';
COMMENT ON COLUMN documents.date IS 'Date of the document (issue date of a report, adoption date of a resolution).';
COMMENT ON COLUMN documents.previous_symbols IS 'For a report, the symbols of the previous edition it cites; empty otherwise.';
COMMENT ON COLUMN documents.sha256 IS 'SHA-256 of the source bytes that were parsed (fetches.sha256, raw store key).';
COMMENT ON COLUMN documents.source_url IS 'URL the source bytes were fetched from; NULL for a bundled file.';
COMMENT ON COLUMN documents.source_path IS 'Path of the file that was parsed (raw store or bundled corpus).';
COMMENT ON COLUMN documents.parser_version IS 'Version of the parser that derived this document''s rows.';
COMMENT ON COLUMN documents.run_id IS 'Run that (re)loaded the document (runs.run_id).';

CREATE TABLE IF NOT EXISTS editions (
    symbol VARCHAR PRIMARY KEY,
    symbols VARCHAR[] NOT NULL,
    year INTEGER,
    session INTEGER,
    date DATE,
    previous_symbol VARCHAR,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE editions IS 'The report series: one row per edition loaded in any language, with its place in the series.';
COMMENT ON COLUMN editions.symbol IS 'General Assembly symbol naming the edition (documents.symbol).';
COMMENT ON COLUMN editions.symbols IS 'All symbols of the edition (General Assembly and Security Council).';
COMMENT ON COLUMN editions.year IS 'Year of the edition: from its date, else from the Security Council symbol, else from the session (session + 1945).';
COMMENT ON COLUMN editions.session IS 'General Assembly session number read from the symbol (73 for A/73/328).';
COMMENT ON COLUMN editions.date IS 'Issue date of the edition, when the parser found it.';
COMMENT ON COLUMN editions.previous_symbol IS 'Symbol of the previous edition, as the edition itself cites it.';
COMMENT ON COLUMN editions.run_id IS 'Run that last wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS chapters (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    chapter_index INTEGER NOT NULL,
    number VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language, chapter_index)
);
COMMENT ON TABLE chapters IS 'Roman-numbered chapters of each loaded report.';
COMMENT ON COLUMN chapters.symbol IS 'Report the chapter belongs to (documents.symbol).';
COMMENT ON COLUMN chapters.language IS 'Language of the report text (documents.language).';
COMMENT ON COLUMN chapters.chapter_index IS 'Position of the chapter in the report, from 0.';
COMMENT ON COLUMN chapters.number IS 'Chapter number as printed (I, II, ...).';
COMMENT ON COLUMN chapters.title IS 'Chapter title as printed.';
COMMENT ON COLUMN chapters.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN chapters.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS sections (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    section_index INTEGER NOT NULL,
    chapter VARCHAR,
    heading VARCHAR NOT NULL,
    first_paragraph INTEGER,
    last_paragraph INTEGER,
    paragraph_count INTEGER NOT NULL,
    word_count INTEGER NOT NULL,
    organization_id VARCHAR,
    organization_ids VARCHAR[] NOT NULL,
    is_unregistered BOOLEAN NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language, section_index)
);
COMMENT ON TABLE sections IS 'Organization sections of each report: a sub-heading and the numbered paragraphs under it.';
COMMENT ON COLUMN sections.symbol IS 'Report the section belongs to (documents.symbol).';
COMMENT ON COLUMN sections.language IS 'Language of the report text (documents.language).';
COMMENT ON COLUMN sections.section_index IS 'Position of the section in the report, from 0 (paragraphs.section_index).';
COMMENT ON COLUMN sections.chapter IS 'Number of the chapter the section is in (chapters.number).';
COMMENT ON COLUMN sections.heading IS 'Sub-heading as printed.';
COMMENT ON COLUMN sections.first_paragraph IS 'Number of the first paragraph of the section.';
COMMENT ON COLUMN sections.last_paragraph IS 'Number of the last paragraph of the section.';
COMMENT ON COLUMN sections.paragraph_count IS 'Number of numbered paragraphs in the section.';
COMMENT ON COLUMN sections.word_count IS 'Words in the section''s paragraphs.';
COMMENT ON COLUMN sections.organization_id IS 'Organization the section is about (organizations.organization_id); NULL when none was recognised.';
COMMENT ON COLUMN sections.organization_ids IS 'Every organization the heading names (a joint section names several).';
COMMENT ON COLUMN sections.is_unregistered IS 'True when the heading names an organization missing from the reference list.';
COMMENT ON COLUMN sections.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN sections.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS paragraphs (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    paragraph_number INTEGER NOT NULL,
    paragraph_index INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    word_count INTEGER NOT NULL,
    page INTEGER,
    section_index INTEGER,
    chapter VARCHAR,
    links VARCHAR[] NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (symbol, language, paragraph_number)
);
COMMENT ON TABLE paragraphs IS 'Numbered paragraphs of each report, the unit of evidence for every change event.';
COMMENT ON COLUMN paragraphs.symbol IS 'Report the paragraph belongs to (documents.symbol).';
COMMENT ON COLUMN paragraphs.language IS 'Language of the report text (documents.language).';
COMMENT ON COLUMN paragraphs.paragraph_number IS 'Paragraph number as printed in the report.';
COMMENT ON COLUMN paragraphs.paragraph_index IS 'Position of the paragraph in the parsed report, from 0.';
COMMENT ON COLUMN paragraphs.text IS 'Full text of the paragraph, without its number.';
COMMENT ON COLUMN paragraphs.word_count IS 'Words in the text (split on white space).';
COMMENT ON COLUMN paragraphs.page IS 'Page of the source where the paragraph starts, when known.';
COMMENT ON COLUMN paragraphs.section_index IS 'Section the paragraph is in (sections.section_index); NULL outside any section.';
COMMENT ON COLUMN paragraphs.chapter IS 'Number of the chapter the paragraph is in (chapters.number).';
COMMENT ON COLUMN paragraphs.links IS 'Link targets found in the paragraph (URLs or bare symbols).';
COMMENT ON COLUMN paragraphs.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN paragraphs.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS organizations (
    organization_id VARCHAR PRIMARY KEY,
    name_en VARCHAR,
    name_fr VARCHAR,
    kind VARCHAR,
    region VARCHAR
);
COMMENT ON TABLE organizations IS 'Reference list of regional and other organizations the report covers (extractors/enrich/reference).';
COMMENT ON COLUMN organizations.organization_id IS 'Stable identifier of the organization (e.g. AU, OSCE).';
COMMENT ON COLUMN organizations.name_en IS 'Official English name.';
COMMENT ON COLUMN organizations.name_fr IS 'Official French name.';
COMMENT ON COLUMN organizations.kind IS 'Kind of organization (regional, subregional, intergovernmental, ...).';
COMMENT ON COLUMN organizations.region IS 'Region the organization belongs to, when it has one.';

CREATE TABLE IF NOT EXISTS organization_aliases (
    organization_id VARCHAR NOT NULL,
    alias VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    is_acronym BOOLEAN NOT NULL
);
COMMENT ON TABLE organization_aliases IS 'Names and acronyms by which the report refers to each organization, per language.';
COMMENT ON COLUMN organization_aliases.organization_id IS 'Organization named (organizations.organization_id).';
COMMENT ON COLUMN organization_aliases.alias IS 'The name or acronym as it appears in text.';
COMMENT ON COLUMN organization_aliases.language IS 'Language of the alias (fr, en).';
COMMENT ON COLUMN organization_aliases.is_acronym IS 'True for an acronym (matched case-sensitively), false for a name.';

CREATE TABLE IF NOT EXISTS un_entities (
    un_entity_id VARCHAR PRIMARY KEY,
    name_en VARCHAR,
    name_fr VARCHAR
);
COMMENT ON TABLE un_entities IS 'Reference list of UN entities (departments, funds, programmes, agencies) that partner with organizations.';
COMMENT ON COLUMN un_entities.un_entity_id IS 'Stable identifier of the UN entity (e.g. UNDP, DPPA).';
COMMENT ON COLUMN un_entities.name_en IS 'Official English name.';
COMMENT ON COLUMN un_entities.name_fr IS 'Official French name.';

CREATE TABLE IF NOT EXISTS un_entity_aliases (
    un_entity_id VARCHAR NOT NULL,
    alias VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    is_acronym BOOLEAN NOT NULL
);
COMMENT ON TABLE un_entity_aliases IS 'Names and acronyms by which the report refers to each UN entity, per language.';
COMMENT ON COLUMN un_entity_aliases.un_entity_id IS 'UN entity named (un_entities.un_entity_id).';
COMMENT ON COLUMN un_entity_aliases.alias IS 'The name or acronym as it appears in text.';
COMMENT ON COLUMN un_entity_aliases.language IS 'Language of the alias (fr, en).';
COMMENT ON COLUMN un_entity_aliases.is_acronym IS 'True for an acronym (matched case-sensitively), false for a name.';

CREATE TABLE IF NOT EXISTS areas (
    area_id VARCHAR PRIMARY KEY,
    name_en VARCHAR,
    name_fr VARCHAR
);
COMMENT ON TABLE areas IS 'Reference list of cooperation areas (peace and security, elections, health, ...).';
COMMENT ON COLUMN areas.area_id IS 'Stable identifier of the area.';
COMMENT ON COLUMN areas.name_en IS 'English name of the area.';
COMMENT ON COLUMN areas.name_fr IS 'French name of the area.';

CREATE TABLE IF NOT EXISTS area_triggers (
    area_id VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    phrase VARCHAR NOT NULL
);
COMMENT ON TABLE area_triggers IS 'Phrases whose presence in a paragraph tags it with a cooperation area, per language.';
COMMENT ON COLUMN area_triggers.area_id IS 'Area the phrase signals (areas.area_id).';
COMMENT ON COLUMN area_triggers.language IS 'Language of the phrase (fr, en).';
COMMENT ON COLUMN area_triggers.position IS 'Order of the phrase in the reference list, from 0.';
COMMENT ON COLUMN area_triggers.phrase IS 'Trigger phrase as listed in the reference data.';

CREATE TABLE IF NOT EXISTS paragraph_organizations (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    paragraph_number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    organization_id VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE paragraph_organizations IS 'Organizations named in each paragraph (mentions, wherever the paragraph is).';
COMMENT ON COLUMN paragraph_organizations.symbol IS 'Report of the paragraph (documents.symbol).';
COMMENT ON COLUMN paragraph_organizations.language IS 'Language of the report text.';
COMMENT ON COLUMN paragraph_organizations.paragraph_number IS 'Paragraph naming the organization (paragraphs.paragraph_number).';
COMMENT ON COLUMN paragraph_organizations.position IS 'Order in which the enrichment listed the organization for this paragraph, from 0.';
COMMENT ON COLUMN paragraph_organizations.organization_id IS 'Organization named (organizations.organization_id).';
COMMENT ON COLUMN paragraph_organizations.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN paragraph_organizations.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS paragraph_un_entities (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    paragraph_number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    un_entity_id VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE paragraph_un_entities IS 'UN entities named in each paragraph.';
COMMENT ON COLUMN paragraph_un_entities.symbol IS 'Report of the paragraph (documents.symbol).';
COMMENT ON COLUMN paragraph_un_entities.language IS 'Language of the report text.';
COMMENT ON COLUMN paragraph_un_entities.paragraph_number IS 'Paragraph naming the entity (paragraphs.paragraph_number).';
COMMENT ON COLUMN paragraph_un_entities.position IS 'Order in which the enrichment listed the entity for this paragraph, from 0.';
COMMENT ON COLUMN paragraph_un_entities.un_entity_id IS 'UN entity named (un_entities.un_entity_id).';
COMMENT ON COLUMN paragraph_un_entities.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN paragraph_un_entities.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS paragraph_areas (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    paragraph_number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    area_id VARCHAR NOT NULL,
    phrase VARCHAR NOT NULL,
    phrase_offset INTEGER NOT NULL,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE paragraph_areas IS 'Cooperation areas found in each paragraph, with the phrase that explains each tag.';
COMMENT ON COLUMN paragraph_areas.symbol IS 'Report of the paragraph (documents.symbol).';
COMMENT ON COLUMN paragraph_areas.language IS 'Language of the report text.';
COMMENT ON COLUMN paragraph_areas.paragraph_number IS 'Paragraph tagged (paragraphs.paragraph_number).';
COMMENT ON COLUMN paragraph_areas.position IS 'Order in which the enrichment listed the tag for this paragraph, from 0.';
COMMENT ON COLUMN paragraph_areas.area_id IS 'Area found (areas.area_id).';
COMMENT ON COLUMN paragraph_areas.phrase IS 'Phrase of the paragraph that matched a trigger of the area.';
COMMENT ON COLUMN paragraph_areas.phrase_offset IS 'Character offset of the phrase in paragraphs.text, from 0.';
COMMENT ON COLUMN paragraph_areas.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN paragraph_areas.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS citations (
    symbol VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    paragraph_number INTEGER,
    position INTEGER NOT NULL,
    cited_symbol VARCHAR NOT NULL,
    resolved_symbol VARCHAR,
    parser_version VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE citations IS 'Documents cited by each loaded document: per paragraph, and for the document as a whole (footnotes, references).';
COMMENT ON COLUMN citations.symbol IS 'Citing document (documents.symbol).';
COMMENT ON COLUMN citations.language IS 'Language of the citing text.';
COMMENT ON COLUMN citations.paragraph_number IS 'Citing paragraph; NULL for a citation of the document as a whole.';
COMMENT ON COLUMN citations.position IS 'Order of the citation in its paragraph (or in the document list), from 0.';
COMMENT ON COLUMN citations.cited_symbol IS 'Symbol of the cited document as the citing text gives it (normalized).';
COMMENT ON COLUMN citations.resolved_symbol IS 'documents.symbol of the cited document when it is loaded (in any language); NULL until then.';
COMMENT ON COLUMN citations.parser_version IS 'Version of the parser that derived the row.';
COMMENT ON COLUMN citations.run_id IS 'Run that wrote the row (runs.run_id).';

CREATE TABLE IF NOT EXISTS edition_diffs (
    old_symbol VARCHAR NOT NULL,
    new_symbol VARCHAR NOT NULL,
    is_uncertain BOOLEAN NOT NULL,
    uncertain_reasons VARCHAR[] NOT NULL,
    event_count INTEGER NOT NULL,
    changed_count INTEGER NOT NULL,
    run_id VARCHAR NOT NULL,
    stored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (old_symbol, new_symbol)
);
COMMENT ON TABLE edition_diffs IS 'Each diff stored between two editions: its change events are in change_events, its redlines in redlines.';
COMMENT ON COLUMN edition_diffs.old_symbol IS 'Older edition compared (editions.symbol).';
COMMENT ON COLUMN edition_diffs.new_symbol IS 'Newer edition compared (editions.symbol).';
COMMENT ON COLUMN edition_diffs.is_uncertain IS 'True when one edition''s extraction looked degraded: its events are not to be trusted blindly.';
COMMENT ON COLUMN edition_diffs.uncertain_reasons IS 'Why the extraction looked degraded (sections without paragraphs, text far below the previous edition, numbering gaps).';
COMMENT ON COLUMN edition_diffs.event_count IS 'Number of change events stored for the pair, unchanged ones included.';
COMMENT ON COLUMN edition_diffs.changed_count IS 'Number of events that report a change (all but unchanged).';
COMMENT ON COLUMN edition_diffs.run_id IS 'Run that stored the diff (runs.run_id).';
COMMENT ON COLUMN edition_diffs.stored_at IS 'When the diff was stored (UTC).';

CREATE TABLE IF NOT EXISTS change_events (
    old_symbol VARCHAR NOT NULL,
    new_symbol VARCHAR NOT NULL,
    event_index INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    change VARCHAR NOT NULL,
    old_count INTEGER,
    new_count INTEGER,
    old_words INTEGER,
    new_words INTEGER,
    evidence_old INTEGER[] NOT NULL,
    evidence_new INTEGER[] NOT NULL,
    name VARCHAR,
    old_name VARCHAR,
    detail VARCHAR,
    is_uncertain BOOLEAN NOT NULL,
    is_reissue BOOLEAN NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (old_symbol, new_symbol, event_index)
);
COMMENT ON TABLE change_events IS 'Labelled differences between two editions, each with its counts and the paragraphs that show it.';
COMMENT ON COLUMN change_events.old_symbol IS 'Older edition compared (editions.symbol).';
COMMENT ON COLUMN change_events.new_symbol IS 'Newer edition compared (editions.symbol).';
COMMENT ON COLUMN change_events.event_index IS 'Order of the event in the diff, from 0.';
COMMENT ON COLUMN change_events.kind IS 'organization, mention, area, organization_area, partnership or citation.';
COMMENT ON COLUMN change_events.subject IS 'Organization id, area id, ORG|ENTITY, ORG|AREA or cited symbol, depending on kind.';
COMMENT ON COLUMN change_events.change IS 'appeared, vanished, grew, shrank, unchanged, renamed, first_named, no_longer_named, section_vanished_still_mentioned, added or removed.';
COMMENT ON COLUMN change_events.old_count IS 'Paragraphs in the older edition.';
COMMENT ON COLUMN change_events.new_count IS 'Paragraphs in the newer edition.';
COMMENT ON COLUMN change_events.old_words IS 'Words in the older edition.';
COMMENT ON COLUMN change_events.new_words IS 'Words in the newer edition.';
COMMENT ON COLUMN change_events.evidence_old IS 'Paragraph numbers of the older edition that back the claim.';
COMMENT ON COLUMN change_events.evidence_new IS 'Paragraph numbers of the newer edition that back the claim.';
COMMENT ON COLUMN change_events.name IS 'Readable name of the subject (in the newer edition when renamed).';
COMMENT ON COLUMN change_events.old_name IS 'Name in the older edition, for a rename.';
COMMENT ON COLUMN change_events.detail IS 'Free-text detail (e.g. the cited resolution''s title).';
COMMENT ON COLUMN change_events.is_uncertain IS 'True when the event comes from a degraded extraction and must not be claimed without that mark.';
COMMENT ON COLUMN change_events.is_reissue IS 'True when the change comes from a reissue of the same symbol, not a new edition.';
COMMENT ON COLUMN change_events.run_id IS 'Run that stored the event (runs.run_id).';

CREATE TABLE IF NOT EXISTS redlines (
    old_symbol VARCHAR NOT NULL,
    new_symbol VARCHAR NOT NULL,
    redline_index INTEGER NOT NULL,
    organization_id VARCHAR NOT NULL,
    added VARCHAR[] NOT NULL,
    removed VARCHAR[] NOT NULL,
    moved VARCHAR[] NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (old_symbol, new_symbol, redline_index)
);
COMMENT ON TABLE redlines IS 'Sentences added, removed and moved in each organization section present in both editions of a diff.';
COMMENT ON COLUMN redlines.old_symbol IS 'Older edition compared (editions.symbol).';
COMMENT ON COLUMN redlines.new_symbol IS 'Newer edition compared (editions.symbol).';
COMMENT ON COLUMN redlines.redline_index IS 'Order of the redline in the diff, from 0.';
COMMENT ON COLUMN redlines.organization_id IS 'Organization whose section is compared (organizations.organization_id).';
COMMENT ON COLUMN redlines.added IS 'Sentences only in the newer edition''s section.';
COMMENT ON COLUMN redlines.removed IS 'Sentences only in the older edition''s section.';
COMMENT ON COLUMN redlines.moved IS 'Sentences present in both but at another place.';
COMMENT ON COLUMN redlines.run_id IS 'Run that stored the redline (runs.run_id).';

CREATE TABLE IF NOT EXISTS outbox (
    change_set_id VARCHAR PRIMARY KEY,
    old_symbol VARCHAR,
    new_symbol VARCHAR,
    subject VARCHAR,
    body_text VARCHAR,
    body_html VARCHAR,
    recipients VARCHAR,
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error VARCHAR,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    run_id VARCHAR
);
COMMENT ON TABLE outbox IS 'Change emails to send, one per change set: a row stays pending until sent, so no change set is lost or sent twice.';
COMMENT ON COLUMN outbox.change_set_id IS 'Hash of the change set''s events (and recipient list): the same change set always has the same id.';
COMMENT ON COLUMN outbox.old_symbol IS 'Older edition of the diff the email reports (editions.symbol).';
COMMENT ON COLUMN outbox.new_symbol IS 'Newer edition of the diff the email reports (editions.symbol).';
COMMENT ON COLUMN outbox.subject IS 'Subject line of the email.';
COMMENT ON COLUMN outbox.body_text IS 'Plain-text part of the email.';
COMMENT ON COLUMN outbox.body_html IS 'HTML part of the email.';
COMMENT ON COLUMN outbox.recipients IS 'Recipients, comma-separated.';
COMMENT ON COLUMN outbox.status IS 'pending (not yet delivered), sent, or failed (given up).';
COMMENT ON COLUMN outbox.attempts IS 'Number of delivery attempts made.';
COMMENT ON COLUMN outbox.last_error IS 'Error of the last failed attempt (never a password).';
COMMENT ON COLUMN outbox.created_at IS 'When the row was queued (UTC).';
COMMENT ON COLUMN outbox.sent_at IS 'When the email was delivered (UTC); NULL until then.';
COMMENT ON COLUMN outbox.run_id IS 'Run that queued the email (runs.run_id).';
