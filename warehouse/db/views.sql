-- CoopWatch warehouse views: the questions analysts ask, answered from the tables.
-- Recreated by warehouse/db/schema.py whenever this file changes (CREATE OR REPLACE).
-- An organization's section paragraphs are the paragraphs of every section whose
-- organization_id or organization_ids names it (a joint section counts for each).

CREATE OR REPLACE VIEW section_organizations AS
SELECT symbol, language, section_index, organization_id
FROM sections WHERE organization_id IS NOT NULL
UNION
SELECT symbol, language, section_index, unnest(organization_ids) AS organization_id
FROM sections;
COMMENT ON VIEW section_organizations IS 'Each section and each organization it is about: its organization_id, and every id of organization_ids (a joint section counts for each); the views that count an organization''s section paragraphs read it.';
COMMENT ON COLUMN section_organizations.symbol IS 'Edition (editions.symbol).';
COMMENT ON COLUMN section_organizations.language IS 'Language of the edition text.';
COMMENT ON COLUMN section_organizations.section_index IS 'The section (sections.section_index).';
COMMENT ON COLUMN section_organizations.organization_id IS 'An organization the section is about (organizations.organization_id).';

CREATE OR REPLACE VIEW organizations_by_edition AS
WITH section_paragraphs AS (
    SELECT DISTINCT so.symbol, so.language, so.organization_id, p.paragraph_number, p.word_count
    FROM section_organizations so
    JOIN paragraphs p
      ON p.symbol = so.symbol AND p.language = so.language AND p.section_index = so.section_index
),
section_totals AS (
    SELECT symbol, language, organization_id,
           count(*) AS paragraph_count,
           sum(word_count) AS word_count,
           list(paragraph_number ORDER BY paragraph_number) AS paragraph_numbers
    FROM section_paragraphs GROUP BY ALL
),
section_counts AS (
    SELECT symbol, language, organization_id, count(*) AS section_count
    FROM section_organizations GROUP BY ALL
),
mentions AS (
    SELECT symbol, language, organization_id,
           count(DISTINCT paragraph_number) AS mention_paragraph_count
    FROM paragraph_organizations GROUP BY ALL
),
section_areas AS (
    SELECT sp.symbol, sp.language, sp.organization_id,
           list(DISTINCT pa.area_id ORDER BY pa.area_id) AS area_ids
    FROM section_paragraphs sp
    JOIN paragraph_areas pa
      ON pa.symbol = sp.symbol AND pa.language = sp.language
     AND pa.paragraph_number = sp.paragraph_number
    GROUP BY ALL
),
report_totals AS (
    SELECT symbol, language, count(*) AS paragraph_total, sum(word_count) AS word_total
    FROM paragraphs GROUP BY ALL
),
present AS (
    SELECT symbol, language, organization_id FROM section_counts
    UNION
    SELECT symbol, language, organization_id FROM mentions
)
SELECT e.symbol,
       e.year,
       pr.language,
       pr.organization_id,
       coalesce(CASE pr.language WHEN 'fr' THEN o.name_fr ELSE o.name_en END,
                o.name_en, o.name_fr, pr.organization_id) AS name,
       coalesce(sc.section_count, 0) AS section_count,
       coalesce(st.paragraph_count, 0) AS paragraph_count,
       coalesce(st.word_count, 0) AS word_count,
       round(coalesce(st.paragraph_count, 0) / rt.paragraph_total, 4) AS share_of_paragraphs,
       round(coalesce(st.word_count, 0) / rt.word_total, 4) AS share_of_words,
       coalesce(m.mention_paragraph_count, 0) AS mention_paragraph_count,
       coalesce(st.paragraph_numbers, []::INTEGER[]) AS paragraph_numbers,
       coalesce(sa.area_ids, []::VARCHAR[]) AS area_ids,
       o.name_en,
       o.name_fr
FROM present pr
JOIN documents d ON d.symbol = pr.symbol AND d.language = pr.language AND d.kind = 'report'
JOIN editions e ON e.symbol = pr.symbol
JOIN report_totals rt ON rt.symbol = pr.symbol AND rt.language = pr.language
LEFT JOIN organizations o ON o.organization_id = pr.organization_id
LEFT JOIN section_counts sc
  ON sc.symbol = pr.symbol AND sc.language = pr.language
 AND sc.organization_id = pr.organization_id
LEFT JOIN section_totals st
  ON st.symbol = pr.symbol AND st.language = pr.language
 AND st.organization_id = pr.organization_id
LEFT JOIN mentions m
  ON m.symbol = pr.symbol AND m.language = pr.language
 AND m.organization_id = pr.organization_id
