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
