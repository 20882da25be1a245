-- CoopWatch analyst views (issue 31): what an analyst reads without joins, and what tells
-- "nothing loaded" from "nothing found". Applied after views.sql, whose views they read;
-- recreated by warehouse/db/schema.py whenever either file changes. Every function used
-- here exists in DuckDB 1.1, which opens the file (warehouse/db/storage_format.py).

CREATE OR REPLACE VIEW mandate_check AS
WITH loaded AS (
    SELECT e.symbol, e.year, e.session FROM editions e
    WHERE EXISTS (SELECT 1 FROM documents d WHERE d.symbol = e.symbol AND d.kind = 'report')
),
totals AS (
    SELECT count(DISTINCT symbol) AS resolutions,
           count(DISTINCT symbol) FILTER (WHERE is_cooperation) AS cooperation
    FROM resolutions
),
answered AS (
    SELECT next_edition, count(DISTINCT resolution_symbol) AS resolution_count
    FROM mandates WHERE next_edition IS NOT NULL GROUP BY next_edition
),
findings AS (
    SELECT edition_symbol,
           count(*) FILTER (WHERE status = 'mandated, not reported') AS mandated_not_reported,
           count(*) FILTER (WHERE status <> 'mandated, not reported') AS without_mandate
    FROM mandate_coverage GROUP BY edition_symbol
)
SELECT l.symbol AS edition_symbol,
       l.year,
       t.resolutions AS resolutions_loaded,
       t.cooperation AS cooperation_resolutions_loaded,
       coalesce(a.resolution_count, 0) AS resolutions_answered,
       CASE WHEN t.resolutions = 0 THEN 'unknown: no resolutions loaded'
            WHEN t.cooperation = 0 THEN 'unknown: no cooperation resolution loaded'
            WHEN a.resolution_count IS NULL
                THEN 'unknown: no loaded resolution asks for this edition'
            ELSE 'checked' END AS coverage,
       CASE WHEN a.resolution_count IS NOT NULL
            THEN coalesce(f.mandated_not_reported, 0) END AS mandated_not_reported_count,
       CASE WHEN a.resolution_count IS NOT NULL
            THEN coalesce(f.without_mandate, 0) END AS reported_without_mandate_count
FROM loaded l
CROSS JOIN totals t
LEFT JOIN answered a ON a.next_edition = l.symbol
LEFT JOIN findings f ON f.edition_symbol = l.symbol;
COMMENT ON VIEW mandate_check IS 'Whether each loaded edition''s mandate coverage could be checked at all: an empty mandate_coverage means "all mandates reported" only where coverage is checked; with no resolution loaded it means nothing.';
COMMENT ON COLUMN mandate_check.edition_symbol IS 'Edition (editions.symbol).';
COMMENT ON COLUMN mandate_check.year IS 'Year of the edition.';
COMMENT ON COLUMN mandate_check.resolutions_loaded IS 'Resolutions and presidential statements loaded in the warehouse (any edition).';
COMMENT ON COLUMN mandate_check.cooperation_resolutions_loaded IS 'Of those, cooperation resolutions (resolutions.is_cooperation).';
COMMENT ON COLUMN mandate_check.resolutions_answered IS 'Loaded cooperation resolutions this edition answers (mandates.next_edition).';
COMMENT ON COLUMN mandate_check.coverage IS 'checked | unknown: no resolutions loaded | unknown: no cooperation resolution loaded | unknown: no loaded resolution asks for this edition.';
COMMENT ON COLUMN mandate_check.mandated_not_reported_count IS 'Organizations a resolution asked for that the edition has no section for; NULL unless coverage is checked.';
COMMENT ON COLUMN mandate_check.reported_without_mandate_count IS 'Sections for organizations no answered resolution asked for; NULL unless coverage is checked.';