LEFT JOIN section_areas sa
  ON sa.symbol = pr.symbol AND sa.language = pr.language
 AND sa.organization_id = pr.organization_id;
COMMENT ON VIEW organizations_by_edition IS 'Each organization in each edition: its section paragraphs and words, their share of the report, where else it is named, and the cooperation areas of its section.';
COMMENT ON COLUMN organizations_by_edition.symbol IS 'Edition (editions.symbol).';
COMMENT ON COLUMN organizations_by_edition.year IS 'Year of the edition.';
COMMENT ON COLUMN organizations_by_edition.language IS 'Language of the edition text counted.';
COMMENT ON COLUMN organizations_by_edition.organization_id IS 'Organization (organizations.organization_id).';
COMMENT ON COLUMN organizations_by_edition.name IS 'Name of the organization in the language of the text.';
COMMENT ON COLUMN organizations_by_edition.section_count IS 'Sections of the edition about the organization (0 when it is only named elsewhere).';
COMMENT ON COLUMN organizations_by_edition.paragraph_count IS 'Numbered paragraphs in the organization''s sections.';
COMMENT ON COLUMN organizations_by_edition.word_count IS 'Words in the organization''s section paragraphs.';
COMMENT ON COLUMN organizations_by_edition.share_of_paragraphs IS 'paragraph_count / all numbered paragraphs of the edition.';
COMMENT ON COLUMN organizations_by_edition.share_of_words IS 'word_count / all words of the edition''s numbered paragraphs.';
COMMENT ON COLUMN organizations_by_edition.mention_paragraph_count IS 'Paragraphs anywhere in the edition that name the organization.';
COMMENT ON COLUMN organizations_by_edition.paragraph_numbers IS 'Numbers of the organization''s section paragraphs.';
COMMENT ON COLUMN organizations_by_edition.area_ids IS 'Cooperation areas found in the organization''s section paragraphs.';
COMMENT ON COLUMN organizations_by_edition.name_en IS 'English name of the organization (organizations.name_en).';
COMMENT ON COLUMN organizations_by_edition.name_fr IS 'French name of the organization (organizations.name_fr).';

CREATE OR REPLACE VIEW areas_by_edition AS
WITH tagged AS (
    SELECT pa.symbol, pa.language, pa.area_id, pa.paragraph_number, pa.phrase, so.organization_id
    FROM paragraph_areas pa
    JOIN paragraphs p
      ON p.symbol = pa.symbol AND p.language = pa.language
     AND p.paragraph_number = pa.paragraph_number
    LEFT JOIN section_organizations so
      ON so.symbol = p.symbol AND so.language = p.language AND so.section_index = p.section_index
),
report_totals AS (
    SELECT symbol, language, count(*) AS paragraph_total FROM paragraphs GROUP BY ALL
)
SELECT e.symbol,
       e.year,
       t.language,
       t.area_id,
       coalesce(CASE t.language WHEN 'fr' THEN a.name_fr ELSE a.name_en END,
                a.name_en, a.name_fr, t.area_id) AS name,
       count(DISTINCT t.paragraph_number) AS paragraph_count,
       round(count(DISTINCT t.paragraph_number) / any_value(rt.paragraph_total), 4)
           AS share_of_paragraphs,
       count(DISTINCT t.organization_id) AS organization_count,
       coalesce(list(DISTINCT t.organization_id ORDER BY t.organization_id)
                    FILTER (WHERE t.organization_id IS NOT NULL), []::VARCHAR[])
           AS organization_ids,
       list(DISTINCT t.paragraph_number ORDER BY t.paragraph_number) AS paragraph_numbers,
       list(DISTINCT t.phrase ORDER BY t.phrase) AS phrases,
       a.name_en,
       a.name_fr
