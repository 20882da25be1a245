-- Version 6: cooperation areas in two levels, and change events judged relative to the
-- edition's size (issue 18). Every event is kept; `is_material` says which ones the email
-- leads with, by the rule in docs/changes.md and the thresholds of warehouse/diff/materiality.yaml.

ALTER TABLE areas ADD COLUMN parent_area_id VARCHAR;
COMMENT ON COLUMN areas.parent_area_id IS 'Broad area this sub-area belongs to (areas.area_id); NULL for a broad area. A paragraph tagged with a sub-area is tagged with its broad area too.';

ALTER TABLE change_events ADD COLUMN area_level VARCHAR;
ALTER TABLE change_events ADD COLUMN score DOUBLE;
ALTER TABLE change_events ADD COLUMN is_material BOOLEAN;
ALTER TABLE change_events ADD COLUMN old_share DOUBLE;
ALTER TABLE change_events ADD COLUMN new_share DOUBLE;
ALTER TABLE change_events ADD COLUMN old_word_share DOUBLE;
ALTER TABLE change_events ADD COLUMN new_word_share DOUBLE;
ALTER TABLE change_events ADD COLUMN phrases_old VARCHAR[];
ALTER TABLE change_events ADD COLUMN phrases_new VARCHAR[];
COMMENT ON COLUMN change_events.area_level IS 'For area and organization_area events: area (a broad area) or sub_area; NULL for other kinds.';
COMMENT ON COLUMN change_events.score IS 'For area, organization_area and partnership events: |z| of a two-proportion test on the paragraph counts against their base (the edition, or the organization''s section), the rank the email sorts by; NULL for other kinds.';
COMMENT ON COLUMN change_events.is_material IS 'For area, organization_area and partnership events: true when the change meets every threshold of the materiality rule (docs/changes.md), which the detail quotes; NULL for other kinds.';
COMMENT ON COLUMN change_events.old_share IS 'Share of the base''s paragraphs (edition, or section for organization areas) the subject had in the older edition, 0 to 1.';
COMMENT ON COLUMN change_events.new_share IS 'Share of the base''s paragraphs the subject has in the newer edition, 0 to 1.';
COMMENT ON COLUMN change_events.old_word_share IS 'Share of the base''s words in the subject''s paragraphs in the older edition, 0 to 1.';
COMMENT ON COLUMN change_events.new_word_share IS 'Share of the base''s words in the subject''s paragraphs in the newer edition, 0 to 1.';
COMMENT ON COLUMN change_events.phrases_old IS 'For area and organization_area events: the trigger phrases that tagged the evidence paragraphs of the older edition, most used first.';
COMMENT ON COLUMN change_events.phrases_new IS 'For area and organization_area events: the trigger phrases that tagged the evidence paragraphs of the newer edition, most used first.';
