-- Version 12: each edition's report series (issue 29). The series an edition belongs to, as
-- extractors/report/series.yaml says (`series_of`: the editions file that lists it, else the
-- first symbol pattern it matches), so a warehouse holding two series tells them apart and
-- latest_change_events takes the newest diff of each. Rows loaded before this version are
-- filled by the next load (warehouse/load/report_rows.py), which reads series.yaml.

ALTER TABLE editions ADD COLUMN series VARCHAR;
COMMENT ON COLUMN editions.series IS 'Report series of the edition: its id in extractors/report/series.yaml (cooperation for the Secretary-General''s report on cooperation with regional organizations), from the editions file that lists it, else the symbol pattern its first symbol matches.';