FROM tagged t
JOIN documents d ON d.symbol = t.symbol AND d.language = t.language AND d.kind = 'report'
JOIN editions e ON e.symbol = t.symbol
JOIN report_totals rt ON rt.symbol = t.symbol AND rt.language = t.language
LEFT JOIN areas a ON a.area_id = t.area_id
GROUP BY e.symbol, e.year, t.language, t.area_id, a.name_en, a.name_fr;
COMMENT ON VIEW areas_by_edition IS 'Each cooperation area in each edition: how many paragraphs carry it, in which organizations'' sections, and the phrases that matched.';
COMMENT ON COLUMN areas_by_edition.symbol IS 'Edition (editions.symbol).';
COMMENT ON COLUMN areas_by_edition.year IS 'Year of the edition.';
COMMENT ON COLUMN areas_by_edition.language IS 'Language of the edition text counted.';
COMMENT ON COLUMN areas_by_edition.area_id IS 'Cooperation area (areas.area_id).';
COMMENT ON COLUMN areas_by_edition.name IS 'Name of the area in the language of the text.';
COMMENT ON COLUMN areas_by_edition.paragraph_count IS 'Paragraphs of the edition tagged with the area.';
COMMENT ON COLUMN areas_by_edition.share_of_paragraphs IS 'paragraph_count / all numbered paragraphs of the edition.';
COMMENT ON COLUMN areas_by_edition.organization_count IS 'Organizations whose section paragraphs carry the area.';
COMMENT ON COLUMN areas_by_edition.organization_ids IS 'Those organizations (organizations.organization_id).';
COMMENT ON COLUMN areas_by_edition.paragraph_numbers IS 'Numbers of the tagged paragraphs.';
COMMENT ON COLUMN areas_by_edition.phrases IS 'Distinct phrases that matched the area''s triggers.';
COMMENT ON COLUMN areas_by_edition.name_en IS 'English name of the area (areas.name_en).';
COMMENT ON COLUMN areas_by_edition.name_fr IS 'French name of the area (areas.name_fr).';

CREATE OR REPLACE VIEW organization_trajectory AS
WITH loaded AS (
    SELECT d.language, e.symbol, e.year,
           row_number() OVER (PARTITION BY d.language ORDER BY e.year DESC, e.symbol DESC)
               AS recency
    FROM documents d JOIN editions e ON e.symbol = d.symbol
    WHERE d.kind = 'report'
),
latest AS (SELECT language, symbol FROM loaded WHERE recency = 1),
prior AS (SELECT language, symbol FROM loaded WHERE recency = 2),
per_organization AS (
    SELECT language, organization_id,
           first(name ORDER BY year DESC, symbol DESC) AS name,
           first(symbol ORDER BY year, symbol) AS first_seen_symbol,
           min(year) AS first_seen_year,
           first(symbol ORDER BY year DESC, symbol DESC) AS last_seen_symbol,
           max(year) AS last_seen_year,
           count(*) AS edition_count,
           count(*) FILTER (WHERE section_count > 0) AS section_edition_count,
           first(symbol ORDER BY paragraph_count DESC, year DESC, symbol DESC) AS peak_symbol,
           max(paragraph_count) AS peak_paragraph_count,
           list({'symbol': symbol, 'year': year, 'paragraph_count': paragraph_count,
                 'mention_paragraph_count': mention_paragraph_count}
                ORDER BY year, symbol) AS editions
    FROM organizations_by_edition GROUP BY language, organization_id
),
-- The trend is the stored diff's own word (docs/changes.md, "The vocabulary"): the event of
-- the organization's section (a joint chapter's event counts for each organization it
-- covers), else of the paragraphs naming it; a renamed section's growth event wins.
latest_pair_events AS (
    SELECT p.language, ce.kind, ce.change, ce.family, ce.change_detail,
           unnest(CASE WHEN len(coalesce(ce.organization_ids, [])) > 0
                       THEN ce.organization_ids ELSE [ce.subject] END) AS organization_id
    FROM change_events ce
    JOIN prior p ON p.symbol = ce.old_symbol
    JOIN latest l ON l.symbol = ce.new_symbol AND l.language = p.language
    WHERE ce.kind IN ('organization', 'mention') AND ce.change <> 'renamed'
),
trend_events AS (
    SELECT language, organization_id,
           first(family ORDER BY kind DESC) AS family,
           first(change_detail ORDER BY kind DESC) AS change_detail
    FROM latest_pair_events GROUP BY language, organization_id
),
latest_pair_stored AS (
    SELECT DISTINCT p.language
    FROM edition_diffs d
    JOIN prior p ON p.symbol = d.old_symbol
    JOIN latest l ON l.symbol = d.new_symbol AND l.language = p.language
)
SELECT po.language,
       po.organization_id,
       po.name,
       po.first_seen_symbol,
       po.first_seen_year,
       po.last_seen_symbol,
       po.last_seen_year,
       po.edition_count,
       po.section_edition_count,
       po.peak_symbol,
       po.peak_paragraph_count,
       lo.paragraph_count AS latest_paragraph_count,
       pe.paragraph_count AS prior_paragraph_count,
       CASE
           WHEN p.symbol IS NULL THEN 'single_edition'
           WHEN s.language IS NULL THEN NULL
           WHEN te.family IS NOT NULL THEN te.family
           WHEN lo.organization_id IS NULL THEN 'vanished'
           WHEN pe.organization_id IS NULL THEN 'appeared'
           ELSE 'unchanged'
       END AS trend,
       CASE
           WHEN p.symbol IS NULL OR s.language IS NULL THEN NULL
           WHEN te.change_detail IS NOT NULL THEN te.change_detail
           WHEN lo.organization_id IS NULL THEN 'vanished'
           WHEN pe.organization_id IS NULL THEN 'appeared'
           ELSE 'unchanged'
       END AS trend_detail,
       po.editions