-- fold_text(s): lower case, accents stripped, typographic apostrophes and quotes made
-- straight, œ/æ spelt out, every run of spaces (no-break ones too) one space. What
-- paragraph_details.search_text holds, and what to wrap a copied name in:
-- WHERE search_text LIKE '%' || fold_text('Conseil de l’Europe') || '%'.
CREATE OR REPLACE MACRO fold_text(s) AS
    regexp_replace(
        replace(replace(
            strip_accents(lower(translate(s, '’‘ʼ´“”«»„', '''''''''"""""'))),
            'œ', 'oe'), 'æ', 'ae'),
        '[\s\x{00A0}\x{202F}\x{2009}]+', ' ', 'g');

CREATE OR REPLACE VIEW paragraph_details AS
WITH named_organizations AS (
    SELECT po.symbol, po.language, po.paragraph_number,
           list(po.organization_id ORDER BY po.position) AS ids,
           list(coalesce(o.name_en, po.organization_id) ORDER BY po.position) AS names_en,
           list(coalesce(o.name_fr, po.organization_id) ORDER BY po.position) AS names_fr
    FROM paragraph_organizations po
    LEFT JOIN organizations o ON o.organization_id = po.organization_id
    GROUP BY po.symbol, po.language, po.paragraph_number
),
named_entities AS (
    SELECT pu.symbol, pu.language, pu.paragraph_number,
           list(pu.un_entity_id ORDER BY pu.position) AS ids,
           list(coalesce(u.name_en, pu.un_entity_id) ORDER BY pu.position) AS names_en,
           list(coalesce(u.name_fr, pu.un_entity_id) ORDER BY pu.position) AS names_fr
    FROM paragraph_un_entities pu
    LEFT JOIN un_entities u ON u.un_entity_id = pu.un_entity_id
    GROUP BY pu.symbol, pu.language, pu.paragraph_number
),
tagged AS (
    SELECT symbol, language, paragraph_number, area_id, min(position) AS position
    FROM paragraph_areas GROUP BY ALL
),
area_lists AS (
    SELECT t.symbol, t.language, t.paragraph_number,
           list(t.area_id ORDER BY t.position) AS ids,
           list(coalesce(a.name_en, t.area_id) ORDER BY t.position) AS names_en,
           list(coalesce(a.name_fr, t.area_id) ORDER BY t.position) AS names_fr
    FROM tagged t LEFT JOIN areas a ON a.area_id = t.area_id
    GROUP BY t.symbol, t.language, t.paragraph_number
),
cited AS (
    SELECT symbol, language, paragraph_number,
           list(cited_symbol ORDER BY position) AS symbols
    FROM citations WHERE paragraph_number IS NOT NULL
    GROUP BY symbol, language, paragraph_number
)
SELECT p.symbol,
       e.year,
       p.language,
       p.paragraph_number,
       p.page,
       p.chapter,
       s.heading AS section_heading,
       s.organization_id,
       o.name_en AS organization_name_en,
       o.name_fr AS organization_name_fr,
       coalesce(s.organization_ids, []::VARCHAR[]) AS section_organization_ids,
       coalesce(no.ids, []::VARCHAR[]) AS named_organization_ids,
       coalesce(no.names_en, []::VARCHAR[]) AS named_organization_names_en,
       coalesce(no.names_fr, []::VARCHAR[]) AS named_organization_names_fr,
       coalesce(ne.ids, []::VARCHAR[]) AS un_entity_ids,
       coalesce(ne.names_en, []::VARCHAR[]) AS un_entity_names_en,
       coalesce(ne.names_fr, []::VARCHAR[]) AS un_entity_names_fr,
       coalesce(al.ids, []::VARCHAR[]) AS area_ids,
       coalesce(al.names_en, []::VARCHAR[]) AS area_names_en,
       coalesce(al.names_fr, []::VARCHAR[]) AS area_names_fr,
       coalesce(c.symbols, []::VARCHAR[]) AS citations,
       coalesce(len(c.symbols), 0) AS citation_count,
       p.word_count,
       p.text,
       fold_text(p.text) AS search_text
FROM paragraphs p
JOIN documents d ON d.symbol = p.symbol AND d.language = p.language AND d.kind = 'report'
LEFT JOIN editions e ON e.symbol = p.symbol
LEFT JOIN sections s
  ON s.symbol = p.symbol AND s.language = p.language AND s.section_index = p.section_index
LEFT JOIN organizations o ON o.organization_id = s.organization_id
LEFT JOIN named_organizations no
  ON no.symbol = p.symbol AND no.language = p.language AND no.paragraph_number = p.paragraph_number
LEFT JOIN named_entities ne
  ON ne.symbol = p.symbol AND ne.language = p.language AND ne.paragraph_number = p.paragraph_number
LEFT JOIN area_lists al
  ON al.symbol = p.symbol AND al.language = p.language AND al.paragraph_number = p.paragraph_number
LEFT JOIN cited c
  ON c.symbol = p.symbol AND c.language = p.language AND c.paragraph_number = p.paragraph_number;
COMMENT ON VIEW paragraph_details IS 'One row per numbered paragraph of every edition with everything found in it, read without joins: its edition, place, section organization, the organizations, UN entities and areas it names, its citations, its text and a folded search_text for plain LIKE searches.';
COMMENT ON COLUMN paragraph_details.symbol IS 'Edition (editions.symbol), e.g. A/77/277.';
COMMENT ON COLUMN paragraph_details.year IS 'Year of the edition.';
COMMENT ON COLUMN paragraph_details.language IS 'Language of the edition text (fr, en, ...).';
COMMENT ON COLUMN paragraph_details.paragraph_number IS 'Paragraph number as printed.';
COMMENT ON COLUMN paragraph_details.page IS 'Page of the source where the paragraph starts, when known.';
COMMENT ON COLUMN paragraph_details.chapter IS 'Number of the chapter the paragraph is in.';
COMMENT ON COLUMN paragraph_details.section_heading IS 'Sub-heading of the organization section the paragraph is in, as printed; NULL outside any section.';
COMMENT ON COLUMN paragraph_details.organization_id IS 'Organization the section is about (organizations.organization_id); NULL outside a recognised section.';
COMMENT ON COLUMN paragraph_details.organization_name_en IS 'English name of that organization.';
COMMENT ON COLUMN paragraph_details.organization_name_fr IS 'French name of that organization.';
COMMENT ON COLUMN paragraph_details.section_organization_ids IS 'Every organization the section heading names (a joint section names several).';
COMMENT ON COLUMN paragraph_details.named_organization_ids IS 'Organizations named in the paragraph itself, in the order found.';
COMMENT ON COLUMN paragraph_details.named_organization_names_en IS 'Their English names, in the same order.';
COMMENT ON COLUMN paragraph_details.named_organization_names_fr IS 'Their French names, in the same order.';
COMMENT ON COLUMN paragraph_details.un_entity_ids IS 'UN entities named in the paragraph (un_entities.un_entity_id), in the order found.';
COMMENT ON COLUMN paragraph_details.un_entity_names_en IS 'Their English names, in the same order.';
COMMENT ON COLUMN paragraph_details.un_entity_names_fr IS 'Their French names, in the same order.';
COMMENT ON COLUMN paragraph_details.area_ids IS 'Cooperation areas found in the paragraph (areas.area_id), each once.';
COMMENT ON COLUMN paragraph_details.area_names_en IS 'Their English names, in the same order.';
COMMENT ON COLUMN paragraph_details.area_names_fr IS 'Their French names, in the same order.';
COMMENT ON COLUMN paragraph_details.citations IS 'Symbols the paragraph cites, in order (citations.cited_symbol).';
COMMENT ON COLUMN paragraph_details.citation_count IS 'Number of citations in the paragraph.';
COMMENT ON COLUMN paragraph_details.word_count IS 'Words in the text.';
COMMENT ON COLUMN paragraph_details.text IS 'Full text of the paragraph as printed, without its number.';
COMMENT ON COLUMN paragraph_details.search_text IS 'The text folded for plain LIKE: lower case, accents stripped, typographic apostrophes and quotes straight, œ as oe, spaces (no-break ones too) single: search_text LIKE ''%numerique%'' finds numérique, ''%conseil de l''''europe%'' finds Conseil de l’Europe. The macro fold_text(s) folds a search term the same way.';

CREATE OR REPLACE VIEW organization_sections_aligned AS
WITH section_paragraphs AS (
    SELECT DISTINCT so.symbol, so.language, so.organization_id, p.paragraph_number, p.text
    FROM section_organizations so
    JOIN paragraphs p
      ON p.symbol = so.symbol AND p.language = so.language AND p.section_index = so.section_index
),
worded AS (
    SELECT *, list_distinct(regexp_extract_all(fold_text(text), '[a-z0-9]{3,}')) AS words
    FROM section_paragraphs
),
loaded AS (
    SELECT d.language, e.symbol, e.year,
           row_number() OVER (PARTITION BY d.language ORDER BY e.year, e.symbol) AS position
    FROM documents d JOIN editions e ON e.symbol = d.symbol
    WHERE d.kind = 'report'
),
pairs AS (
    SELECT o.language, o.symbol AS old_symbol, o.year AS old_year,
           n.symbol AS new_symbol, n.year AS new_year
    FROM loaded o JOIN loaded n ON n.language = o.language AND n.position = o.position + 1
),
subjects AS (
    SELECT DISTINCT pr.*, sp.organization_id
    FROM pairs pr
    JOIN section_paragraphs sp
      ON sp.language = pr.language AND sp.symbol IN (pr.old_symbol, pr.new_symbol)
),
scored AS (
    SELECT s.language, s.old_symbol, s.new_symbol, s.organization_id,
           a.paragraph_number AS old_number, b.paragraph_number AS new_number,
           len(list_intersect(a.words, b.words))
               / greatest(len(list_distinct(list_concat(a.words, b.words))), 1) AS similarity
    FROM subjects s
    JOIN worded a
      ON a.symbol = s.old_symbol AND a.language = s.language
     AND a.organization_id = s.organization_id
    JOIN worded b
      ON b.symbol = s.new_symbol AND b.language = s.language
     AND b.organization_id = s.organization_id
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY language, old_symbol, new_symbol, organization_id,
                                           old_number ORDER BY similarity DESC, new_number)
               AS old_rank,
           row_number() OVER (PARTITION BY language, old_symbol, new_symbol, organization_id,
                                           new_number ORDER BY similarity DESC, old_number)
               AS new_rank
    FROM scored
),
matched AS (
    SELECT language, old_symbol, new_symbol, organization_id, old_number, new_number,
           round(similarity, 3) AS similarity
    FROM ranked WHERE old_rank = 1 AND new_rank = 1 AND similarity >= 0.2
),
items AS (
    SELECT language, old_symbol, new_symbol, organization_id, 'matched' AS status,
           old_number, new_number, similarity, new_number::DOUBLE AS sort_key
    FROM matched
    UNION ALL
    SELECT s.language, s.old_symbol, s.new_symbol, s.organization_id, 'removed',
           sp.paragraph_number, NULL, NULL,
           coalesce((SELECT max(m.new_number) FROM matched m
                      WHERE m.language = s.language AND m.old_symbol = s.old_symbol
                        AND m.new_symbol = s.new_symbol AND m.organization_id = s.organization_id
                        AND m.old_number < sp.paragraph_number), 0) + 0.5
    FROM subjects s
    JOIN section_paragraphs sp
      ON sp.symbol = s.old_symbol AND sp.language = s.language
     AND sp.organization_id = s.organization_id
    WHERE NOT EXISTS (SELECT 1 FROM matched m
                       WHERE m.language = s.language AND m.old_symbol = s.old_symbol
                         AND m.new_symbol = s.new_symbol
                         AND m.organization_id = s.organization_id
                         AND m.old_number = sp.paragraph_number)
    UNION ALL
    SELECT s.language, s.old_symbol, s.new_symbol, s.organization_id, 'added',
           NULL, sp.paragraph_number, NULL, sp.paragraph_number
    FROM subjects s
    JOIN section_paragraphs sp
      ON sp.symbol = s.new_symbol AND sp.language = s.language
     AND sp.organization_id = s.organization_id
    WHERE NOT EXISTS (SELECT 1 FROM matched m
                       WHERE m.language = s.language AND m.old_symbol = s.old_symbol
                         AND m.new_symbol = s.new_symbol
                         AND m.organization_id = s.organization_id
                         AND m.new_number = sp.paragraph_number)
),
texted AS (
    SELECT i.*, po.text AS old_text, pn.text AS new_text
    FROM items i
    LEFT JOIN paragraphs po
      ON po.symbol = i.old_symbol AND po.language = i.language
     AND po.paragraph_number = i.old_number
    LEFT JOIN paragraphs pn
      ON pn.symbol = i.new_symbol AND pn.language = i.language
     AND pn.paragraph_number = i.new_number
)
SELECT s.organization_id,
       o.name_en,
       o.name_fr,
       s.language,
       s.old_symbol,
       s.old_year,
       s.new_symbol,
       s.new_year,
       count(t.old_number) FILTER (WHERE t.status = 'matched') AS matched_count,
       count(*) FILTER (WHERE t.status = 'added') AS added_count,
       count(*) FILTER (WHERE t.status = 'removed') AS removed_count,
       coalesce(list(t.old_number ORDER BY t.old_number) FILTER (WHERE t.old_number IS NOT NULL),
                []::INTEGER[]) AS old_paragraph_numbers,
       coalesce(list(t.new_number ORDER BY t.new_number) FILTER (WHERE t.new_number IS NOT NULL),
                []::INTEGER[]) AS new_paragraph_numbers,
       list({'status': t.status, 'old_number': t.old_number, 'new_number': t.new_number,
             'similarity': t.similarity, 'old_text': t.old_text, 'new_text': t.new_text}
            ORDER BY t.sort_key, t.old_number NULLS LAST) AS paragraphs
FROM subjects s
JOIN texted t
  ON t.language = s.language AND t.old_symbol = s.old_symbol AND t.new_symbol = s.new_symbol
 AND t.organization_id = s.organization_id
LEFT JOIN organizations o ON o.organization_id = s.organization_id
GROUP BY s.organization_id, o.name_en, o.name_fr, s.language, s.old_symbol, s.old_year,
         s.new_symbol, s.new_year;
COMMENT ON VIEW organization_sections_aligned IS 'One row per organization and pair of consecutive loaded editions (per language): the paragraphs of its section in both, aligned side by side as matched, added or removed, with their numbers and texts.';
COMMENT ON COLUMN organization_sections_aligned.organization_id IS 'Organization (organizations.organization_id) with a section in either edition.';
COMMENT ON COLUMN organization_sections_aligned.name_en IS 'English name of the organization.';
COMMENT ON COLUMN organization_sections_aligned.name_fr IS 'French name of the organization.';
COMMENT ON COLUMN organization_sections_aligned.language IS 'Language of the two edition texts.';
COMMENT ON COLUMN organization_sections_aligned.old_symbol IS 'Older edition (editions.symbol).';
COMMENT ON COLUMN organization_sections_aligned.old_year IS 'Year of the older edition.';
COMMENT ON COLUMN organization_sections_aligned.new_symbol IS 'Newer edition, the next one loaded after old_symbol.';
COMMENT ON COLUMN organization_sections_aligned.new_year IS 'Year of the newer edition.';
COMMENT ON COLUMN organization_sections_aligned.matched_count IS 'Paragraph pairs matched across the two editions.';
COMMENT ON COLUMN organization_sections_aligned.added_count IS 'Section paragraphs of the newer edition with no match in the older.';
COMMENT ON COLUMN organization_sections_aligned.removed_count IS 'Section paragraphs of the older edition with no match in the newer.';
COMMENT ON COLUMN organization_sections_aligned.old_paragraph_numbers IS 'Numbers of the section paragraphs in the older edition.';
COMMENT ON COLUMN organization_sections_aligned.new_paragraph_numbers IS 'Numbers of the section paragraphs in the newer edition.';
COMMENT ON COLUMN organization_sections_aligned.paragraphs IS 'The alignment in reading order of the newer edition (a removed paragraph after the match before it): {status matched|added|removed, old_number, new_number, similarity, old_text, new_text}. Two paragraphs match when each is the other''s most similar and they share at least 20% of their distinct words of three letters or more (similarity, 0-1).';