FROM per_organization po
JOIN latest l ON l.language = po.language
LEFT JOIN prior p ON p.language = po.language
LEFT JOIN latest_pair_stored s ON s.language = po.language
LEFT JOIN trend_events te ON te.language = po.language AND te.organization_id = po.organization_id
LEFT JOIN organizations_by_edition lo
  ON lo.language = po.language AND lo.symbol = l.symbol AND lo.organization_id = po.organization_id
LEFT JOIN organizations_by_edition pe
  ON pe.language = po.language AND pe.symbol = p.symbol AND pe.organization_id = po.organization_id;
COMMENT ON VIEW organization_trajectory IS 'Each organization across all loaded editions: first and last seen, peak edition, and the trend between the two latest editions.';
COMMENT ON COLUMN organization_trajectory.language IS 'Language of the edition texts counted.';
COMMENT ON COLUMN organization_trajectory.organization_id IS 'Organization (organizations.organization_id).';
COMMENT ON COLUMN organization_trajectory.name IS 'Name of the organization in the language of the texts.';
COMMENT ON COLUMN organization_trajectory.first_seen_symbol IS 'Earliest edition with a section about or a mention of the organization.';
COMMENT ON COLUMN organization_trajectory.first_seen_year IS 'Year of that edition.';
COMMENT ON COLUMN organization_trajectory.last_seen_symbol IS 'Latest edition with a section about or a mention of the organization.';
COMMENT ON COLUMN organization_trajectory.last_seen_year IS 'Year of that edition.';
COMMENT ON COLUMN organization_trajectory.edition_count IS 'Editions in which the organization has a section or is named.';
COMMENT ON COLUMN organization_trajectory.section_edition_count IS 'Editions in which the organization has its own section.';
COMMENT ON COLUMN organization_trajectory.peak_symbol IS 'Edition with the most section paragraphs (the latest on a tie).';
COMMENT ON COLUMN organization_trajectory.peak_paragraph_count IS 'Section paragraphs in the peak edition.';
COMMENT ON COLUMN organization_trajectory.latest_paragraph_count IS 'Section paragraphs in the latest loaded edition; NULL when absent from it.';
COMMENT ON COLUMN organization_trajectory.prior_paragraph_count IS 'Section paragraphs in the edition before the latest; NULL when absent from it.';
COMMENT ON COLUMN organization_trajectory.trend IS 'Latest vs prior edition, in the vocabulary of change_events.family (docs/changes.md): the family of the stored diff''s event for the organization''s section (a joint chapter''s for each organization it covers), else for the paragraphs naming it: appeared, vanished, grew, shrank or unchanged; single_edition when one edition is loaded; NULL until the diff of the two latest editions is stored.';
COMMENT ON COLUMN organization_trajectory.trend_detail IS 'The same event''s change_detail: its words, with how the counts moved when they moved apart from the family (unchanged: fewer paragraphs, within the rule).';
COMMENT ON COLUMN organization_trajectory.editions IS 'Per edition where present, in year order: symbol, year, paragraph_count, mention_paragraph_count.';

CREATE OR REPLACE VIEW partnerships_by_edition AS
WITH organization_paragraphs AS (
    SELECT so.symbol, so.language, so.organization_id, p.paragraph_number
    FROM section_organizations so
    JOIN paragraphs p
      ON p.symbol = so.symbol AND p.language = so.language AND p.section_index = so.section_index
    UNION
    SELECT symbol, language, organization_id, paragraph_number FROM paragraph_organizations
),
pairs AS (
    SELECT op.symbol, op.language, op.organization_id, pu.un_entity_id, op.paragraph_number
    FROM organization_paragraphs op
    JOIN paragraph_un_entities pu
      ON pu.symbol = op.symbol AND pu.language = op.language
     AND pu.paragraph_number = op.paragraph_number
)
SELECT e.symbol,
       e.year,
       pr.language,
       pr.organization_id,
       coalesce(CASE pr.language WHEN 'fr' THEN o.name_fr ELSE o.name_en END,
                o.name_en, o.name_fr, pr.organization_id) AS organization_name,
       pr.un_entity_id,
       coalesce(CASE pr.language WHEN 'fr' THEN u.name_fr ELSE u.name_en END,
                u.name_en, u.name_fr, pr.un_entity_id) AS un_entity_name,
       count(DISTINCT pr.paragraph_number) AS paragraph_count,
       list(DISTINCT pr.paragraph_number ORDER BY pr.paragraph_number) AS paragraph_numbers,
       o.name_en AS organization_name_en,
       o.name_fr AS organization_name_fr,
       u.name_en AS un_entity_name_en,
       u.name_fr AS un_entity_name_fr
FROM pairs pr
JOIN documents d ON d.symbol = pr.symbol AND d.language = pr.language AND d.kind = 'report'
JOIN editions e ON e.symbol = pr.symbol
LEFT JOIN organizations o ON o.organization_id = pr.organization_id
LEFT JOIN un_entities u ON u.un_entity_id = pr.un_entity_id
GROUP BY e.symbol, e.year, pr.language, pr.organization_id, o.name_en, o.name_fr,
         pr.un_entity_id, u.name_en, u.name_fr;
COMMENT ON VIEW partnerships_by_edition IS 'Organization x UN entity pairs in each edition: a UN entity named in a paragraph of the organization''s section or in a paragraph naming the organization.';
COMMENT ON COLUMN partnerships_by_edition.symbol IS 'Edition (editions.symbol).';
COMMENT ON COLUMN partnerships_by_edition.year IS 'Year of the edition.';
COMMENT ON COLUMN partnerships_by_edition.language IS 'Language of the edition text.';
COMMENT ON COLUMN partnerships_by_edition.organization_id IS 'Organization (organizations.organization_id).';
COMMENT ON COLUMN partnerships_by_edition.organization_name IS 'Name of the organization in the language of the text.';
COMMENT ON COLUMN partnerships_by_edition.un_entity_id IS 'UN entity (un_entities.un_entity_id).';
COMMENT ON COLUMN partnerships_by_edition.un_entity_name IS 'Name of the UN entity in the language of the text.';
COMMENT ON COLUMN partnerships_by_edition.paragraph_count IS 'Paragraphs that pair the two.';
COMMENT ON COLUMN partnerships_by_edition.paragraph_numbers IS 'Numbers of those paragraphs.';
COMMENT ON COLUMN partnerships_by_edition.organization_name_en IS 'English name of the organization.';
COMMENT ON COLUMN partnerships_by_edition.organization_name_fr IS 'French name of the organization.';
COMMENT ON COLUMN partnerships_by_edition.un_entity_name_en IS 'English name of the UN entity.';
COMMENT ON COLUMN partnerships_by_edition.un_entity_name_fr IS 'French name of the UN entity.';

CREATE OR REPLACE VIEW citation_graph AS
WITH edition_symbols AS (
    SELECT DISTINCT unnest(list_concat(symbols, previous_symbols)) AS edition_symbol
    FROM documents WHERE kind = 'report'
),
cited AS (
    SELECT symbol, language, cited_symbol,
           any_value(resolved_symbol) AS resolved_symbol,
           count(DISTINCT paragraph_number) AS paragraph_count,
           coalesce(list(DISTINCT paragraph_number ORDER BY paragraph_number)
                        FILTER (WHERE paragraph_number IS NOT NULL), []::INTEGER[])
               AS paragraph_numbers
    FROM citations GROUP BY symbol, language, cited_symbol
)
SELECT c.symbol AS citing_symbol,
       ce.year AS citing_year,
       cd.kind AS citing_kind,
       c.language,
       c.cited_symbol,
       c.paragraph_count,
       c.paragraph_numbers,
       c.resolved_symbol,
       (SELECT first(r.kind ORDER BY r.language = c.language DESC, r.language)
          FROM documents r WHERE r.symbol = c.resolved_symbol) AS cited_kind,
       (SELECT first(r.title ORDER BY r.language = c.language DESC, r.language)
          FROM documents r WHERE r.symbol = c.resolved_symbol) AS cited_title,
       c.cited_symbol IN (SELECT edition_symbol FROM edition_symbols) AS is_edition
FROM cited c
JOIN documents cd ON cd.symbol = c.symbol AND cd.language = c.language
LEFT JOIN editions ce ON ce.symbol = c.symbol;
COMMENT ON VIEW citation_graph IS 'Who cites what: one row per citing document, language and cited symbol, with the citing paragraphs and the cited document when it is loaded.';
COMMENT ON COLUMN citation_graph.citing_symbol IS 'Citing document (documents.symbol).';
COMMENT ON COLUMN citation_graph.citing_year IS 'Year of the citing edition; NULL when the citing document is not an edition.';
COMMENT ON COLUMN citation_graph.citing_kind IS 'Kind of the citing document (report, resolution, ...).';
COMMENT ON COLUMN citation_graph.language IS 'Language of the citing text.';
COMMENT ON COLUMN citation_graph.cited_symbol IS 'Symbol cited.';
COMMENT ON COLUMN citation_graph.paragraph_count IS 'Numbered paragraphs that cite it (0 when cited only by the document as a whole).';
COMMENT ON COLUMN citation_graph.paragraph_numbers IS 'Numbers of those paragraphs.';
COMMENT ON COLUMN citation_graph.resolved_symbol IS 'documents.symbol of the cited document when it is loaded; NULL otherwise.';
COMMENT ON COLUMN citation_graph.cited_kind IS 'Kind of the cited document when it is loaded.';
COMMENT ON COLUMN citation_graph.cited_title IS 'Title of the cited document when it is loaded (in the citing language when available).';
COMMENT ON COLUMN citation_graph.is_edition IS 'True when the cited symbol is an edition of the report series (loaded, or cited as a previous edition).';

CREATE OR REPLACE VIEW latest_change_events AS
WITH ranked_diffs AS (
    SELECT ed.old_symbol, ed.new_symbol, ed.is_uncertain, ne.series,
           row_number() OVER (
               PARTITION BY ne.series
               ORDER BY ne.year DESC NULLS LAST, oe.year DESC NULLS LAST, ed.stored_at DESC
           ) AS newest_first
    FROM edition_diffs ed
    LEFT JOIN editions ne ON ne.symbol = ed.new_symbol
    LEFT JOIN editions oe ON oe.symbol = ed.old_symbol
),
latest_diff AS (
    SELECT old_symbol, new_symbol, is_uncertain, series FROM ranked_diffs WHERE newest_first = 1
)
SELECT ce.old_symbol,
       ce.new_symbol,
       oe.year AS old_year,
       ne.year AS new_year,
       ce.event_index,
       ce.kind,
       ce.subject,
       ce.name,
       ce.old_name,
       ce.change,
       ce.family,
       ce.change_detail,
       ce.old_count,
       ce.new_count,
       ce.old_words,
       ce.new_words,
       ce.evidence_old,
       ce.evidence_new,
       ce.detail,
       ce.is_uncertain OR ld.is_uncertain AS is_uncertain,
       ce.is_reissue,
       ce.run_id,
       ld.series
FROM change_events ce
JOIN latest_diff ld ON ld.old_symbol = ce.old_symbol AND ld.new_symbol = ce.new_symbol
LEFT JOIN editions oe ON oe.symbol = ce.old_symbol
LEFT JOIN editions ne ON ne.symbol = ce.new_symbol
WHERE ce.change <> 'unchanged';
COMMENT ON VIEW latest_change_events IS 'The changes of the latest diff of each report series (its newest edition against the newest older one), with their paragraph evidence; unchanged subjects left out.';
COMMENT ON COLUMN latest_change_events.old_symbol IS 'Older edition compared.';
COMMENT ON COLUMN latest_change_events.new_symbol IS 'Newer edition compared.';
COMMENT ON COLUMN latest_change_events.old_year IS 'Year of the older edition.';
COMMENT ON COLUMN latest_change_events.new_year IS 'Year of the newer edition.';
COMMENT ON COLUMN latest_change_events.event_index IS 'Order of the event in the diff.';
COMMENT ON COLUMN latest_change_events.kind IS 'organization, mention, area, organization_area, partnership or citation.';
COMMENT ON COLUMN latest_change_events.subject IS 'What changed: organization id, area id, ORG|ENTITY, ORG|AREA or cited symbol.';
COMMENT ON COLUMN latest_change_events.name IS 'Readable name of the subject.';
COMMENT ON COLUMN latest_change_events.old_name IS 'Former name, for a rename.';
COMMENT ON COLUMN latest_change_events.change IS 'The labelled change (appeared, vanished, grew, shrank, renamed, ...).';
COMMENT ON COLUMN latest_change_events.family IS 'appeared, vanished, grew, shrank or unchanged: the family of the change (change_events.family, docs/changes.md).';
COMMENT ON COLUMN latest_change_events.change_detail IS 'The change in words that never contradict the counts (change_events.change_detail).';
COMMENT ON COLUMN latest_change_events.old_count IS 'Paragraphs in the older edition.';
COMMENT ON COLUMN latest_change_events.new_count IS 'Paragraphs in the newer edition.';
COMMENT ON COLUMN latest_change_events.old_words IS 'Words in the older edition.';
COMMENT ON COLUMN latest_change_events.new_words IS 'Words in the newer edition.';
COMMENT ON COLUMN latest_change_events.evidence_old IS 'Paragraph numbers of the older edition that back the claim.';
COMMENT ON COLUMN latest_change_events.evidence_new IS 'Paragraph numbers of the newer edition that back the claim.';
COMMENT ON COLUMN latest_change_events.detail IS 'Free-text detail of the event.';
COMMENT ON COLUMN latest_change_events.is_uncertain IS 'True when the event or its diff is marked uncertain (degraded extraction).';
COMMENT ON COLUMN latest_change_events.is_reissue IS 'True when the change comes from a reissue of the same symbol.';
COMMENT ON COLUMN latest_change_events.run_id IS 'Run that stored the event.';
COMMENT ON COLUMN latest_change_events.series IS 'Report series of the diff''s newer edition (editions.series).';

CREATE OR REPLACE VIEW mandates AS
WITH cooperation AS (
    SELECT symbol,
           min(adopted) AS adopted,
           max(session) AS session,
           max(cites_edition) AS cites_edition,
           max(requested_session) AS requested_session
    FROM resolutions WHERE is_cooperation GROUP BY symbol
),
named AS (
    SELECT DISTINCT symbol, organization_id FROM resolution_organizations
),
loaded AS (
    SELECT e.symbol, e.session FROM editions e
    WHERE EXISTS (SELECT 1 FROM documents d WHERE d.symbol = e.symbol AND d.kind = 'report')
),
-- An edition added after the resolution was parsed (`coopwatch editions add`, or one a
-- cooperation resolution made known) counts once it is loaded.
cited_loaded AS (
    SELECT c.symbol, first(l.symbol ORDER BY c.position, c.language) AS edition
    FROM citations c
    JOIN loaded l ON l.symbol = regexp_extract(c.cited_symbol, '^(.+?)(-[AS]/.+)?$', 1)
    WHERE c.symbol IN (SELECT symbol FROM cooperation)
    GROUP BY c.symbol
),
per_organization AS (
    SELECT c.* REPLACE (coalesce(c.cites_edition, cl.edition) AS cites_edition),
           n.organization_id
    FROM cooperation c
    LEFT JOIN cited_loaded cl USING (symbol)
    LEFT JOIN named n USING (symbol)
),
section_sizes AS (
    SELECT symbol, organization_id, max(paragraph_count) AS paragraph_count
    FROM organizations_by_edition WHERE section_count > 0 GROUP BY ALL
),
answered AS (
    SELECT po.*,
           (SELECT first(l.symbol ORDER BY l.session, l.symbol) FROM loaded l
             WHERE l.session >= coalesce(po.requested_session, po.session + 1)) AS next_edition
    FROM per_organization po
)
SELECT a.symbol AS resolution_symbol,
       a.adopted,
       a.organization_id,
       a.cites_edition,
       CASE WHEN a.organization_id IS NOT NULL
                 AND a.cites_edition IN (SELECT symbol FROM loaded)
            THEN coalesce(cs.paragraph_count, 0) END AS edition_section_paragraphs,
       a.requested_session,
       a.next_edition,
       CASE WHEN a.organization_id IS NOT NULL AND a.next_edition IS NOT NULL
            THEN coalesce(ns.paragraph_count, 0) END AS next_edition_section_paragraphs,
       o.name_en AS organization_name_en,
       o.name_fr AS organization_name_fr
FROM answered a
LEFT JOIN section_sizes cs ON cs.symbol = a.cites_edition AND cs.organization_id = a.organization_id
LEFT JOIN section_sizes ns ON ns.symbol = a.next_edition AND ns.organization_id = a.organization_id
LEFT JOIN organizations o ON o.organization_id = a.organization_id;
COMMENT ON VIEW mandates IS 'One row per cooperation resolution and organization its title names: the edition it cites, the session it asks the next report for, and the sections both editions give the organization.';
COMMENT ON COLUMN mandates.resolution_symbol IS 'Cooperation resolution (resolutions.symbol), e.g. A/RES/77/13.';
COMMENT ON COLUMN mandates.adopted IS 'Adoption date of the resolution.';
COMMENT ON COLUMN mandates.organization_id IS 'Organization the title names (organizations.organization_id), matched through the same names and aliases as report headings; NULL when the title names no known organization (resolutions.warnings says so).';
COMMENT ON COLUMN mandates.cites_edition IS 'Edition of the report the resolution cites (its footnote on the report considered), by its first symbol: A/77/277 for A/77/277-S/2022/606; an edition of extractors/report/editions.yaml, else a loaded one; NULL when it cites none (a cited symbol that is no edition stays a citation).';
COMMENT ON COLUMN mandates.edition_section_paragraphs IS 'Paragraphs of the organization''s section in the cited edition; 0 when that edition has no section for it; NULL when the edition is not loaded or the organization unknown.';
COMMENT ON COLUMN mandates.requested_session IS 'Session at which the resolution asks the Secretary-General to report, where an operative paragraph states it (resolutions.request_paragraph).';
COMMENT ON COLUMN mandates.next_edition IS 'The edition that answered the resolution: the first loaded edition of the requested session or later (of a later session than the resolution''s when none is stated); NULL until one is loaded.';
COMMENT ON COLUMN mandates.next_edition_section_paragraphs IS 'Paragraphs of the organization''s section in next_edition; 0 when it has none ("mandated, not reported"); NULL while no next edition is loaded.';
COMMENT ON COLUMN mandates.organization_name_en IS 'English name of the organization; NULL when organization_id is.';
COMMENT ON COLUMN mandates.organization_name_fr IS 'French name of the organization; NULL when organization_id is.';

CREATE OR REPLACE VIEW mandate_coverage AS
WITH answered AS (
    SELECT m.*,
           (SELECT max(r.request_paragraph) FROM resolutions r
             WHERE r.symbol = m.resolution_symbol) AS request_paragraph
    FROM mandates m WHERE m.next_edition IS NOT NULL
),
reported AS (
    SELECT symbol, organization_id,
           first(paragraph_count ORDER BY language) AS paragraph_count,
           first(paragraph_numbers ORDER BY language) AS paragraph_numbers
    FROM organizations_by_edition WHERE section_count > 0 GROUP BY ALL
),
earlier AS (
    SELECT organization_id, resolution_symbol, adopted, next_edition, request_paragraph
    FROM answered WHERE organization_id IS NOT NULL
)
SELECT a.next_edition AS edition_symbol,
       a.organization_id,
       'mandated, not reported' AS status,
       a.resolution_symbol,
       a.request_paragraph,
       a.requested_session,
       0 AS section_paragraph_count,
       []::INTEGER[] AS paragraph_numbers,
       (SELECT o.name_en FROM organizations o WHERE o.organization_id = a.organization_id)
           AS organization_name_en,
       (SELECT o.name_fr FROM organizations o WHERE o.organization_id = a.organization_id)
           AS organization_name_fr
FROM answered a
WHERE a.organization_id IS NOT NULL AND a.next_edition_section_paragraphs = 0
UNION ALL
SELECT s.symbol AS edition_symbol,
       s.organization_id,
       'reported without a current mandate' AS status,
       (SELECT first(e.resolution_symbol ORDER BY e.adopted DESC) FROM earlier e
         WHERE e.organization_id = s.organization_id) AS resolution_symbol,
       (SELECT first(e.request_paragraph ORDER BY e.adopted DESC) FROM earlier e
         WHERE e.organization_id = s.organization_id) AS request_paragraph,
       NULL::INTEGER AS requested_session,
       s.paragraph_count AS section_paragraph_count,
       s.paragraph_numbers,
       (SELECT o.name_en FROM organizations o WHERE o.organization_id = s.organization_id)
           AS organization_name_en,
       (SELECT o.name_fr FROM organizations o WHERE o.organization_id = s.organization_id)
           AS organization_name_fr
FROM reported s
WHERE s.symbol IN (SELECT next_edition FROM answered)
  AND NOT EXISTS (SELECT 1 FROM answered a
                   WHERE a.next_edition = s.symbol AND a.organization_id = s.organization_id);
COMMENT ON VIEW mandate_coverage IS 'For each loaded edition that answers at least one cooperation resolution: organizations a resolution asked to be reported on that the edition has no section for ("mandated, not reported"), and sections for organizations no resolution answered by it asked for ("reported without a current mandate"), with the evidence.';
COMMENT ON COLUMN mandate_coverage.edition_symbol IS 'Edition (editions.symbol) the coverage is of.';
COMMENT ON COLUMN mandate_coverage.organization_id IS 'Organization (organizations.organization_id).';
COMMENT ON COLUMN mandate_coverage.status IS 'mandated, not reported | reported without a current mandate.';
COMMENT ON COLUMN mandate_coverage.resolution_symbol IS 'The resolution that asked for the report; for a section without a current mandate, the latest resolution on the organization answered by an edition (NULL when none is loaded).';
COMMENT ON COLUMN mandate_coverage.request_paragraph IS 'Operative paragraph of that resolution asking for the report.';
COMMENT ON COLUMN mandate_coverage.requested_session IS 'Session the resolution asked the report for; NULL for a section without a current mandate.';
COMMENT ON COLUMN mandate_coverage.section_paragraph_count IS 'Paragraphs of the organization''s section in the edition (0 when mandated, not reported).';
COMMENT ON COLUMN mandate_coverage.paragraph_numbers IS 'Numbers of those paragraphs: the evidence of a section without a current mandate.';
COMMENT ON COLUMN mandate_coverage.organization_name_en IS 'English name of the organization.';
COMMENT ON COLUMN mandate_coverage.organization_name_fr IS 'French name of the organization.';
